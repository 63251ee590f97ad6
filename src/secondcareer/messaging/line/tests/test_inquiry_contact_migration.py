"""line.0003 moves each inquiry's LINE account from the foreign key Inquiry.line_user to
Inquiry.contact_key (the LINE user id) and, reversed, back to the same account of the
same program (ADR 0022). Run on a database migrated back and forth for real."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from secondcareer.messaging.channels import get_channel
from secondcareer.messaging.line.models import LineUser
from secondcareer.messaging.models import Inquiry

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("messaging", "0001_initial"), ("line", "0002_lineuser_display_name")]
AFTER = [("messaging", "0003_remove_inquiry_line_user"), ("line", "0003_inquiry_contact_key")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets`` and return the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def migrated_back() -> Any:
    try:
        yield _migrate(BEFORE)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_inquiries_line_users_become_contact_keys_and_back(program, other_program, migrated_back):
    apps = migrated_back
    OldInquiry = apps.get_model("messaging", "Inquiry")
    # LineUser's table is the same before and after: the current model can fill it.
    hanako = LineUser.objects.create(
        program=program, line_user_id="U" + "1" * 32, display_name="はなこ"
    )
    same_id_elsewhere = LineUser.objects.create(
        program=other_program, line_user_id=hanako.line_user_id
    )
    due = timezone.now()

    def ask(program_id: int, line_user_id: int | None) -> int:
        return OldInquiry.objects.create(
            program_id=program_id,
            line_user_id=line_user_id,
            question="質問",
            reason="requested",
            due_at=due,
        ).pk

    from_line = ask(program.pk, hanako.pk)
    from_nobody = ask(program.pk, None)
    from_other_program = ask(other_program.pk, same_id_elsewhere.pk)

    apps = _migrate(AFTER)
    rows = dict(apps.get_model("messaging", "Inquiry").objects.values_list("pk", "contact_key"))
    assert rows == {
        from_line: hanako.line_user_id,
        from_nobody: "",
        from_other_program: hanako.line_user_id,
    }
    contact = get_channel("line").contact(Inquiry.objects.get(pk=from_line))
    assert "はなこ" in contact.label and contact.record == hanako

    apps = _migrate(BEFORE)
    back = dict(apps.get_model("messaging", "Inquiry").objects.values_list("pk", "line_user_id"))
    assert back == {
        from_line: hanako.pk,
        from_nobody: None,
        from_other_program: same_id_elsewhere.pk,
    }
