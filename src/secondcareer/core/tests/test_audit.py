import pytest
from django.db import DatabaseError, connection, transaction

from secondcareer.core.audit import audit_log
from secondcareer.core.models import AuditEntry


@pytest.fixture
def entry(manager, seeker):
    return audit_log(actor=manager, action="view", obj=seeker, program_slug="alpha")


def test_an_entry_records_who_what_which_record_and_program(entry, manager, seeker):
    assert entry.actor_id == manager.pk
    assert entry.actor_username == manager.username
    assert entry.object_type == "people.seeker"
    assert entry.object_id == str(seeker.pk)
    assert entry.program_slug == "alpha"
    assert entry.at is not None


def test_the_orm_cannot_change_or_delete_an_entry(entry):
    entry.note = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_raw_sql_cannot_rewrite_an_entry(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor_username = 'someone-else'")
    assert AuditEntry.objects.get(pk=entry.pk).actor_username != "someone-else"


def test_raw_sql_cannot_delete_an_entry_on_postgresql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite refuses deletes in the ORM only (see docs/adr/0003-audit-log.md)")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_unknown_actions_are_refused(manager, seeker):
    with pytest.raises(ValueError):
        audit_log(actor=manager, action="peek", obj=seeker)
