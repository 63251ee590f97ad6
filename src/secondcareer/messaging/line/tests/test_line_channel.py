"""LINE as a channel of the core (ADR 0022): an inquiry asked on LINE names the channel
and the asker's LINE user id, follow-ups find the asker's own inquiry by that id, and the
staff page names the seeker the LINE account is linked to, even when the link came after
the question."""

from __future__ import annotations

import uuid

from secondcareer.messaging.channels import get_channel
from secondcareer.messaging.line.channel import LINE, LineChannel
from secondcareer.messaging.line.tests.conftest import LineChat
from secondcareer.messaging.line.tests.test_line_booking import register_by_page
from secondcareer.messaging.models import Inquiry
from secondcareer.people.services import staff_create

UNANSWERABLE = "隣の家の犬が夜中に吠えてうるさいのですが、どうしたらいいでしょうか"


def _other_chat(chat: LineChat) -> LineChat:
    user_id = "U" + uuid.uuid4().hex
    chat.fake.platform.add_user(user_id)
    return LineChat(
        client=chat.client,
        fake=chat.fake,
        program=chat.program,
        user_id=user_id,
        capture=chat.capture,
    )


def test_the_line_app_registers_its_channel_with_the_core():
    assert isinstance(get_channel(LINE), LineChannel)


def test_an_inquiry_asked_on_line_keeps_the_askers_line_user_id(chat):
    chat.follow()
    chat.say(UNANSWERABLE)
    inquiry = Inquiry.objects.get()
    assert (inquiry.channel, inquiry.contact_key) == (LINE, chat.user_id)


def test_a_follow_up_joins_the_askers_own_open_inquiry_not_another_users(chat):
    other = _other_chat(chat)
    for who, question in (
        (chat, "就職のことで相談員の方と話したいです"),
        (other, "年金の相談です"),
    ):
        who.follow()
        who.tap("action=ask_human")
        who.say(question)
    chat.say("平日の午前なら電話に出られます")
    mine = Inquiry.objects.get(contact_key=chat.user_id)
    theirs = Inquiry.objects.get(contact_key=other.user_id)
    assert "平日の午前" in mine.question and "平日の午前" not in theirs.question


def test_the_staff_page_names_the_seeker_who_registered_after_asking(chat, kobe, client_for):
    chat.follow()
    chat.say(UNANSWERABLE)
    register_by_page(chat)
    inquiry = Inquiry.objects.get()
    assert inquiry.seeker is None  # linked later: found through the channel
    staff = staff_create(
        username="kobe-cc", password="pw-12345-abc", program=kobe, role="consultant"
    )
    page = client_for(staff).get(f"/staff/inquiries/{inquiry.pk}/").content.decode()
    assert "山田 花子" in page and chat.line_user().seeker.card_number in page
