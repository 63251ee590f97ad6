"""Reviews are generated from the preset (Saitama 2(2)ア(ア)c(e)): 3 months after the
first consultation by the consultant, 6 months after it by the manager, then every 3
months by the manager; month ends are kept; a plan revision or a recorded outcome
completes the review that is due. Kobe configures none."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.consultations.models import Case, Review
from secondcareer.consultations.reviews import ReviewKind, review_due, review_months
from secondcareer.consultations.services import plan_draft_save, plan_revise, review_complete
from secondcareer.consultations.tests.conftest import record
from secondcareer.core.errors import DomainError

SAITAMA = (3, 6)


def test_saitama_schedule_is_3_then_6_then_every_3_months():
    assert [review_months(SAITAMA, n) for n in range(1, 6)] == [3, 6, 9, 12, 15]
    kinds = [review_due(SAITAMA, dt.date(2027, 1, 10), n).kind for n in range(1, 5)]  # type: ignore[union-attr]
    assert kinds == ["consultant", "manager", "manager", "manager"]


@pytest.mark.parametrize(
    ("anchor", "three", "six", "nine"),
    [
        (dt.date(2026, 11, 30), dt.date(2027, 2, 28), dt.date(2027, 5, 30), dt.date(2027, 8, 30)),
        (dt.date(2027, 1, 10), dt.date(2027, 4, 10), dt.date(2027, 7, 10), dt.date(2027, 10, 10)),
        (dt.date(2027, 8, 31), dt.date(2027, 11, 30), dt.date(2028, 2, 29), dt.date(2028, 5, 31)),
    ],
)
def test_due_dates_count_from_the_first_consultation_and_keep_month_ends(anchor, three, six, nine):
    assert [review_due(SAITAMA, anchor, n).due_on for n in (1, 2, 3)] == [three, six, nine]  # type: ignore[union-attr]


def test_no_schedule_means_no_review():
    assert review_due((), dt.date(2027, 1, 10), 1) is None


def test_a_single_entry_repeats_as_the_consultants_review():
    assert [review_due((4,), dt.date(2027, 1, 1), n).due_on for n in (1, 2)] == [  # type: ignore[union-attr]
        dt.date(2027, 5, 1),
        dt.date(2027, 9, 1),
    ]
    assert review_due((4,), dt.date(2027, 1, 1), 2).kind == ReviewKind.CONSULTANT  # type: ignore[union-attr]


def test_first_consultation_on_30_november_is_reviewed_by_the_consultant_on_28_february(
    saitama, st_seeker, st_consultant
):
    record(st_seeker, st_consultant, dt.date(2026, 11, 30))
    case = Case.objects.get(seeker=st_seeker)
    assert case.anchor_on == dt.date(2026, 11, 30)
    (review,) = case.reviews.all()
    assert (review.kind, review.months, review.due_on) == ("consultant", 3, dt.date(2027, 2, 28))
    assert review.done_on is None


def test_later_consultations_do_not_move_the_anchor(saitama, st_seeker, st_consultant):
    record(st_seeker, st_consultant, dt.date(2027, 1, 7))
    record(st_seeker, st_consultant, dt.date(2027, 1, 21))
    case = Case.objects.get(seeker=st_seeker)
    assert case.anchor_on == dt.date(2027, 1, 7)
    assert case.records.count() == 2
    assert list(case.reviews.values_list("due_on", flat=True)) == [dt.date(2027, 4, 7)]


def test_an_earlier_consultation_entered_late_becomes_the_anchor(saitama, st_seeker, st_consultant):
    record(st_seeker, st_consultant, dt.date(2027, 1, 21))
    record(
        st_seeker,
        st_consultant,
        dt.date(2027, 1, 7),
        now=dt.datetime(2027, 1, 22, 9, tzinfo=dt.UTC),
    )
    case = Case.objects.get(seeker=st_seeker)
    assert case.anchor_on == dt.date(2027, 1, 7)
    assert list(case.reviews.values_list("due_on", flat=True)) == [dt.date(2027, 4, 7)]


def test_a_plan_revision_completes_the_3_month_review_and_the_manager_review_follows_at_6(
    saitama, st_seeker, st_consultant, frozen
):
    record(st_seeker, st_consultant, dt.date(2026, 11, 30))
    case = Case.objects.get(seeker=st_seeker)
    frozen(dt.date(2026, 12, 1))
    first = plan_revise(case=case, actor=st_consultant, goals="週3日の事務職", steps=["求人検索"])
    assert case.reviews.get().done_on is None  # approving the first plan is not the review

    frozen(dt.date(2027, 2, 28))
    second = plan_revise(case=case, actor=st_consultant, goals="週3日の事務職（見直し）")

    first.refresh_from_db()
    assert (first.status, second.status, second.version) == ("superseded", "approved", 2)
    three, six = case.reviews.order_by("number")
    assert (three.done_on, three.plan_id, three.done_by) == (
        dt.date(2027, 2, 28),
        second.pk,
        st_consultant,
    )
    assert (six.kind, six.months, six.due_on, six.done_on) == (
        "manager",
        6,
        dt.date(2027, 5, 30),
        None,
    )


def test_the_6_month_review_needs_the_manager_and_then_the_9_month_one_is_scheduled(
    saitama, st_seeker, st_consultant, st_manager, frozen
):
    record(st_seeker, st_consultant, dt.date(2026, 11, 30))
    case = Case.objects.get(seeker=st_seeker)
    frozen(dt.date(2027, 3, 1))
    three = case.reviews.get()
    review_complete(review=three, actor=st_consultant, outcome="計画どおり継続")
    frozen(dt.date(2027, 6, 2))

    with pytest.raises(DomainError) as refused:
        plan_revise(case=case, actor=st_consultant, goals="短時間の軽作業")
    assert refused.value.code == "manager_approval_required"
    assert not case.plans.exists()  # nothing saved

    six = case.reviews.get(done_on__isnull=True)
    with pytest.raises(DomainError):
        review_complete(review=six, actor=st_consultant, outcome="継続")

    draft = plan_draft_save(case=case, actor=st_consultant, goals="短時間の軽作業")
    from secondcareer.consultations.services import plan_approve

    plan_approve(plan=draft, actor=st_manager)
    six.refresh_from_db()
    assert (six.done_on, six.done_by, six.plan_id) == (dt.date(2027, 6, 2), st_manager, draft.pk)
    nine = case.reviews.get(done_on__isnull=True)
    assert (nine.kind, nine.months, nine.due_on) == ("manager", 9, dt.date(2027, 8, 30))


def test_a_recorded_outcome_completes_the_review(saitama, st_seeker, st_consultant, frozen):
    record(st_seeker, st_consultant, dt.date(2027, 1, 7))
    review = Review.objects.get(case__seeker=st_seeker)
    frozen(dt.date(2027, 4, 7))
    review_complete(review=review, actor=st_consultant, outcome="応募先を2社に絞る")
    review.refresh_from_db()
    assert (review.done_on, review.outcome) == (dt.date(2027, 4, 7), "応募先を2社に絞る")
    with pytest.raises(DomainError) as twice:
        review_complete(review=review, actor=st_consultant, outcome="もう一度")
    assert twice.value.code == "conflict"


def test_a_plan_revised_before_the_review_is_due_leaves_it_open(
    saitama, st_seeker, st_consultant, frozen
):
    record(st_seeker, st_consultant, dt.date(2027, 1, 7))
    case = Case.objects.get(seeker=st_seeker)
    frozen(dt.date(2027, 2, 1))
    plan_revise(case=case, actor=st_consultant, goals="目標")
    plan_revise(case=case, actor=st_consultant, goals="目標（修正）")
    assert case.reviews.get().done_on is None


def test_kobe_configures_no_reviews(kobe):
    from secondcareer.consultations.tests.conftest import another_seeker, staff

    consultant = staff(kobe, "consultant")
    seeker = another_seeker(kobe, 1)
    record(seeker, consultant, dt.date(2027, 1, 7), kind="life_career", method="video")
    case = Case.objects.get(seeker=seeker)
    assert case.anchor_on == dt.date(2027, 1, 7)
    assert not case.reviews.exists()
