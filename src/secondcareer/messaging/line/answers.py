"""Inquiry answers over LINE: a general answer by push (checked by the outbound policy
as staff text marked public), a personal one as a link to a verified page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.messaging.line.client import client_for
from secondcareer.messaging.line.services.push import push_to
from secondcareer.messaging.models import AnswerDelivery, Inquiry
from secondcareer.messaging.policy import OutboundRefused
from secondcareer.messaging.services import inquiry_answer

ANSWER_HEADER = "ご質問への回答です。"
LINK_TEXT = "ご質問への回答をご用意しました。個人に関わる内容のため、次のページで本人確認のうえご覧ください。"


def site_url() -> str:
    return str(getattr(settings, "SECONDCAREER_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _messages_for(inquiry: Inquiry) -> tuple[list[dict[str, Any]], bool]:
    if inquiry.delivery == AnswerDelivery.LINK:
        url = site_url() + reverse("line:answer", args=[inquiry.program.slug, inquiry.answer_token])
        return [{"type": "text", "text": f"{LINK_TEXT}\n{url}"}], False
    return [{"type": "text", "text": f"{ANSWER_HEADER}\n{inquiry.answer}"}], True


def _deliver(inquiry: Inquiry) -> None:
    if inquiry.line_user is None:
        return
    messages, staff_text = _messages_for(inquiry)
    push_to(
        program=inquiry.program,
        line_users=[inquiry.line_user],
        messages=messages,
        purpose="inquiry_answer",
        public=staff_text,
        source="staff" if staff_text else "system",
    )


def line_inquiry_answer(*, inquiry: Inquiry, actor: Any, answer: str, personal: bool) -> Inquiry:
    """Answer; a general answer is checked by the outbound policy BEFORE it is recorded,
    so staff learn at once when it must go as a link instead."""
    if not personal:
        try:
            client_for(inquiry.program.slug)._check(
                [{"type": "text", "text": answer}], public=True, source="staff"
            )
        except OutboundRefused as exc:
            raise DomainError(
                _(
                    "回答に電話番号・住所・生年月日などLINEで送れない内容が含まれています。"
                    "「個人に関わる内容を含む」にチェックして、リンクで送ってください。"
                ),
                code="refused",
                status=422,
            ) from exc
    return inquiry_answer(
        inquiry=inquiry, actor=actor, answer=answer, personal=personal, deliver=_deliver
    )
