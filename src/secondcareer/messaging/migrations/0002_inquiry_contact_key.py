# The channel-neutral key for the asker (ADR 0022). The LINE channel's migration
# line.0003 fills it from Inquiry.line_user before 0003 here drops that foreign key.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='inquiry',
            name='contact_key',
            field=models.CharField(blank=True, max_length=255, verbose_name='経路での相手の識別子'),
        ),
        migrations.AddIndex(
            model_name='inquiry',
            index=models.Index(fields=['program', 'channel', 'contact_key'], name='inquiry_contact_idx'),
        ),
    ]
