"""The core of messaging carries an inquiry through whichever channel it came in on
(ADR 0022): a channel registered under a name checks and delivers answers and says
who asked. These tests use a channel of their own, so they need no LINE."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditEntry
from secondcareer.messaging.channels import (
    Contact,
    get_channel,
    register_channel,
    unregister_channel,
)
from secondcareer.messaging.models import AnswerDelivery, Inquiry, InquiryStatus
from secondcareer.messaging.services import inquiry_add_message, inquiry_answer, inquiry_open

NAME = "memo"


@dataclass
class MemoChannel:
    """Remembers what the core asked of it; refuses answers containing ``refuse``."""

    contacts: dict[str, Contact] = field(default_factory=dict)
    checked: list[tuple[int, str]] = field(default_factory=list)
    delivered: list[tuple[int, str]] = field(default_factory=list)
    refuse: str = "電話番号"

    def check_answer(self, inquiry: Inquiry, text: str) -> None:
        self.checked.append((inquiry.pk, text))
        if self.refuse in text:
            raise DomainError("refused", code="refused", status=422)

    def deliver_answer(self, inquiry: Inquiry) -> None:
        self.delivered.append((inquiry.pk, inquiry.delivery))

    def contact(self, inquiry: Inquiry) -> Contact:
        return self.contacts.get(inquiry.contact_key, Contact())


@pytest.fixture
def memo() -> Any:
    channel = MemoChannel()
    register_channel(NAME, channel)
    yield channel
    unregister_channel(NAME)


def _ask(program: Any, key: str = "k-1", question: str = "面接の服装を教えてください") -> Inquiry:
    inquiry, _texts = inquiry_open(
        program=program, question=question, reason="requested", channel=NAME, contact_key=key
    )
    return inquiry


def test_a_general_answer_is_checked_by_the_channel_then_delivered_after_commit(
    program, consultant, memo, django_capture_on_commit_callbacks
):
    inquiry = _ask(program)
    with django_capture_on_commit_callbacks(execute=True):
        inquiry_answer(
            inquiry=inquiry, actor=consultant, answer="スーツでなくて大丈夫です。", personal=False
        )
        assert memo.delivered == []  # nothing leaves before the commit
    assert memo.checked == [(inquiry.pk, "スーツでなくて大丈夫です。")]
    assert memo.delivered == [(inquiry.pk, AnswerDelivery.PUSH)]


def test_a_personal_answer_is_delivered_as_a_link_without_the_channels_check(
    program, consultant, memo, django_capture_on_commit_callbacks
):
    inquiry = _ask(program)
    with django_capture_on_commit_callbacks(execute=True):
        answered = inquiry_answer(
            inquiry=inquiry, actor=consultant, answer="電話番号は面談で伺います。", personal=True
        )
    assert memo.checked == []
    assert memo.delivered == [(inquiry.pk, AnswerDelivery.LINK)]
    assert answered.answer_token


def test_an_answer_the_channel_refuses_is_neither_recorded_nor_delivered(
    program, consultant, memo, django_capture_on_commit_callbacks
):
    inquiry = _ask(program)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        inquiry_answer(
            inquiry=inquiry, actor=consultant, answer="電話番号を教えてください。", personal=False
        )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN and inquiry.answer == ""
    assert memo.delivered == []


def test_more_text_joins_the_open_inquiry_of_the_same_contact_on_the_same_channel(program, memo):
    first = _ask(program, key="k-1")
    same, _texts = inquiry_add_message(
        program=program, channel=NAME, contact_key="k-1", text="平日の午前が都合がよいです"
    )
    assert same.pk == first.pk and "平日の午前" in same.question

    someone_else, _texts = inquiry_add_message(
        program=program, channel=NAME, contact_key="k-2", text="私も聞きたいです"
    )
    same_key_elsewhere, _texts = inquiry_add_message(
        program=program, channel="line", contact_key="k-1", text="別の経路から"
    )
    nobody_known, _texts = inquiry_add_message(
        program=program, channel=NAME, contact_key="", text="名乗らずに"
    )
    assert len({first.pk, someone_else.pk, same_key_elsewhere.pk, nobody_known.pk}) == 4
    assert someone_else.reason == "follow_up" and someone_else.contact_key == "k-2"
    first.refresh_from_db()
    assert "私も聞きたいです" not in first.question


def test_the_staff_page_shows_the_channels_words_for_an_unregistered_asker_and_audits_them(
    program, consultant, memo, client_for
):
    memo.contacts["k-1"] = Contact(label="メモ経路の利用者「はなこ」", record=program)
    inquiry = _ask(program)
    page = client_for(consultant).get(f"/staff/inquiries/{inquiry.pk}/").content.decode()
    assert "メモ経路の利用者「はなこ」" in page
    assert AuditEntry.objects.filter(
        action="view", object_type="programs.program", object_id=str(program.pk)
    ).exists()


def test_the_staff_page_names_the_seeker_the_channel_account_was_linked_to_after_asking(
    program, consultant, seeker, memo, client_for
):
    inquiry = _ask(program)
    assert inquiry.seeker is None
    memo.contacts["k-1"] = Contact(seeker=seeker)
    page = client_for(consultant).get(f"/staff/inquiries/{inquiry.pk}/").content.decode()
    assert "山田 太郎" in page and seeker.card_number in page


def test_an_inquiry_on_a_channel_nobody_registered_is_refused(program):
    with pytest.raises(LookupError):
        inquiry_open(program=program, question="質問", reason="requested", channel="fax")
    assert not Inquiry.objects.exists()


def test_a_name_takes_one_implementation_that_really_is_a_channel(memo):
    assert get_channel(NAME) is memo
    register_channel(NAME, memo)  # idempotent, as AppConfig.ready() may run twice
    with pytest.raises(TypeError):
        register_channel("broken", object())  # type: ignore[arg-type]

    class Other(MemoChannel):
        pass

    with pytest.raises(ValueError, match="already registered"):
        register_channel(NAME, Other())
