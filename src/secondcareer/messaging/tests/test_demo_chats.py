"""``seed-demo``'s chats: threads of seekers with an open case, questions answered by
their own consultant, a few still unread (the home's queue), all before the reference
day — and nothing of it ever sent to LINE."""

from __future__ import annotations

import datetime as dt

from secondcareer.consultations.tests.test_demo_history import (  # noqa: F401 - fixtures
    TODAY,
    seeded,
    seeded_programs,
)
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.models import ChatMessage, ChatSender, ChatThread
from secondcareer.programs.models import Program


def test_demo_chats_are_between_a_seeker_and_their_consultant_before_today(
    seeded: Program,  # noqa: F811 - the fixture
) -> None:
    threads = ChatThread.objects.filter(program=seeded).select_related("case")
    assert threads.exists()
    midnight = dt.datetime.combine(TODAY, dt.time(0), TOKYO)
    messages = ChatMessage.objects.filter(thread__program=seeded).select_related("thread__case")
    assert messages.filter(sender_kind=ChatSender.STAFF).exists()
    for message in messages:
        assert message.created_at < midnight
        assert message.thread.case is not None and message.thread.case.seeker_id == (
            message.thread.seeker_id
        )
        if message.sender_kind == ChatSender.STAFF:
            assert message.staff_user_id == message.thread.case.consultant_id
    assert all(t.case is not None and t.case.closed_on is None for t in threads)
    assert messages.filter(sender_kind=ChatSender.SEEKER, read_by_staff_at__isnull=True).exists()
