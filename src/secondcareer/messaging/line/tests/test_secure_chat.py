"""The secure chat between a seeker and their consultant (issue 12 item 4): the text
stays on the platform, LINE carries only a notice and a signed, expiring link that opens
after LINE's ID token or a one-time code; staff see it by case association, audited,
with unread counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secondcareer.conftest import register_seeker
from secondcareer.consultations.models import Case
from secondcareer.consultations.services import consultation_record_create
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.messaging.chat_links import chat_path
from secondcareer.messaging.line.chat import CHAT_NOTICE
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.services.linking import line_user_link
from secondcareer.messaging.models import ChatThread
from secondcareer.messaging.selectors import unread_chats
from secondcareer.messaging.services import (
    chat_code_issue,
    chat_message_post_seeker,
    chat_message_post_staff,
    chat_thread_open,
)
from secondcareer.people.models import Role, Seeker, User
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program

SECRET = "山田様の職務経歴書を拝見しました。年収の希望は次回の面談で伺います。"


def _staff(program: Program, role: str, suffix: str = "") -> User:
    return staff_create(
        username=f"{program.slug}-chat-{role}{suffix}", password=None, program=program, role=role
    )


def _case(program: Program, seeker: Seeker, consultant: User) -> Case:
    consultation_record_create(
        program=program,
        seeker=seeker,
        actor=consultant,
        kind="life_career",
        method="in_person",
        minutes=45,
        consultant=consultant,
        start=timezone.now() - dt.timedelta(days=1),
    )
    return Case.objects.get(program=program, seeker=seeker)


@pytest.fixture
def consultant(kobe: Program) -> User:
    return _staff(kobe, Role.CONSULTANT)


@pytest.fixture
def case(kobe: Program, consultant: User) -> Case:
    seeker = register_seeker(kobe, birth_date=dt.date(1960, 5, 1))
    return _case(kobe, seeker, consultant)


@pytest.fixture
def thread(case: Case, consultant: User) -> ChatThread:
    return chat_thread_open(case=case, actor=consultant)


def _staff_url(thread: ChatThread) -> str:
    return f"/staff/chat/{thread.program.slug}/{thread.pk}/"


def _open_with_line(seeker_client: Client, chat: Any, url: str) -> Any:
    token = chat.fake.platform.issue_id_token(chat.user_id, channel_for("kobe").channel_id)
    return seeker_client.post(url, {"action": "line", "id_token": token}, follow=True)


def test_chat_text_never_reaches_line_only_the_notice_with_a_link_that_opens_the_chat(
    chat: Any, case: Case, consultant: User
) -> None:
    chat.follow()
    line_user_link(line_user=chat.line_user(), seeker=case.seeker)
    staff = sign_in_staff(Client(), consultant)
    opened = staff.post(f"/staff/chat/kobe/case/{case.pk}/")
    thread = ChatThread.objects.get(seeker=case.seeker)
    assert opened.status_code == 302 and opened["Location"] == _staff_url(thread)
    before = len(chat.fake.platform.texts_for(chat.user_id))
    with chat.capture(execute=True):
        sent = staff.post(_staff_url(thread), {"body": SECRET})
    assert sent.status_code == 302
    received = chat.fake.platform.texts_for(chat.user_id)[before:]
    assert len(received) == 1
    assert CHAT_NOTICE in received[0]
    assert all(SECRET not in text and "年収" not in text for text in received)
    link = re.search(r"https?://\S+", received[0])
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    seeker = Client()
    before_proof = seeker.get("/" + path)
    assert before_proof.status_code == 200 and SECRET not in before_proof.content.decode()
    page = _open_with_line(seeker, chat, "/" + path)
    assert page.status_code == 200 and SECRET in page.content.decode()
    replied = seeker.post(
        "/" + path, {"action": "send", "body": "ありがとうございます。"}, follow=True
    )
    assert "ありがとうございます。" in replied.content.decode()
    assert "ありがとうございます。" in staff.get(_staff_url(thread)).content.decode()


def test_another_line_users_id_token_does_not_open_the_chat(chat: Any, thread: ChatThread) -> None:
    chat.follow()
    line_user_link(line_user=chat.line_user(), seeker=thread.seeker)
    chat_message_post_staff(thread=thread, user=None, body=SECRET)
    stranger = chat.fake.platform.issue_id_token("U" + "c3" * 16, channel_for("kobe").channel_id)
    page = Client().post(chat_path(thread.pk), {"action": "line", "id_token": stranger})
    assert page.status_code == 403
    assert SECRET not in page.content.decode()
    assert "本人確認ができませんでした" in page.content.decode()


def test_the_link_works_before_expiry_and_says_to_ask_for_a_new_one_after(
    chat: Any, thread: ChatThread
) -> None:
    chat.follow()
    line_user_link(line_user=chat.line_user(), seeker=thread.seeker)
    chat_message_post_staff(thread=thread, user=None, body=SECRET)
    path = chat_path(thread.pk)
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(hours=71), tick=False):
        page = _open_with_line(Client(), chat, path)
        assert page.status_code == 200 and SECRET in page.content.decode()
    with time_machine.travel(start + dt.timedelta(hours=73), tick=False):
        seeker = Client()
        gone = _open_with_line(seeker, chat, path)
        assert gone.status_code == 410
        text = gone.content.decode()
        assert SECRET not in text and "有効期限が切れています" in text and "新しいリンク" in text
        assert seeker.get(path).status_code == 410
    assert Client().get(path[:-3] + "xx/").status_code == 404


def test_a_one_time_code_opens_the_chat_once_and_a_wrong_or_expired_code_is_refused(
    kobe: Program, thread: ChatThread, consultant: User
) -> None:
    chat_message_post_staff(thread=thread, user=consultant, body=SECRET)
    staff = sign_in_staff(Client(), consultant)
    issued = staff.post(_staff_url(thread), {"action": "code"}).content.decode()
    code = re.search(r'class="chat-code">(\d{6})<', issued).group(1)  # type: ignore[union-attr]
    path = chat_path(thread.pk)
    seeker = Client()
    wrong = seeker.post(path, {"action": "code", "code": f"{(int(code) + 1) % 10**6:06d}"})
    assert wrong.status_code == 403 and SECRET not in wrong.content.decode()
    assert "確認コードが正しくないか" in wrong.content.decode()
    right = seeker.post(path, {"action": "code", "code": code}, follow=True)
    assert right.status_code == 200 and SECRET in right.content.decode()
    again = Client().post(path, {"action": "code", "code": code})
    assert again.status_code == 403 and SECRET not in again.content.decode()
    # another thread's link is not opened by this session's proof
    other = chat_thread_open(
        case=_case(
            kobe,
            register_seeker(kobe, birth_date=dt.date(1959, 1, 2), phone="090-1111-2222"),
            consultant,
        ),
        actor=consultant,
    )
    chat_message_post_staff(thread=other, user=consultant, body="別の方へのメッセージです。")
    assert "別の方へのメッセージです。" not in seeker.get(chat_path(other.pk)).content.decode()
    late = chat_code_issue(thread=thread, actor=consultant)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31), tick=False):
        expired = Client().post(chat_path(thread.pk), {"action": "code", "code": late})
        assert expired.status_code == 403 and SECRET not in expired.content.decode()


def test_a_code_stops_working_after_five_wrong_attempts(
    thread: ChatThread, consultant: User
) -> None:
    code = chat_code_issue(thread=thread, actor=consultant)
    path = chat_path(thread.pk)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert Client().post(path, {"action": "code", "code": wrong}).status_code == 403
    assert Client().post(path, {"action": "code", "code": code}).status_code == 403


def test_only_the_case_consultant_and_managers_open_the_staff_chat(
    kobe: Program, thread: ChatThread, consultant: User
) -> None:
    url = _staff_url(thread)
    assert sign_in_staff(Client(), consultant).get(url).status_code == 200
    assert sign_in_staff(Client(), _staff(kobe, Role.MANAGER)).get(url).status_code == 200
    assert sign_in_staff(Client(), _staff(kobe, Role.CONSULTANT, "-2")).get(url).status_code == 404
    for role in (Role.RECEPTION, Role.JOB_DEVELOPER, Role.MUNICIPALITY):
        assert sign_in_staff(Client(), _staff(kobe, role)).get(url).status_code == 403, role
    opener = f"/staff/chat/kobe/case/{thread.case_id}/"
    assert (
        sign_in_staff(Client(), _staff(kobe, Role.CONSULTANT, "-3")).post(opener).status_code == 404
    )
    assert (
        sign_in_staff(Client(), _staff(kobe, Role.RECEPTION, "-2")).post(opener).status_code == 403
    )


def test_each_opening_of_the_staff_chat_writes_one_audit_entry(
    thread: ChatThread, consultant: User
) -> None:
    staff = sign_in_staff(Client(), consultant)
    before = AuditEntry.objects.count()
    staff.get(_staff_url(thread))
    assert AuditEntry.objects.count() == before + 1
    staff.get(_staff_url(thread))
    assert AuditEntry.objects.count() == before + 2


def test_the_unread_count_drops_when_the_consultant_opens_the_chat(
    kobe: Program, thread: ChatThread, consultant: User
) -> None:
    chat_message_post_seeker(thread=thread, body="来週の面談の時間を変えたいです。")
    chat_message_post_seeker(thread=thread, body="よろしくお願いします。")
    [row] = unread_chats(consultant, [kobe])
    assert row.thread.pk == thread.pk and row.unread == 2
    assert unread_chats(_staff(kobe, Role.CONSULTANT, "-2"), [kobe]) == []
    assert unread_chats(_staff(kobe, Role.RECEPTION), [kobe]) == []
    assert len(unread_chats(_staff(kobe, Role.MANAGER), [kobe])) == 1
    sign_in_staff(Client(), consultant).get(_staff_url(thread))
    assert unread_chats(consultant, [kobe]) == []


def test_unread_chats_takes_the_same_number_of_queries_for_one_thread_and_for_ten(
    kobe: Program, consultant: User
) -> None:
    def add(n: int) -> None:
        seeker = register_seeker(
            kobe, birth_date=dt.date(1958, 1, n), given=f"一郎{n}", phone=f"090-5555-{n:04d}"
        )
        thread = chat_thread_open(case=_case(kobe, seeker, consultant), actor=consultant)
        chat_message_post_seeker(thread=thread, body="ご相談があります。")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = unread_chats(consultant, [kobe])
            [row.thread.seeker.full_name for row in rows]
        return len(queries), len(rows)

    add(1)
    one, rows = count()
    assert rows == 1
    for n in range(2, 11):
        add(n)
    ten, rows = count()
    assert rows == 10 and ten == one


def test_an_empty_or_overlong_message_gets_a_japanese_message_not_an_error(
    thread: ChatThread, consultant: User
) -> None:
    staff = sign_in_staff(Client(), consultant)
    empty = staff.post(_staff_url(thread), {"body": "   "})
    assert empty.status_code == 422 and "メッセージを入力してください。" in empty.content.decode()
    long = staff.post(_staff_url(thread), {"body": "あ" * 4001})
    assert long.status_code == 422 and "4000文字以内" in long.content.decode()
    code = chat_code_issue(thread=thread, actor=consultant)
    seeker = Client()
    seeker.post(chat_path(thread.pk), {"action": "code", "code": code})
    blank = seeker.post(chat_path(thread.pk), {"action": "send", "body": ""})
    assert blank.status_code == 422 and "メッセージを入力してください。" in blank.content.decode()
    stranger = Client().post(chat_path(thread.pk), {"action": "send", "body": "こんにちは"})
    assert stranger.status_code == 403 and "本人確認が済んでいません" in stranger.content.decode()
    assert not thread.messages.exists()


def test_a_seeker_chat_message_counts_as_contact_with_the_centre(
    kobe: Program, thread: ChatThread
) -> None:
    from secondcareer.consultations.selectors import inactive_seekers

    today = timezone.localdate()
    months = kobe.inactivity_followup_months or 3
    later = today + dt.timedelta(days=31 * months + 5)
    assert [s.seeker.pk for s in inactive_seekers(kobe, later, months)] == [thread.seeker_id]
    with time_machine.travel(timezone.now() + dt.timedelta(days=31 * months), tick=False):
        chat_message_post_seeker(thread=thread, body="まだ仕事を探しています。")
    assert inactive_seekers(kobe, later, months) == []


def test_the_case_page_offers_the_chat_to_its_consultant_not_to_reception(
    kobe: Program, case: Case, consultant: User
) -> None:
    url = f"/staff/cases/kobe/{case.pk}/"
    opener = f'action="/staff/chat/kobe/case/{case.pk}/"'
    assert opener in sign_in_staff(Client(), consultant).get(url).content.decode()
    reception = sign_in_staff(Client(), _staff(kobe, Role.RECEPTION)).get(url)
    assert reception.status_code == 200 and opener not in reception.content.decode()
