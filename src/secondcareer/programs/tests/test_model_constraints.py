"""Single-row rules the database itself refuses to break, whatever writes the row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from secondcareer.programs.models import (
    Closure,
    OpeningPeriod,
    Program,
    ReportDueRule,
    SubstituteDate,
    Venue,
)

pytestmark = pytest.mark.django_db


def _refused(create) -> bool:  # type: ignore[no-untyped-def]
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_database_refuses_an_opening_period_that_does_not_start_before_it_ends(
    kobe: Program,
) -> None:
    service = kobe.services.get(code="in_person")
    assert _refused(
        lambda: OpeningPeriod.objects.create(
            service=service, day_type="saturday", start=dt.time(17), end=dt.time(10)
        )
    )


def test_database_refuses_a_venue_without_booths_or_a_second_venue_with_the_same_code(
    kobe: Program,
) -> None:
    area = kobe.areas.get(code="chuo")
    assert _refused(
        lambda: Venue.objects.create(program=kobe, code="x", name="X", area=area, booths=0)
    )
    assert _refused(
        lambda: Venue.objects.create(program=kobe, code="sannomiya_east", name="X", area=area)
    )


def test_database_refuses_a_recurring_closure_without_its_days(kobe: Program) -> None:
    assert _refused(
        lambda: Closure.objects.create(program=kobe, code="x", name="X", kind="recurring")
    )
    assert _refused(
        lambda: Closure.objects.create(
            program=kobe,
            code="y",
            name="Y",
            kind="one_off",
            start_date=dt.date(2026, 5, 2),
            end_date=dt.date(2026, 5, 1),
        )
    )


def test_database_refuses_a_substitute_on_the_same_day_and_a_second_default_due_rule(
    saitama: Program,
) -> None:
    day = dt.date(2026, 11, 3)
    assert _refused(
        lambda: SubstituteDate.objects.create(program=saitama, original_date=day, held_on=day)
    )
    SubstituteDate.objects.create(program=saitama, original_date=day, held_on=dt.date(2026, 11, 7))
    assert _refused(
        lambda: SubstituteDate.objects.create(
            program=saitama, original_date=day, held_on=dt.date(2026, 11, 8)
        )
    )
    assert _refused(lambda: ReportDueRule.objects.create(program=saitama, day=15))
