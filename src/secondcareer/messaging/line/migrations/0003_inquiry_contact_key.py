# Each inquiry's LINE account, kept until now as the foreign key Inquiry.line_user, moves
# to the channel-neutral Inquiry.contact_key as the account's LINE user id (ADR 0022),
# and back when reversed. It runs between messaging.0002 (adds contact_key) and
# messaging.0003 (drops line_user), so the core's migrations need not know the channel.

from django.db import migrations
from django.db.models import OuterRef, Subquery


def line_user_to_contact_key(apps, schema_editor):
    Inquiry = apps.get_model('messaging', 'Inquiry')
    LineUser = apps.get_model('line', 'LineUser')
    Inquiry.objects.filter(line_user__isnull=False).update(
        channel='line',
        contact_key=Subquery(
            LineUser.objects.filter(pk=OuterRef('line_user')).values('line_user_id')[:1]
        ),
    )


def contact_key_to_line_user(apps, schema_editor):
    Inquiry = apps.get_model('messaging', 'Inquiry')
    LineUser = apps.get_model('line', 'LineUser')
    Inquiry.objects.filter(channel='line').exclude(contact_key='').update(
        line_user=Subquery(
            LineUser.objects.filter(
                program=OuterRef('program'), line_user_id=OuterRef('contact_key')
            ).values('pk')[:1]
        ),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('line', '0002_lineuser_display_name'),
        ('messaging', '0002_inquiry_contact_key'),
    ]
    run_before = [
        ('messaging', '0003_remove_inquiry_line_user'),
    ]

    operations = [
        migrations.RunPython(line_user_to_contact_key, contact_key_to_line_user, elidable=False),
    ]
