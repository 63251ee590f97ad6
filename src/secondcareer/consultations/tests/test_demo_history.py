"""``seed-demo``'s case records follow the same rules as records written by staff: one
record per attended or missed booking, a case opened by the first consultation, one
current plan, reviews on the preset's schedule with some overdue for the staff home."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Min, Q

from secondcareer.booking import demo as booking_demo
from secondcareer.booking.models import Reservation, ReservationStatus
from secondcareer.consultations.models import (
    Attendance,
    Case,
    ConsultationRecord,
    PlanStatus,
    Review,
    SupportPlan,
)
from secondcareer.consultations.reviews import ReviewKind, review_due
from secondcareer.consultations.selectors import reviews_due
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.programs.models import Program
from secondcareer.programs.services import program_load_preset

TODAY = dt.date(2026, 9, 14)
HISTORY = 250  # days: long enough for the 3- and 6-month reviews
SEEKERS = 60
SEED = 3


@pytest.fixture(scope="module")
def seeded_programs(django_db_setup: None, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(booking_demo, "HISTORY_DAYS", HISTORY)
        with transaction.atomic():
            for slug in ("saitama", "kobe"):
                program_load_preset(path_or_name=slug)
                call_command(
                    "seed-demo",
                    program=slug,
                    seekers=SEEKERS,
                    seed=SEED,
                    today=TODAY.isoformat(),
                    stdout=io.StringIO(),
                )
            yield
            transaction.set_rollback(True)


@pytest.fixture(params=["saitama", "kobe"])
def seeded(request: pytest.FixtureRequest, seeded_programs: None, db: None) -> Program:
    return Program.objects.get(slug=request.param)


def test_every_attended_or_missed_booking_has_exactly_one_record(seeded: Program) -> None:
    done = Reservation.objects.filter(
        program=seeded, status__in=(ReservationStatus.ATTENDED, ReservationStatus.NO_SHOW)
    )
    records = ConsultationRecord.objects.filter(program=seeded)
    assert done.count() > 100
    assert records.count() == done.count()
    assert not records.filter(
        reservation__status__in=(ReservationStatus.CANCELLED, ReservationStatus.CONFIRMED)
    ).exists()
    mismatched = records.exclude(
        Q(attendance=Attendance.ATTENDED, reservation__status=ReservationStatus.ATTENDED)
        | Q(attendance=Attendance.NO_SHOW, reservation__status=ReservationStatus.NO_SHOW)
    )
    assert not mismatched.exists()
    attended = records.filter(attendance=Attendance.ATTENDED)
    assert not attended.filter(case__isnull=True).exists()
    assert not attended.filter(notes="").exists()
    assert attended.annotate(n=Count("topics")).filter(n=0).count() == 0


def test_a_case_is_anchored_on_its_first_consultation_with_one_current_plan(
    seeded: Program,
) -> None:
    cases = list(
        Case.objects.filter(program=seeded).annotate(
            first=Min("records__started_at", filter=Q(records__attendance=Attendance.ATTENDED))
        )
    )
    current = Counter(
        SupportPlan.objects.filter(case__program=seeded, status=PlanStatus.APPROVED).values_list(
            "case_id", flat=True
        )
    )
    assert len(cases) > 20
    for case in cases:
        assert case.first is not None
        assert case.anchor_on == case.first.astimezone(TOKYO).date()
        assert current[case.pk] <= 1
        assert case.consultant_id is not None
        assert case.assignments.exists()
    assert sum(1 for case in cases if current[case.pk] == 1) > len(cases) // 2
    # One data store: the same seeker never has two open cases.
    open_per_seeker = Counter(
        Case.objects.filter(program=seeded, closed_on__isnull=True).values_list(
            "seeker_id", flat=True
        )
    )
    assert max(open_per_seeker.values()) == 1


def test_reviews_follow_the_preset_schedule_and_some_are_overdue(seeded: Program) -> None:
    schedule = list(seeded.plan_review_months or [])
    reviews = Review.objects.filter(case__program=seeded).select_related("case")
    if not schedule:  # Kobe reviews no plans
        assert not reviews.exists()
        return
    assert reviews.count() > 20
    for review in reviews:
        due = review_due(schedule, review.case.anchor_on, review.number)
        assert due is not None
        assert (review.due_on, review.kind) == (due.due_on, due.kind)
        if review.done_on is not None:
            assert review.done_on < TODAY
            assert review.outcome
    assert reviews.filter(kind=ReviewKind.MANAGER, done_on__isnull=False).exists()
    open_per_case = Counter(reviews.filter(done_on__isnull=True).values_list("case_id", flat=True))
    assert max(open_per_case.values()) == 1
    # Overdue reviews of open cases are on the list the staff home and reviews-due show.
    assert reviews_due(seeded, TODAY).filter(due_on__lt=TODAY).exists()


def _contact_days(program: Program) -> dict[int, list[dt.date]]:
    from secondcareer.consultations.models import InactivityCheck
    from secondcareer.messaging.models import ChatMessage

    days: dict[int, list[dt.date]] = {}
    sources = [
        ConsultationRecord.objects.filter(
            program=program, attendance=Attendance.ATTENDED
        ).values_list("seeker_id", "started_at"),
        Reservation.objects.filter(program=program)
        .exclude(status__in=[ReservationStatus.CANCELLED, ReservationStatus.NO_SHOW])
        .values_list("seeker_id", "starts_at"),
        ChatMessage.objects.filter(thread__program=program, sender_kind="seeker").values_list(
            "thread__seeker_id", "created_at"
        ),
        InactivityCheck.objects.filter(program=program, reached_at__isnull=False).values_list(
            "seeker_id", "reached_at"
        ),
    ]
    for rows in sources:
        for seeker_id, moment in rows:
            days.setdefault(seeker_id, []).append(moment.astimezone(TOKYO).date())
    return days


def test_inactivity_calls_and_postcards_reach_only_seekers_out_of_contact_then(
    seeded: Program,
) -> None:
    from dateutil.relativedelta import relativedelta

    from secondcareer.consultations.models import InactivityCheck
    from secondcareer.consultations.selectors import employment_checks_due

    checks = list(InactivityCheck.objects.filter(program=seeded))
    months = seeded.inactivity_followup_months
    if not months:  # Kobe has no inactivity follow-up
        assert not checks
        return
    assert len(checks) > 10
    assert {c.method for c in checks} == {"phone", "postcard"}
    assert {c.result for c in checks} == {"working", "searching", "stopped", "unreachable"}
    days = _contact_days(seeded)
    for check in checks:
        assert check.done_on < TODAY
        # Out of contact at the time: no contact in the months before the check.
        earlier = [d for d in days[check.seeker_id] if d < check.done_on]
        assert earlier, check
        assert max(earlier) < check.done_on - relativedelta(months=months), check
        assert check.last_contact_on == max(earlier)
        assert check.reached == (check.method == "phone" and check.result != "unreachable")
    # The latest round is not all done: the staff home has checks due.
    _rows, counts = employment_checks_due([(seeded, None)], TODAY, limit=5)
    assert counts.get(seeded.pk, 0) > 0
