"""Writes of matching (one function per use case):

- :func:`profile_save` — a seeker's matching profile, checked field by field (Japanese
  messages per field); a monthly or daily wage wish is converted to yen per hour.
- :func:`match_decide` — a consultant pins or hides a recommendation, or clears it.
- :func:`digest_mark` — remember the digest just given to a seeker.
- :func:`matching_from_preset` — the preset load's writer of ``matching.weights``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.core.audit import audit_log
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditAction
from secondcareer.jobs.models import JobPosting, PhysicalLoad
from secondcareer.matching.engine import to_hourly
from secondcareer.matching.models import (
    EMPLOYMENT_TYPES,
    DigestMark,
    MatchChoice,
    MatchDecision,
    MatchingWeights,
    SeekerProfile,
    TimeOfDay,
)
from secondcareer.people.models import Seeker, User
from secondcareer.programs.models import Area, Program
from secondcareer.programs.preset_format import ProgramPreset
from secondcareer.programs.services import PresetSync

LIST_LIMIT = 20
ITEM_LIMIT = 100
TEXT_LIMIT = 5000
WAGE_TYPES = ("hourly", "daily", "monthly")

_FIELDS = {
    "wished_occupations",
    "wished_areas",
    "max_commute_minutes",
    "days_per_week",
    "hours_per_day",
    "time_of_day",
    "min_hourly_wage",
    "min_wage",
    "min_wage_type",
    "employment_types",
    "physical_limit",
    "licences",
    "skills",
    "career_history",
    "tags",
}


def _invalid(errors: dict[str, list[str]]) -> DomainError:
    return DomainError(
        _("入力内容に誤りがあります。赤字の項目をご確認ください。"),
        code="invalid",
        status=422,
        field_errors=errors,
    )


def _words(value: Any, name: str, errors: dict[str, list[str]]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        errors[name] = [_("文字列のリストで指定してください。")]
        return []
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            errors[name] = [_("文字列のリストで指定してください。")]
            return []
        text = item.strip()
        if len(text) > ITEM_LIMIT:
            errors[name] = [_("1つ %(n)d 文字以内にしてください。") % {"n": ITEM_LIMIT}]
            return []
        if text and text not in out:
            out.append(text)
    if len(out) > LIST_LIMIT:
        errors[name] = [_("%(n)d 個までにしてください。") % {"n": LIST_LIMIT}]
        return []
    return out


def _whole(
    value: Any, name: str, low: int, high: int, message: str, errors: dict[str, list[str]]
) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[name] = [message]
        return None
    return value


def _text(value: Any, name: str, errors: dict[str, list[str]]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = [_("文字列で指定してください。")]
        return ""
    if len(value) > TEXT_LIMIT:
        errors[name] = [_("%(n)d 文字以内にしてください。") % {"n": TEXT_LIMIT}]
        return ""
    return value.strip()


def _areas(program: Program, value: Any, errors: dict[str, list[str]]) -> list[Area]:
    """Areas given as Area rows or as their codes, all of the program."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        errors["wished_areas"] = [_("地域の識別子のリストで指定してください。")]
        return []
    items = list(value)
    known = {a.code: a for a in program.areas.all()}
    out: list[Area] = []
    unknown: list[str] = []
    for item in items:
        if isinstance(item, Area):
            if item.program_id != program.pk:
                unknown.append(item.code)
                continue
            area = item
        elif isinstance(item, str) and item in known:
            area = known[item]
        else:
            unknown.append(str(item)[:50])
            continue
        if area not in out:
            out.append(area)
    if unknown:
        errors["wished_areas"] = [
            _("この事業にない地域です: %(codes)s（%(known)s のいずれか）")
            % {"codes": "、".join(unknown), "known": ", ".join(known)}
        ]
    return out


