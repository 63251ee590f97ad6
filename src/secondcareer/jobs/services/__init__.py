"""Writes of employers, development activities and postings (one function per use
case). The Hello Work import is :func:`secondcareer.jobs.services.hellowork.postings_import`."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import name_problem
from secondcareer.core.text import normalize_text, to_katakana
from secondcareer.jobs.models import (
    ActivityKind,
    DevelopmentActivity,
    Employer,
    EmployerContact,
    Industry,
    JobPosting,
    PostingSource,
    PostingStatus,
    WageType,
)
from secondcareer.jobs.search import employer_search_text, posting_search_text
from secondcareer.people.models import User
from secondcareer.programs.models import Program


def _invalid(exc: ValidationError) -> DomainError:
    fields = {key: [str(m) for m in msgs] for key, msgs in exc.message_dict.items()}
    return _refused(fields)


def _refused(fields: dict[str, list[str]]) -> DomainError:
    first = next(iter(fields.values()))[0] if fields else _("入力内容に誤りがあります。")
    return DomainError(first, field_errors=fields)


def _one_line(value: Any) -> Any:
    return normalize_text(value) if isinstance(value, str) else value


def _long_text(value: Any) -> Any:
    """NFKC, line breaks kept, trailing blanks off."""
    if not isinstance(value, str):
        return value
    return "\n".join(
        line.rstrip() for line in unicodedata.normalize("NFKC", value).splitlines()
    ).strip()


def _validated(row: models.Model, fields: dict[str, list[str]], exclude: set[str]) -> None:
    """The model's own field checks on ``row`` (its constraints are checked by the caller
    with readable messages), together with the caller's ``fields`` problems."""
    try:
        row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for key, msgs in exc.message_dict.items():
            if key not in fields:  # the service's own message says it better
                fields[key] = [str(m) for m in msgs]
    if fields:
        raise _refused(fields)


# --- employers ------------------------------------------------------------------------------

EMPLOYER_FIELDS = frozenset(
    {
        "name",
        "name_kana",
        "corporate_number",
        "office_number",
        "address",
        "area",
        "industry",
        "employees",
        "age_limit",
        "retirement_age",
        "rehire_max_age",
        "part_time_ok",
        "training",
        "physical_load",
    }
)
CONTACT_FIELDS = frozenset({"name", "role", "phone", "email"})
_EMPLOYER_TEXT = ("name", "corporate_number", "office_number", "address")


def _employer_check(employer: Employer) -> None:
    fields: dict[str, list[str]] = {}
    for name in _EMPLOYER_TEXT:
        setattr(employer, name, _one_line(getattr(employer, name)))
    employer.name_kana = to_katakana(employer.name_kana) if employer.name_kana else ""
    if employer.area is not None and employer.area.program_id != employer.program_id:
        fields["area"] = [_("地域が事業のものではありません。")]
    if (
        employer.office_number
        and Employer.objects.filter(
            program_id=employer.program_id, office_number=employer.office_number
        )
        .exclude(pk=employer.pk)
        .exists()
    ):
        fields["office_number"] = [_("この事業所番号の事業所はすでに登録されています。")]
    if employer.industry and employer.industry not in Industry.values:
        fields["industry"] = [_("産業は日本標準産業分類の大分類（A〜T）から選んでください。")]
    employer.search_text = employer_search_text(employer.name, employer.name_kana)
    _validated(employer, fields, {"program", "search_text"})


def _contact_check(contact: EmployerContact) -> None:
    fields: dict[str, list[str]] = {}
    for name in CONTACT_FIELDS:
        setattr(contact, name, _one_line(getattr(contact, name)))
    if problem := name_problem(contact.name):
        fields["name"] = [problem]
    _validated(contact, fields, {"employer"})


