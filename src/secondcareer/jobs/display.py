"""How postings and employers read on the screens (pure: labels and values)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from secondcareer.core.jpcalendar import fiscal_year, fiscal_year_label, format_date_ja
from secondcareer.jobs.models import Employer, JobPosting, WageType


def wage_text(wage_type: str, wage_from: int, wage_to: int | None) -> str:
    """「時給 1,100円〜1,300円」, 「月給 180,000円」 (fixed), 「時給 1,000円〜」 (open-ended)."""
    prefix = str(WageType(wage_type).label) if wage_type in WageType.values else ""
    if wage_to is None:
        amount = _("%(from)s円〜") % {"from": f"{wage_from:,}"}
    elif wage_to == wage_from:
        amount = _("%(from)s円") % {"from": f"{wage_from:,}"}
    else:
        amount = _("%(from)s円〜%(to)s円") % {"from": f"{wage_from:,}", "to": f"{wage_to:,}"}
    return f"{prefix} {amount}".strip()


def _label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("あり") if value else _("なし")
    if isinstance(value, dt.date):
        return format_date_ja(value)
    return str(value)


_POSTING_ROWS = (
    "number",
    "received_on",
    "referral_deadline",
    "office_name",
    "occupation",
    "description",
    "workplace_address",
    "workplace_area",
    "employment_type",
    "employment_period",
    "wage",
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
    "source",
)


def posting_rows(posting: JobPosting) -> list[tuple[str, str]]:
    """Every Hello Work field of the posting, in Hello Work's order, with its Japanese label."""
    rows = []
    for name in _POSTING_ROWS:
        if name == "wage":
            rows.append(
                (_("賃金"), wage_text(posting.wage_type, posting.wage_from, posting.wage_to))
            )
        elif name == "source":
            rows.append((_label(JobPosting, name), posting.get_source_display()))
        elif name == "days_per_week" and posting.days_per_week is not None:
            rows.append((_label(JobPosting, name), _("週%(n)s日") % {"n": posting.days_per_week}))
        elif name in {"retirement_age", "rehire_max_age"} and getattr(posting, name):
            rows.append((_label(JobPosting, name), _("%(n)s歳") % {"n": getattr(posting, name)}))
        else:
            rows.append((_label(JobPosting, name), _value(getattr(posting, name))))
    return rows


def employer_facts(employer: Employer) -> list[tuple[str, str]]:
    """The employer's facts, the senior-friendly ones included."""

    def age(value: int | None) -> str:
        return _("%(n)s歳") % {"n": value} if value else "—"

    return [
        (_label(Employer, "name_kana"), _value(employer.name_kana)),
        (_label(Employer, "corporate_number"), _value(employer.corporate_number)),
        (_label(Employer, "office_number"), _value(employer.office_number)),
        (_label(Employer, "address"), _value(employer.address)),
        (_label(Employer, "area"), _value(employer.area)),
        (_label(Employer, "industry"), _value(employer.get_industry_display())),
        (_label(Employer, "employees"), _value(employer.employees)),
        (_label(Employer, "age_limit"), age(employer.age_limit)),
        (_label(Employer, "retirement_age"), age(employer.retirement_age)),
        (_label(Employer, "rehire_max_age"), age(employer.rehire_max_age)),
        (_label(Employer, "part_time_ok"), _value(employer.part_time_ok)),
        (_label(Employer, "training"), _value(employer.training)),
        (_label(Employer, "physical_load"), _value(employer.get_physical_load_display())),
    ]


def fiscal_year_text(first_activity: dt.date | None) -> str:
    """The 新規開拓 fiscal year (「令和8年度」) of an employer first contacted that day."""
    if first_activity is None:
        return _("未開拓")
    return fiscal_year_label(fiscal_year(first_activity))
