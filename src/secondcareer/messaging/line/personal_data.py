"""What the LINE channel holds on a seeker (docs/personal-data.md): the linked LINE
account, link codes, the webhook events from that account, the pushes to it, and the
inquiries asked from it before it was linked. Anonymising removes the LINE user id,
display name, conversation state and the events' contents; dates, kinds and statuses
stay. Multicasts (campaigns to many) keep their recipient lists."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import CharField, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from secondcareer.core.personal_data import register
from secondcareer.messaging.line.channel import LINE
from secondcareer.messaging.line.models import LineUser, LinkCode, OutboundMessage, WebhookEvent
from secondcareer.messaging.models import Inquiry
from secondcareer.messaging.personal_data import INQUIRY_ANONYMISED


def _line_user_ids(seeker_ids: Collection[int]) -> list[str]:
    return list(
        LineUser.objects.filter(seeker__in=list(seeker_ids)).values_list("line_user_id", flat=True)
    )


def _events(seeker_ids: Collection[int]) -> QuerySet[Any]:
    return WebhookEvent.objects.filter(line_user_id__in=_line_user_ids(seeker_ids))


def _pushes(seeker_ids: Collection[int]) -> QuerySet[Any]:
    ids = _line_user_ids(seeker_ids)
    if not ids:
        return OutboundMessage.objects.none()
    to_them = Q()
    for line_user_id in ids:
        to_them |= Q(recipients_text__contains=f'"{line_user_id}"')
    return (
        OutboundMessage.objects.filter(kind="push")
        .annotate(recipients_text=Cast("recipients", TextField()))
        .filter(to_them)
    )


def _inquiries_before_linking(seeker_ids: Collection[int]) -> QuerySet[Any]:
    return Inquiry.objects.filter(
        seeker__isnull=True, channel=LINE, contact_key__in=_line_user_ids(seeker_ids)
    )


register(
    key="line.accounts",
    title=_("LINEの連携"),
    model=LineUser,
    seeker="seeker",
    anonymise={
        "line_user_id": Concat(Value("anonymised-"), Cast("pk", CharField())),
        "display_name": "",
        "dialogue_state": {},
    },
    order=60,
)
register(
    key="line.link_codes",
    title=_("LINE連携コード（コードそのものは保存していません）"),
    model=LinkCode,
    seeker="seeker",
    secret=("code_hash",),
    order=61,
)
register(
    key="line.events",
    title=_("LINEから届いたイベント"),
    model=WebhookEvent,
    rows=_events,
    secret=("dedupe_key",),
    anonymise={"line_user_id": "", "payload": {}, "note": ""},
    order=62,
)
register(
    key="line.pushes",
    title=_("LINEで送ったメッセージ"),
    model=OutboundMessage,
    rows=_pushes,
    anonymise={"recipients": []},
    order=63,
)
register(
    key="line.inquiries_before_linking",
    title=_("連携前にLINEから届いた問い合わせ"),
    model=Inquiry,
    rows=_inquiries_before_linking,
    secret=("answer_token",),
    anonymise=INQUIRY_ANONYMISED,
    order=64,
)