@transaction.atomic
def employer_create(
    *, program: Program, name: str, contacts: list[dict[str, str]] | None = None, **fields: Any
) -> Employer:
    """An employer with its contacts; 法人番号 and 事業所番号 are checked."""
    unknown = set(fields) - EMPLOYER_FIELDS
    if unknown:
        raise TypeError(f"employer_create: unknown fields {sorted(unknown)}")
    employer = Employer(program=program, name=name, **fields)
    _employer_check(employer)
    employer.save()
    for contact in contacts or []:
        employer_contact_add(employer=employer, **contact)
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, **fields: Any) -> Employer:
    """Change the employer's facts (the fields given; the others stay)."""
    unknown = set(fields) - EMPLOYER_FIELDS
    if unknown:
        raise TypeError(f"employer_update: unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(employer, name, value)
    _employer_check(employer)
    employer.save()
    return employer


@transaction.atomic
def employer_contact_add(
    *, employer: Employer, name: str, role: str = "", phone: str = "", email: str = ""
) -> EmployerContact:
    """A person to contact at the employer (a person: never logged)."""
    contact = EmployerContact(employer=employer, name=name, role=role, phone=phone, email=email)
    _contact_check(contact)
    contact.save()
    return contact


@transaction.atomic
def employer_contact_update(*, contact: EmployerContact, **fields: Any) -> EmployerContact:
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise TypeError(f"employer_contact_update: unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(contact, name, value)
    _contact_check(contact)
    contact.save()
    return contact


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


# --- the centre's own postings ------------------------------------------------------------

POSTING_FIELDS = frozenset(
    {
        "received_on",
        "referral_deadline",
        "employer",
        "office_name",
        "occupation",
        "description",
        "workplace_address",
        "workplace_area",
        "employment_type",
        "employment_period",
        "wage_from",
        "wage_to",
        "wage_type",
        "working_hours",
        "days_per_week",
        "holidays",
        "age",
        "age_limited",
        "age_limit_reason",
        "retirement_age",
        "rehire_max_age",
        "requirements",
        "insurance",
        "openings",
    }
)
_POSTING_ONE_LINE = (
    "number",
    "office_name",
    "occupation",
    "workplace_address",
    "employment_type",
    "employment_period",
    "age",
    "insurance",
)
_POSTING_LONG = ("description", "working_hours", "holidays", "age_limit_reason", "requirements")
OWN_NUMBER_PREFIX = "C-"


def _posting_check(posting: JobPosting, *, today: dt.date, new: bool) -> None:
    fields: dict[str, list[str]] = {}
    for name in _POSTING_ONE_LINE:
        setattr(posting, name, _one_line(getattr(posting, name)))
    for name in _POSTING_LONG:
        setattr(posting, name, _long_text(getattr(posting, name)))
    employer = posting.employer if posting.employer_id else None
    if employer is None or employer.program_id != posting.program_id:
        fields["employer"] = [_("この事業に登録された事業所を選んでください。")]
    elif not posting.office_name:
        posting.office_name = employer.name
    area = posting.workplace_area
    if area is not None and area.program_id != posting.program_id:
        fields["workplace_area"] = [_("地域が事業のものではありません。")]
    if posting.wage_type not in WageType.values:
        fields["wage_type"] = [_("賃金形態は時給・日給・月給のいずれかです。")]
    if posting.wage_from is not None and posting.wage_from < 1:
        fields["wage_from"] = [_("賃金は1円以上で入力してください。")]
    if (
        posting.wage_to is not None
        and posting.wage_from is not None
        and posting.wage_to < posting.wage_from
    ):
        fields["wage_to"] = [_("賃金の上限は下限以上にしてください。")]
    if posting.days_per_week is not None and not 1 <= posting.days_per_week <= 7:
        fields["days_per_week"] = [_("週の勤務日数は1〜7日で入力してください。")]
    deadline = posting.referral_deadline
    if new and isinstance(deadline, dt.date) and deadline < today:
        fields["referral_deadline"] = [_("紹介期限日は今日以降の日付にしてください。")]
    if (
        isinstance(deadline, dt.date)
        and isinstance(posting.received_on, dt.date)
        and posting.received_on > deadline
    ):
        fields["received_on"] = [_("受付年月日は紹介期限日より前の日付にしてください。")]
    if (
        posting.number
        and JobPosting.objects.filter(program_id=posting.program_id, number=posting.number)
        .exclude(pk=posting.pk)
        .exists()
    ):
        fields["number"] = [_("この求人番号はすでに使われています。")]
    posting.search_text = posting_search_text(
        posting.occupation or "", posting.description or "", posting.office_name or ""
    )
    exclude = {"program", "search_text", "source", "status", "closed_on"}
    if "employer" in fields:
        exclude.add("employer")
    _validated(posting, fields, exclude)


def _next_own_number(program: Program) -> str:
    taken = set(
        JobPosting.objects.filter(
            program=program, number__startswith=OWN_NUMBER_PREFIX
        ).values_list("number", flat=True)
    )
    n = len(taken) + 1
    while f"{OWN_NUMBER_PREFIX}{n:06d}" in taken:
        n += 1
    return f"{OWN_NUMBER_PREFIX}{n:06d}"


def posting_create(
    *, program: Program, number: str = "", today: dt.date | None = None, **fields: Any
) -> JobPosting:
    """One of the centre's own postings (source ``own``), open until its 紹介期限日.
    Without a 求人番号 it gets the next ``C-000001``; 受付年月日 defaults to today."""
    unknown = set(fields) - POSTING_FIELDS
    if unknown:
        raise TypeError(f"posting_create: unknown fields {sorted(unknown)}")
    today = today or timezone.localdate()
    fields.setdefault("received_on", today)
    for attempt in range(3):
        try:
            with transaction.atomic():
                posting = JobPosting(
                    program=program,
                    number=number or _next_own_number(program),
                    source=PostingSource.OWN,
                    status=PostingStatus.OPEN,
                    **fields,
                )
                _posting_check(posting, today=today, new=True)
                posting.save()
                return posting
        except IntegrityError:
            # Someone took the same number between the check and the insert.
            if number or attempt == 2:
                raise DomainError(
                    _("同じ求人番号の求人が同時に登録されました。もう一度お試しください。"),
                    code="conflict",
                    status=409,
                    field_errors={"number": [_("この求人番号はすでに使われています。")]},
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _editable(posting: JobPosting) -> None:
    if posting.source != PostingSource.OWN:
        raise DomainError(
            _(
                "ハローワークなど外部から取り込んだ求人は変更できません。内容の変更は元の求人で"
                "行い、次の取り込みで反映してください（募集の終了はできます）。"
            ),
            code="conflict",
            status=409,
        )


@transaction.atomic
def posting_update(*, posting: JobPosting, **fields: Any) -> JobPosting:
    """Change one of the centre's own postings (the fields given; the others stay).
    A Hello Work posting is refused: the next import would overwrite it."""
    unknown = set(fields) - POSTING_FIELDS
    if unknown:
        raise TypeError(f"posting_update: unknown fields {sorted(unknown)}")
    _editable(posting)
    for name, value in fields.items():
        setattr(posting, name, value)
    _posting_check(posting, today=timezone.localdate(), new=False)
    posting.updated_at = timezone.now()
    posting.save()
    return posting


@transaction.atomic
def posting_close(*, posting: JobPosting, on: dt.date | None = None) -> JobPosting:
    """End the recruiting of a posting (filled, withdrawn) from ``on`` (today). Any
    source: a Hello Work posting closed here is reopened by an import that lists it."""
    if posting.status == PostingStatus.CLOSED:
        raise DomainError(_("この求人はすでに募集を終了しています。"), code="conflict", status=409)
    posting.status = PostingStatus.CLOSED
    posting.closed_on = on or timezone.localdate()
    posting.updated_at = timezone.now()
    posting.save(update_fields=["status", "closed_on", "updated_at"])
    return posting
