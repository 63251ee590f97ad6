"""Writes of employers, development activities and postings (one function per use
case). The Hello Work import is :func:`secondcareer.jobs.services.hellowork.postings_import`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.jobs.models import (
    ActivityKind,
    DevelopmentActivity,
    Employer,
    EmployerContact,
    JobPosting,
    PostingStatus,
)
from secondcareer.people.models import User
from secondcareer.programs.models import Program


def _invalid(exc: ValidationError) -> DomainError:
    fields = {key: [str(m) for m in msgs] for key, msgs in exc.message_dict.items()}
    first = next(iter(fields.values()))[0] if fields else _("入力内容に誤りがあります。")
    return DomainError(first, field_errors=fields)


@transaction.atomic
def employer_create(
    *, program: Program, name: str, contacts: list[dict[str, str]] | None = None, **fields: Any
) -> Employer:
    """An employer with its contacts; 法人番号 and 事業所番号 are checked."""
    employer = Employer(program=program, name=name, **fields)
    if employer.area is not None and employer.area.program_id != program.pk:
        raise DomainError(_("地域が事業のものではありません。"))
    try:
        employer.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from exc
    employer.save()
    for contact in contacts or []:
        row = EmployerContact(employer=employer, **contact)
        try:
            row.full_clean()
        except ValidationError as exc:
            raise _invalid(exc) from exc
        row.save()
    return employer


@transaction.atomic
def development_activity_record(
    *,
    employer: Employer,
    kind: str,
    on: dt.date,
    by: User | None,
    appeal: str = "",
    outcome: str = "",
) -> DevelopmentActivity:
    if kind not in ActivityKind.values:
        raise DomainError(_("開拓の方法は訪問・電話・郵送/メール・面接会のいずれかです。"))
    return DevelopmentActivity.objects.create(
        employer=employer, kind=kind, on=on, by=by, appeal=appeal, outcome=outcome
    )


@transaction.atomic
def postings_close_expired(*, program: Program, on: dt.date) -> int:
    """Close the program's open postings whose 紹介期限日 is before ``on``; their
    ``closed_on`` is the day after the deadline. Returns how many were closed."""
    expired = list(
        JobPosting.objects.filter(
            program=program, status=PostingStatus.OPEN, referral_deadline__lt=on
        ).only("pk", "referral_deadline")
    )
    now = timezone.now()
    for posting in expired:
        posting.status = PostingStatus.CLOSED
        posting.closed_on = posting.referral_deadline + dt.timedelta(days=1)
        posting.updated_at = now
    JobPosting.objects.bulk_update(expired, ["status", "closed_on", "updated_at"], batch_size=500)
    return len(expired)
