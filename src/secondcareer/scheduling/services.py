"""Roster writes: recurring shifts and dated exceptions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.scheduling.models import ExceptionKind, ShiftException, ShiftPattern


def _check_place(program: Program, venue: Venue | None, service: Service | None) -> None:
    if (venue is None) == (service is None):
        raise DomainError(
            _("会場かオンライン相談サービスのどちらか一方を指定してください。"),
            code="invalid",
            status=422,
        )
    if venue is not None and venue.program_id != program.pk:
        raise DomainError(_("この事業の会場ではありません。"), code="invalid", status=422)
    if service is not None and (service.program_id != program.pk or service.delivery != "remote"):
        raise DomainError(
            _("この事業のオンライン相談サービスを指定してください。"), code="invalid", status=422
        )


def _nth_may_coincide(a: list[int] | None, b: list[int] | None) -> bool:
    """Whether two "nth weekday of the month" rules can fall on the same day: every
    week (None) meets anything; 1st+3rd and 2nd+4th never meet; a rule counted from the
    end of the month (negative) may meet the 4th or 5th, so it counts as meeting."""
    if not a or not b:
        return True
    if any(n < 0 for n in (*a, *b)):
        return True
    return bool(set(a) & set(b))


def shift_pattern_create(
    *,
    program: Program,
    consultant: Any,
    weekday: int,
    start: dt.time,
    end: dt.time,
    valid_from: dt.date,
    venue: Venue | None = None,
    service: Service | None = None,
    nth: list[int] | None = None,
    valid_until: dt.date | None = None,
) -> ShiftPattern:
    """A recurring shift. A consultant cannot be rostered in two places at once."""
    _check_place(program, venue, service)
    if not start < end:
        raise DomainError(_("開始時刻は終了時刻より前にしてください。"), code="invalid", status=422)
    with transaction.atomic():
        clash = ShiftPattern.objects.filter(
            consultant=consultant,
            weekday=weekday,
            start__lt=end,
            end__gt=start,
        ).exclude(valid_until__lt=valid_from)
        if valid_until is not None:
            clash = clash.exclude(valid_from__gt=valid_until)
        if any(
            _nth_may_coincide(nth or None, other) for other in clash.values_list("nth", flat=True)
        ):
            raise DomainError(
                _("同じ曜日・時間帯に別の勤務が入っています。"), code="conflict", status=409
            )
        return ShiftPattern.objects.create(
            program=program,
            consultant=consultant,
            venue=venue,
            service=service,
            weekday=weekday,
            nth=nth or None,
            start=start,
            end=end,
            valid_from=valid_from,
            valid_until=valid_until,
        )


def absence_record(
    *, program: Program, consultant: Any, day: dt.date, note: str = ""
) -> ShiftException:
    """The consultant is absent all day (idempotent)."""
    with transaction.atomic():
        existing = ShiftException.objects.filter(
            consultant=consultant, day=day, kind=ExceptionKind.ABSENT
        ).first()
        if existing:
            return existing
        return ShiftException.objects.create(
            program=program,
            consultant=consultant,
            day=day,
            kind=ExceptionKind.ABSENT,
            note=note[:200],
        )


def extra_shift_record(
    *,
    program: Program,
    consultant: Any,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    venue: Venue | None = None,
    service: Service | None = None,
    note: str = "",
) -> ShiftException:
    """An extra shift on one day (covering a colleague, a substitute day)."""
    _check_place(program, venue, service)
    if not start < end:
        raise DomainError(_("開始時刻は終了時刻より前にしてください。"), code="invalid", status=422)
    return ShiftException.objects.create(
        program=program,
        consultant=consultant,
        day=day,
        kind=ExceptionKind.EXTRA,
        venue=venue,
        service=service,
        start=start,
        end=end,
        note=note[:200],
    )
