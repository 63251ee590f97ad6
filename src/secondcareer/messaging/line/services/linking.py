"""Linking a LINE account to a seeker — only through the platform's own pages.

The LINE user id is always taken from an ID token verified server side against the
platform (LINE Login's verify endpoint), never from anything the browser sends.
New users register on a form (personal data typed there, never into the chat);
seekers first registered by phone use a one-time code reception gives them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.core.audit import audit_log
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditAction
from secondcareer.messaging.line.client import client_for
from secondcareer.messaging.line.models import LineUser, LinkCode
from secondcareer.messaging.line.services.push import push_to
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program

CODE_TTL = dt.timedelta(days=7)
MAX_CODE_ATTEMPTS = 5


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


def verified_line_user(*, program: Program, id_token: str) -> LineUser:
    """The LineUser behind a LINE Login ID token, verified with the platform."""
    claims = client_for(program.slug).verify_id_token(id_token) if id_token else None
    if not claims:
        raise DomainError(
            _(
                "LINEでの本人確認ができませんでした。LINEのトーク画面からもう一度このページを開いてください。"
            ),
            code="forbidden",
            status=403,
        )
    user, _created = LineUser.objects.get_or_create(
        program=program,
        line_user_id=str(claims["sub"])[:64],
        defaults={"following": True, "followed_at": timezone.now()},
    )
    return user


def line_user_link(*, line_user: LineUser, seeker: Seeker, actor: Any = None) -> LineUser:
    if seeker.program_id != line_user.program_id:
        raise DomainError(_("この事業の利用者ではありません。"), code="invalid", status=422)
    with transaction.atomic():
        other = LineUser.objects.filter(program_id=line_user.program_id, seeker=seeker).exclude(
            pk=line_user.pk
        )
        if other.exists():
            raise DomainError(
                _("この利用者は別のLINEアカウントと連携済みです。窓口にお問い合わせください。"),
                code="conflict",
                status=409,
            )
        line_user.seeker = seeker
        line_user.linked_at = timezone.now()
        line_user.save(update_fields=["seeker", "linked_at"])
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=seeker,
            program_slug=seeker.program.slug,
            note="line linked",
        )
        from secondcareer.messaging.line.tasks import tell_linked

        user_pk = line_user.pk
        transaction.on_commit(lambda: tell_linked.enqueue(user_pk), robust=True)
    return line_user


def linked_message() -> dict[str, Any]:
    """What LINE says once a registration or a code links the account: what to do next,
    with the booking button at hand. Nothing personal (the name stays on the page)."""
    label = _("相談を予約する")
    return {
        "type": "text",
        "text": _(
            "ご登録ありがとうございました。これでLINEから相談を予約できます。\n"
            "次は、下のメニューの「相談を予約する」か、このボタンを押して、"
            "相談の種類と日時を選んでください。\n"
            "予約の確認や取り消しはメニューの「予約の確認・変更」から、"
            "わからないことは「相談員に聞く」からどうぞ。"
        ),
        "quickReply": {
            "items": [
                {
                    "type": "action",
                    "action": {
                        "type": "postback",
                        "label": label,
                        "data": "action=book",
                        "displayText": label,
                    },
                }
            ]
        },
    }


def line_user_tell_linked(*, line_user_id: int) -> bool:
    """Push :func:`linked_message` to the linked LineUser ``line_user_id`` once (its retry
    key is derived from the link, so a task run twice sends one message). True when a
    message went out; a user who blocked the account or is no longer linked gets none."""
    user = LineUser.objects.select_related("program").filter(pk=line_user_id).first()
    if user is None or user.seeker_id is None or not user.following:
        return False
    sent = push_to(
        program=user.program,
        line_users=[user],
        messages=[linked_message()],
        purpose="linked",
        public=True,
        idempotency_key=f"linked:{user.pk}:{user.seeker_id}",
    )
    return bool(sent)


def link_code_issue(*, seeker: Seeker, actor: Any) -> str:
    """A one-time code (8 digits, 7 days) for reception to give a phone-registered
    seeker. Only its hash is stored."""
    code = f"{secrets.randbelow(10**8):08d}"
    LinkCode.objects.create(
        seeker=seeker, code_hash=_hash(code), expires_at=timezone.now() + CODE_TTL
    )
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=seeker,
        program_slug=seeker.program.slug,
        note="line link code",
    )
    return code


def link_with_code(*, line_user: LineUser, code: str, birth_date: dt.date) -> Seeker:
    """Link using reception's code; the birth date must match the seeker's record.
    A wrong birth date counts against the code (5 tries), committed even though the
    request fails."""
    now = timezone.now()
    digits = "".join(ch for ch in code if ch.isdigit())
    invalid = DomainError(
        _("連携コードまたは生年月日が正しくありません。窓口でお渡ししたコードをご確認ください。"),
        code="invalid",
        status=422,
    )
    link = LinkCode.objects.filter(code_hash=_hash(digits)).select_related("seeker").first()
    if (
        link is None
        or link.used_at is not None
        or link.expires_at < now
        or link.attempts >= MAX_CODE_ATTEMPTS
    ):
        raise invalid
    if link.seeker.program_id != line_user.program_id or link.seeker.birth_date != birth_date:
        LinkCode.objects.filter(pk=link.pk).update(attempts=F("attempts") + 1)
        raise invalid
    with transaction.atomic():
        locked = LinkCode.objects.select_for_update().get(pk=link.pk)
        if locked.used_at is not None:
            raise invalid
        line_user_link(line_user=line_user, seeker=link.seeker)
        locked.used_at = now
        locked.save(update_fields=["used_at"])
    return link.seeker
