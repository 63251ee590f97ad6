"""What messaging holds on a seeker (docs/personal-data.md): inquiries (the question
and the answer), the secure chat and its one-time codes. Anonymising blanks the texts
and the channel's key for the person; dates, statuses, channels and who answered stay,
so the answer-time (SLA) and chat counts stay."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from secondcareer.core.personal_data import register
from secondcareer.messaging.models import ChatAccessCode, ChatMessage, ChatThread, Inquiry

INQUIRY_ANONYMISED = {"question": "", "answer": "", "contact_key": "", "answer_token": None}

register(
    key="messaging.inquiries",
    title=_("問い合わせ"),
    model=Inquiry,
    seeker="seeker",
    secret=("answer_token",),
    anonymise=INQUIRY_ANONYMISED,
    activity=("created_at",),
    order=50,
)
register(
    key="messaging.chat_threads",
    title=_("チャット"),
    model=ChatThread,
    seeker="seeker",
    order=51,
)
register(
    key="messaging.chat_messages",
    title=_("チャットのメッセージ"),
    model=ChatMessage,
    seeker="thread__seeker",
    anonymise={"body": ""},
    activity=("created_at",),
    order=52,
)
register(
    key="messaging.chat_codes",
    title=_("チャットのワンタイムコード（コードそのものは保存していません）"),
    model=ChatAccessCode,
    seeker="thread__seeker",
    secret=("code_hash",),
    order=53,
)