def _validated(
    program: Program, fields: dict[str, Any], current: SeekerProfile | None
) -> tuple[dict[str, Any], list[Area] | None]:
    unknown = sorted(set(fields) - _FIELDS)
    if unknown:
        raise TypeError(f"profile_save() got unknown fields: {unknown}")
    errors: dict[str, list[str]] = {}

    def given(name: str, default: Any) -> Any:
        if name in fields:
            return fields[name]
        return getattr(current, name) if current is not None else default

    values: dict[str, Any] = {}
    values["wished_occupations"] = _words(
        given("wished_occupations", []), "wished_occupations", errors
    )
    values["tags"] = _words(given("tags", []), "tags", errors)
    types = _words(given("employment_types", []), "employment_types", errors)
    bad_types = [t for t in types if t not in EMPLOYMENT_TYPES]
    if bad_types:
        errors["employment_types"] = [
            _("雇用形態は %(known)s のいずれかです（%(got)s）")
            % {"known": "、".join(EMPLOYMENT_TYPES), "got": "、".join(bad_types)}
        ]
    values["employment_types"] = types
    values["max_commute_minutes"] = _whole(
        given("max_commute_minutes", 60),
        "max_commute_minutes",
        5,
        240,
        _("通勤時間の上限は 5〜240 分の整数で指定してください。"),
        errors,
    )
    values["days_per_week"] = _whole(
        given("days_per_week", 5),
        "days_per_week",
        1,
        7,
        _("働ける日数は週 1〜7 日の整数で指定してください。"),
        errors,
    )
    hours = given("hours_per_day", 8)
    if (
        isinstance(hours, bool)
        or not isinstance(hours, int | float)
        or not math.isfinite(hours)
        or not 1 <= hours <= 24
    ):
        errors["hours_per_day"] = [_("働ける時間は1日 1〜24 時間で指定してください。")]
        hours = None
    values["hours_per_day"] = float(hours) if hours is not None else None
    time_of_day = given("time_of_day", TimeOfDay.ANY)
    if time_of_day not in TimeOfDay.values:
        errors["time_of_day"] = [
            _("希望の時間帯は %(known)s のいずれかです。") % {"known": ", ".join(TimeOfDay.values)}
        ]
    values["time_of_day"] = time_of_day
    physical = given("physical_limit", PhysicalLoad.HEAVY)
    if physical not in PhysicalLoad.values:
        errors["physical_limit"] = [
            _("身体的な負担の上限は %(known)s のいずれかです。")
            % {"known": ", ".join(PhysicalLoad.values)}
        ]
    values["physical_limit"] = physical
    for name in ("licences", "skills", "career_history"):
        values[name] = _text(given(name, ""), name, errors)
    values["min_hourly_wage"] = _min_wage(fields, current, values, errors)
    areas = _areas(program, fields["wished_areas"], errors) if "wished_areas" in fields else None
    if errors:
        raise _invalid(errors)
    return values, areas


def _min_wage(
    fields: dict[str, Any],
    current: SeekerProfile | None,
    values: dict[str, Any],
    errors: dict[str, list[str]],
) -> int | None:
    """``min_hourly_wage`` as given, or ``min_wage`` of ``min_wage_type`` (hourly, daily,
    monthly) in yen per hour over the profile's own days and hours."""
    if "min_wage" in fields or "min_wage_type" in fields:
        amount = fields.get("min_wage", 0)
        kind = fields.get("min_wage_type", "hourly")
        if kind not in WAGE_TYPES:
            errors["min_wage_type"] = [
                _("賃金の形態は hourly（時給）, daily（日給）, monthly（月給）のいずれかです。")
            ]
            return None
        if (
            _whole(
                amount,
                "min_wage",
                0,
                2_000_000,
                _("希望の賃金は 0〜2,000,000 円の整数で指定してください。"),
                errors,
            )
            is None
        ):
            return None
        hours, days = values.get("hours_per_day"), values.get("days_per_week")
        if kind != "hourly" and (not hours or not days):
            return None  # their own error is already reported
        hourly = to_hourly(amount, kind, hours_per_day=hours or 8, days_per_week=days or 5)
        if hourly > 20_000:
            errors["min_wage"] = [
                _("時給に直すと 20,000 円を超えます。金額と形態をご確認ください。")
            ]
            return None
        return round(hourly)
    value = fields.get("min_hourly_wage", current.min_hourly_wage if current is not None else 0)
    return _whole(
        value,
        "min_hourly_wage",
        0,
        20_000,
        _("希望の時給は 0〜20,000 円の整数で指定してください（0 は指定なし）。"),
        errors,
    )


