# The core of messaging no longer points at a channel's model (ADR 0022). The data has
# moved to Inquiry.contact_key in line.0003, which runs before this (its run_before),
# so this migration names no channel.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0002_inquiry_contact_key'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='inquiry',
            name='line_user',
        ),
    ]
