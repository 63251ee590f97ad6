"""Demo data for the secure chat: some seekers with an open case write with their
consultant between sessions (a question about documents, an interview, a change of
date), and the consultant answers. The last seeker message of a few threads is still
unread, so the staff home's 未読のチャット queue has something in it.

Run by ``secondcareer seed-demo`` after the case records (``consultations.history``);
the chat text is stored only in the database and no LINE notice is sent for the
history. Bulk inserts; deterministic for the same seed and reference day, and every
message lies before the reference day begins, so it works at any hour.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone

from secondcareer.consultations.models import Attendance, Case
from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.messaging.models import ChatMessage, ChatSender, ChatThread

CHAT_SHARE = 0.15  # open cases whose seeker uses the chat
UNREAD_SHARE = 0.3  # threads whose last seeker message nobody has read yet
RECENT_DAYS = 60  # only seekers seen in the last two months chat
EXCHANGES = (
    (
        "履歴書を書き直しました。次回見ていただけますか。",
        "ありがとうございます。次回の相談でいっしょに確認しましょう。",
    ),
    (
        "来週の面接が少し不安です。",
        "前日に電話で練習することもできます。ご希望の時間を教えてください。",
    ),
    (
        "次回の相談の日を変えたいのですが。",
        "承知しました。予約の変更はLINEのメニューか予約ダイヤルからできます。",
    ),
    (
        "紹介していただいた求人に応募しました。",
        "よかったです。結果が出たら教えてください。",
    ),
)


@demo_seeder(order=70, name="messaging.chats")
def seed_chats(ctx: DemoContext) -> None:
    program = ctx.program
    if ChatThread.objects.filter(program=program).exists():
        ctx.log("messaging.chats: the program already has chats; nothing added")
        return
    today = ctx.shared.get("today")
    if not isinstance(today, dt.date):
        today = timezone.localdate(timezone=TOKYO)
    since = dt.datetime.combine(today - dt.timedelta(days=RECENT_DAYS), dt.time(0), TOKYO)
    rng = ctx.rng("messaging.chats")
    cases = list(
        Case.objects.open()
        .filter(program=program)
        .annotate(
            last=Max("records__started_at", filter=Q(records__attendance=Attendance.ATTENDED))
        )
        .filter(last__gte=since)
        .order_by("pk")
        .values_list("pk", "seeker_id", "consultant_id", "last")
    )
    chosen = [row for row in cases if rng.random() < CHAT_SHARE]
    threads = [
        ChatThread(program=program, seeker_id=seeker, case_id=case) for case, seeker, _, _ in chosen
    ]
    midnight = dt.datetime.combine(today, dt.time(0), TOKYO)
    messages = []
    unread = 0
    for thread, (_case, _seeker, consultant, last) in zip(threads, chosen, strict=True):
        moment = last + dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(1, 8))
        exchanges = rng.sample(EXCHANGES, k=rng.randint(1, 3))
        leave_unread = rng.random() < UNREAD_SHARE
        for number, (question, answer) in enumerate(exchanges):
            if moment >= midnight:
                break
            last_one = number == len(exchanges) - 1
            answered = moment + dt.timedelta(hours=rng.randint(1, 20))
            if (last_one and leave_unread) or answered >= midnight:
                messages.append(
                    ChatMessage(
                        thread=thread,
                        sender_kind=ChatSender.SEEKER,
                        body=question,
                        created_at=moment,
                    )
                )
                unread += 1
                break
            messages.append(
                ChatMessage(
                    thread=thread,
                    sender_kind=ChatSender.SEEKER,
                    body=question,
                    created_at=moment,
                    read_by_staff_at=answered,
                )
            )
            messages.append(
                ChatMessage(
                    thread=thread,
                    sender_kind=ChatSender.STAFF,
                    staff_user_id=consultant,
                    body=answer,
                    created_at=answered,
                    read_by_seeker_at=answered + dt.timedelta(hours=2)
                    if answered + dt.timedelta(hours=2) < midnight
                    else None,
                )
            )
            moment = answered + dt.timedelta(days=rng.randint(2, 14))
    used = {id(m.thread) for m in messages}
    threads = ChatThread.objects.bulk_create([t for t in threads if id(t) in used])
    ChatMessage.objects.bulk_create(messages, batch_size=2000)
    ctx.log(
        f"messaging.chats: {len(threads)} threads, {len(messages)} messages "
        f"({unread} unread by staff)"
    )
