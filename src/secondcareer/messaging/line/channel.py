"""The LINE channel as the core of messaging sees it (:class:`~secondcareer.messaging.
channels.Channel`, ADR 0022), registered under :data:`LINE` in ``apps.py``.

An inquiry from LINE carries the asker's LINE user id as its ``contact_key``. A general
answer goes out by push, checked by the outbound policy as staff text marked public
(before it is recorded too); a personal one as a link to a page the asker opens after
LINE verifies them (``pages.answer``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.messaging.channels import Contact
from secondcareer.messaging.line.client import client_for
from secondcareer.messaging.line.models import LineUser
from secondcareer.messaging.line.services.push import push_to
from secondcareer.messaging.models import AnswerDelivery, Inquiry
from secondcareer.messaging.policy import OutboundRefused

LINE = "line"  # the channel's name, in Inquiry.channel

ANSWER_HEADER = "ご質問への回答です。"
LINK_TEXT = "ご質問への回答をご用意しました。個人に関わる内容のため、次のページで本人確認のうえご覧ください。"


def site_url() -> str:
    return str(getattr(settings, "SECONDCAREER_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _messages_for(inquiry: Inquiry) -> tuple[list[dict[str, Any]], bool]:
    if inquiry.delivery == AnswerDelivery.LINK:
        url = site_url() + reverse("line:answer", args=[inquiry.program.slug, inquiry.answer_token])
        return [{"type": "text", "text": f"{LINK_TEXT}\n{url}"}], False
    return [{"type": "text", "text": f"{ANSWER_HEADER}\n{inquiry.answer}"}], True


def asker_account(inquiry: Inquiry) -> LineUser | None:
    """The LINE account that asked ``inquiry`` (None for another channel's inquiry, or
    when no account of the program has its LINE user id)."""
    if inquiry.channel != LINE or not inquiry.contact_key:
        return None
    return (
        LineUser.objects.select_related("seeker")
        .filter(program_id=inquiry.program_id, line_user_id=inquiry.contact_key)
        .first()
    )


class LineChannel:
    """Inquiries asked on LINE: answered by push or by link, shown to staff as the
    linked seeker or as an unregistered LINE user with LINE's display name."""

    def check_answer(self, inquiry: Inquiry, text: str) -> None:
        try:
            client_for(inquiry.program.slug)._check(
                [{"type": "text", "text": text}], public=True, source="staff"
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

    def deliver_answer(self, inquiry: Inquiry) -> None:
        account = asker_account(inquiry)
        if account is None:
            return
        messages, staff_text = _messages_for(inquiry)
        push_to(
            program=inquiry.program,
            line_users=[account],
            messages=messages,
            purpose="inquiry_answer",
            public=staff_text,
            source="staff" if staff_text else "system",
        )

    def contact(self, inquiry: Inquiry) -> Contact:
        account = asker_account(inquiry)
        if account is None:
            return Contact()
        if account.seeker is not None:
            return Contact(seeker=account.seeker)
        if not account.display_name:
            return Contact(label=_("未登録のLINE利用者"))
        label = _("未登録のLINE利用者（LINEの表示名: %(name)s）") % {"name": account.display_name}
        return Contact(label=label, record=account)