@transaction.atomic
def profile_save(
    *, program: Program, seeker: Seeker, by: User | None, **fields: Any
) -> SeekerProfile:
    """Create or update the seeker's profile in the program with ``fields`` (the model's
    fields; ``wished_areas`` as areas or their codes; or ``min_wage`` with
    ``min_wage_type`` instead of ``min_hourly_wage``). Fields not given keep their value.
    :class:`DomainError` (422) with a Japanese message per field when one is wrong."""
    if seeker.program_id != program.pk:
        raise DomainError(
            _("この利用者はこの事業に登録されていません。"), code="not_found", status=404
        )
    current = (
        SeekerProfile.objects.select_for_update().filter(program=program, seeker=seeker).first()
    )
    values, areas = _validated(program, fields, current)
    now = timezone.now()
    created = current is None
    profile = current or SeekerProfile(program=program, seeker=seeker)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.updated_at = now
    profile.updated_by = by
    profile.save()
    if areas is not None:
        profile.wished_areas.set(areas)
    audit_log(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=profile,
        program_slug=program.slug,
    )
    return profile


@transaction.atomic
def match_decide(
    *, program: Program, seeker: Seeker, posting: JobPosting, choice: str, by: User | None
) -> MatchDecision | None:
    """Pin or hide ``posting`` for ``seeker`` (remembered), or ``clear`` the choice
    (returns None)."""
    if choice not in (*MatchChoice.values, "clear"):
        raise _invalid(
            {"choice": [_("choice は pin（固定）, hide（非表示）, clear（解除）のいずれかです。")]}
        )
    if seeker.program_id != program.pk:
        raise DomainError(
            _("この利用者はこの事業に登録されていません。"), code="not_found", status=404
        )
    if posting.program_id != program.pk:
        raise DomainError(
            _("この求人はこの事業のものではありません。"), code="not_found", status=404
        )
    existing = MatchDecision.objects.filter(program=program, seeker=seeker, posting=posting)
    if choice == "clear":
        decision = existing.first()
        if decision is not None:
            audit_log(actor=by, action=AuditAction.DELETE, obj=decision, program_slug=program.slug)
            decision.delete()
        return None
    decision, created = MatchDecision.objects.update_or_create(
        program=program,
        seeker=seeker,
        posting=posting,
        defaults={"choice": choice, "by": by, "at": timezone.now()},
    )
    audit_log(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=decision,
        program_slug=program.slug,
        note=choice,
    )
    return decision


@transaction.atomic
def digest_mark(
    *, program: Program, seeker: Seeker, postings: Sequence[JobPosting | int], now: dt.datetime
) -> DigestMark:
    """Remember that ``seeker`` was given the digest of ``postings`` at ``now``: the next
    :func:`~secondcareer.matching.selectors.digest_for` holds only postings new since."""
    ids = [p if isinstance(p, int) else p.pk for p in postings]
    mark, _created = DigestMark.objects.update_or_create(
        program=program, seeker=seeker, defaults={"at": now, "posting_ids": ids}
    )
    return mark


def matching_from_preset(sync: PresetSync, program: Program, preset: ProgramPreset) -> None:
    """The preset load's writer of ``matching.weights`` (without the section the row is
    removed and the engine's defaults apply)."""
    wanted = []
    if preset.matching is not None:
        wanted.append(("weights", {"program": program, **preset.matching.weights.as_dict()}))
    sync.rows(
        MatchingWeights,
        MatchingWeights.objects.filter(program=program),
        lambda _row: "weights",
        wanted,
    )
