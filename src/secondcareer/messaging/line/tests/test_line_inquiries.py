"""Questions the bot cannot answer become inquiries with a 24-hour deadline; the staff
answer reaches the user through the fake platform (by push, or as a link when personal)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import OutboundMessage
from secondcareer.messaging.models import Inquiry, InquiryStatus
from secondcareer.people.services import staff_create

UNANSWERABLE = "隣の家の犬が夜中に吠えてうるさいのですが、どうしたらいいでしょうか"


def _consultant(kobe):
    user = staff_create(
        username="kobe-cc", password="pw-12345-abc", program=kobe, role="consultant"
    )
    return user


def test_an_unanswerable_question_becomes_an_inquiry_due_in_24_hours(chat):
    chat.follow()
    before = timezone.now()
    replies = chat.say(UNANSWERABLE)
    assert any("24時間以内" in r for r in replies)
    inquiry = Inquiry.objects.get()
    assert inquiry.status == InquiryStatus.OPEN and inquiry.question == UNANSWERABLE
    assert (
        dt.timedelta(hours=23, minutes=59)
        < inquiry.due_at - before
        <= dt.timedelta(hours=24, minutes=1)
    )
    assert not any(UNANSWERABLE in r for r in replies)  # the question is never echoed back


def test_a_known_question_is_answered_by_the_faq_without_an_inquiry(chat, kobe):
    from secondcareer.messaging.faq.services import faq_load_seed

    faq_load_seed(program=kobe)
    chat.follow()
    replies = chat.say("相談するのにお金はかかりますか")
    assert any("無料" in r for r in replies)
    assert not Inquiry.objects.exists()


def test_asking_for_a_person_asks_for_the_question_and_files_only_the_question(chat):
    chat.follow()
    asked = chat.tap("action=ask_human")
    # No thanks and no promise yet, and no inquiry without a question.
    assert any("このまま文章でお送りください" in r for r in asked)
    assert not any("24時間以内" in r or "ありがとうございます" in r for r in asked)
    assert not Inquiry.objects.exists()

    question = "就職のことで相談員の方と話したいです"
    replies = chat.say(question)
    inquiry = Inquiry.objects.get()
    assert inquiry.question == question and inquiry.reason == "requested"
    assert sum(r.count("24時間以内") for r in replies) == 1
    assert any("ありがとうございます" in r for r in replies)

    # More text goes to the same inquiry, without a second promise.
    more = chat.say("平日の午前なら電話に出られます")
    assert Inquiry.objects.count() == 1
    inquiry.refresh_from_db()
    assert question in inquiry.question and "平日の午前なら電話に出られます" in inquiry.question
    assert not any("24時間以内" in r for r in more)


def test_an_unanswerable_question_gets_the_24_hour_promise_once(chat):
    chat.follow()
    replies = chat.say(UNANSWERABLE)
    assert sum(r.count("24時間以内") for r in replies) == 1
    assert Inquiry.objects.count() == 1


def test_the_staff_answer_reaches_the_user_by_push(chat, kobe, client_for):
    chat.follow()
    chat.say(UNANSWERABLE)
    inquiry = Inquiry.objects.get()
    staff = _consultant(kobe)
    with chat.capture(execute=True):
        response = client_for(staff).post(
            f"/staff/inquiries/{inquiry.pk}/",
            {"answer": "お住まいの区役所の生活環境の窓口にご相談ください。", "personal": ""},
        )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED and inquiry.seconds_to_answer is not None
    assert any("区役所の生活環境の窓口" in t for t in chat.fake.platform.texts_for(chat.user_id))
    assert OutboundMessage.objects.get().status == "sent"


def test_a_personal_answer_goes_as_a_link_the_user_opens_after_verification(chat, kobe, client_for):
    chat.follow()
    chat.say(UNANSWERABLE)
    inquiry = Inquiry.objects.get()
    staff = _consultant(kobe)
    secret_answer = "山田様の職務経歴書を拝見しました。次回の面談で一緒に直しましょう。"
    with chat.capture(execute=True):
        client_for(staff).post(
            f"/staff/inquiries/{inquiry.pk}/", {"answer": secret_answer, "personal": "on"}
        )
    texts = chat.fake.platform.texts_for(chat.user_id)
    assert not any("職務経歴書" in t for t in texts)
    inquiry.refresh_from_db()
    link = f"/line/kobe/answer/{inquiry.answer_token}/"
    assert any(link in t for t in texts)
    chat.client.logout()
    assert secret_answer not in chat.client.get(link).content.decode()
    token = chat.fake.platform.issue_id_token(chat.user_id, channel_for("kobe").channel_id)
    page = chat.client.post(link, {"id_token": token}).content.decode()
    assert secret_answer in page
    stranger = chat.fake.platform.issue_id_token("U" + "b2" * 16, channel_for("kobe").channel_id)
    assert chat.client.post(link, {"id_token": stranger}).status_code == 404


def test_a_general_answer_with_a_phone_number_is_refused_before_anything_is_sent(
    chat, kobe, client_for
):
    chat.follow()
    chat.say(UNANSWERABLE)
    inquiry = Inquiry.objects.get()
    page = client_for(_consultant(kobe)).post(
        f"/staff/inquiries/{inquiry.pk}/",
        {"answer": "090-1234-5678 までお電話ください。", "personal": ""},
    )
    assert "個人に関わる内容を含む" in page.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN
    assert not OutboundMessage.objects.exists()


def test_hardship_words_flag_the_inquiry_and_send_public_support_contacts(chat):
    chat.follow()
    replies = chat.say("年金だけでは家賃が払えない。生活が苦しいです")
    inquiry = Inquiry.objects.get()
    assert inquiry.hardship is True
    assert any("相談窓口" in r for r in replies)


def test_the_inbox_lists_by_deadline_marks_overdue_and_is_closed_to_other_roles(
    chat, kobe, client_for, staff_of
):
    chat.follow()
    chat.say(UNANSWERABLE)
    Inquiry.objects.update(due_at=timezone.now() - dt.timedelta(hours=1))
    page = client_for(_consultant(kobe)).get("/staff/inquiries/").content.decode()
    assert "期限超過" in page
    reception = staff_create(
        username="kobe-rc", password="pw-12345-abc", program=kobe, role="reception"
    )
    assert client_for(reception).get("/staff/inquiries/").status_code == 403
    other = staff_of("consultant", other=True)
    inquiry = Inquiry.objects.get()
    assert client_for(other).get(f"/staff/inquiries/{inquiry.pk}/").status_code == 404


def test_a_greeting_is_met_with_the_menu_not_an_unrelated_faq_answer(chat, kobe):
    from secondcareer.messaging.faq.services import faq_load_seed

    faq_load_seed(program=kobe)
    chat.follow()
    replies = chat.say("こんにちは！")
    assert any("メニュー" in r for r in replies)
    assert not any("キャンセル" in r or "取消" in r for r in replies)
    assert not Inquiry.objects.exists()
