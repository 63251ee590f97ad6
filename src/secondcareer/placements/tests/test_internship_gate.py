"""The internship gate (issue 14, Done when): a work-experience internship is confirmed
only with the participant's and the employer's consent and an insurance covering every
day; an observation needs the consents only. Each refusal says in Japanese what is
missing, and nothing is confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from secondcareer.core.errors import DomainError
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.placements.internship_models import (
    ConsentParty,
    Internship,
    InternshipKind,
    InternshipStatus,
)
from secondcareer.placements.internships.services import (
    internship_confirm,
    internship_consent_record,
    internship_create,
    internship_insurance_record,
    internship_missing,
    internship_update,
)
from secondcareer.placements.tests.internship_helpers import (
    DAY,
    both_consents,
    consent,
    employer,
    insure,
    internship,
    participant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=TOKYO), tick=False):
        yield


def refused_confirm(item: Internship, by: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        internship_confirm(internship=item, by=by)
    item.refresh_from_db()
    assert item.status == InternshipStatus.PLANNED
    assert item.confirmed_at is None
    return caught.value


def test_work_experience_with_both_consents_and_insurance_for_every_day_is_confirmed(
    program, job_developer
):
    item = internship(program, by=job_developer)
    both_consents(item, job_developer)
    insure(item, by=job_developer)
    internship_confirm(internship=item, by=job_developer)
    item.refresh_from_db()
    assert item.status == InternshipStatus.CONFIRMED
    assert item.confirmed_by == job_developer
    assert item.confirmed_at is not None


def test_without_the_participants_consent_it_is_refused(program, job_developer):
    item = internship(program)
    consent(item, ConsentParty.EMPLOYER)
    insure(item)
    error = refused_confirm(item, job_developer)
    assert error.message == "インターンシップを確定できません。足りないもの：参加者の同意"
    assert error.status == 409


def test_without_the_employers_consent_it_is_refused(program, job_developer):
    item = internship(program)
    consent(item, ConsentParty.PARTICIPANT)
    insure(item)
    error = refused_confirm(item, job_developer)
    assert "受入事業所の同意" in error.message
    assert "参加者の同意" not in error.message


def test_work_experience_without_insurance_is_refused(program, job_developer):
    item = internship(program)
    both_consents(item)
    error = refused_confirm(item, job_developer)
    assert "保険の加入" in error.message
    assert "同意" not in error.message


def test_insurance_that_does_not_cover_a_day_is_refused_and_the_day_is_named(
    program, job_developer
):
    item = internship(program, days=3)
    both_consents(item)
    insure(item, start=DAY, end=DAY + dt.timedelta(days=1))  # the third day is not covered
    error = refused_confirm(item, job_developer)
    assert "2026年12月10日" in error.message
    assert "補償期間" in error.message
    assert "2026年12月8日" not in error.message


def test_everything_missing_is_named_at_once(program, job_developer):
    error = refused_confirm(internship(program), job_developer)
    assert error.message == (
        "インターンシップを確定できません。足りないもの：参加者の同意、受入事業所の同意、"
        "保険の加入（職場体験には必要です）"
    )
    assert error.details == {
        "missing": ["参加者の同意", "受入事業所の同意", "保険の加入（職場体験には必要です）"]
    }


def test_an_observation_needs_the_consents_only(program, job_developer):
    item = internship(program, kind=InternshipKind.OBSERVATION, days=1)
    assert internship_missing(item) == ["参加者の同意", "受入事業所の同意"]
    consent(item, ConsentParty.PARTICIPANT)
    assert "受入事業所の同意" in refused_confirm(item, job_developer).message
    consent(item, ConsentParty.EMPLOYER)
    internship_confirm(internship=item, by=job_developer)
    item.refresh_from_db()
    assert item.status == InternshipStatus.CONFIRMED


def test_a_confirmed_internship_is_not_confirmed_twice(program, job_developer):
    item = internship(program, kind=InternshipKind.OBSERVATION, days=1)
    both_consents(item)
    internship_confirm(internship=item, by=job_developer)
    with pytest.raises(DomainError, match="「確定」のため確定できません"):
        internship_confirm(internship=item, by=job_developer)


@pytest.mark.parametrize("days", [1, 2, 3])
def test_one_to_three_days_are_accepted(program, days):
    item = internship(program, days=days)
    assert len(item.days) == days


def test_four_days_are_refused_in_japanese(program):
    with pytest.raises(DomainError) as caught:
        internship(program, days=4)
    assert caught.value.field_errors == {
        "end_on": ["インターンシップの期間は1日から3日までです（4日になっています）。"]
    }
    assert not Internship.objects.exists()


def test_an_end_before_the_start_is_refused(program):
    with pytest.raises(DomainError, match="終了日は開始日と同じか"):
        internship_create(
            program=program,
            kind=InternshipKind.OBSERVATION,
            employer=employer(program),
            participant=participant(program),
            start_on=DAY,
            end_on=DAY - dt.timedelta(days=1),
            by=None,
        )


def test_an_employer_or_participant_of_another_program_is_refused(program, other_program):
    with pytest.raises(DomainError) as caught:
        internship_create(
            program=program,
            kind=InternshipKind.OBSERVATION,
            employer=employer(other_program),
            participant=participant(other_program),
            start_on=DAY,
            end_on=DAY,
            by=None,
        )
    assert set(caught.value.field_errors) >= {"employer", "participant"}


def test_a_confirmed_work_experience_keeps_its_days_and_its_cover(program, job_developer):
    item = internship(program)
    both_consents(item)
    insure(item)
    internship_confirm(internship=item, by=job_developer)
    with pytest.raises(DomainError, match="確定したインターンシップの種別・日程"):
        internship_update(internship=item, by=job_developer, end_on=DAY + dt.timedelta(days=2))
    with pytest.raises(DomainError, match="補償期間から外れる"):
        internship_insurance_record(
            internship=item,
            policy_name="別の保険",
            insurer="保険会社",
            coverage_start=DAY + dt.timedelta(days=1),
            coverage_end=DAY + dt.timedelta(days=5),
            by=job_developer,
        )
    item.refresh_from_db()
    assert item.end_on == DAY + dt.timedelta(days=1)
    assert item.insurance.coverage_start == DAY


def test_recording_a_consent_again_replaces_its_date(program, job_developer):
    item = internship(program)
    consent(item, ConsentParty.PARTICIPANT)
    internship_consent_record(
        internship=item,
        party=ConsentParty.PARTICIPANT,
        given_on=dt.date(2026, 11, 19),
        by=job_developer,
    )
    assert list(item.consents.values_list("party", "given_on", "recorded_by")) == [
        ("participant", dt.date(2026, 11, 19), job_developer.pk)
    ]


def test_a_consent_dated_in_the_future_is_refused(program):
    item = internship(program)
    with pytest.raises(DomainError, match="同意日に未来の日付は指定できません"):
        internship_consent_record(
            internship=item, party=ConsentParty.EMPLOYER, given_on=dt.date(2026, 11, 21), by=None
        )
    assert not item.consents.exists()


def test_done_only_after_the_last_day_and_cancelled_is_final(program, job_developer):
    item = internship(program, kind=InternshipKind.OBSERVATION, days=1)
    with pytest.raises(DomainError, match="「調整中」から「実施済み」には変更できません"):
        internship_update(internship=item, by=job_developer, status=InternshipStatus.DONE)
    both_consents(item)
    internship_confirm(internship=item, by=job_developer)
    with pytest.raises(DomainError, match=r"最終日（2026年12月8日\(火\)）が来るまで"):
        internship_update(internship=item, by=job_developer, status=InternshipStatus.DONE)
    with time_machine.travel(dt.datetime(2026, 12, 8, 18, tzinfo=TOKYO), tick=False):
        internship_update(internship=item, by=job_developer, status=InternshipStatus.DONE)
    item.refresh_from_db()
    assert item.status == InternshipStatus.DONE
    other = internship(program, kind=InternshipKind.OBSERVATION, days=1, seeker=item.participant)
    internship_update(internship=other, by=job_developer, status=InternshipStatus.CANCELLED)
    with pytest.raises(DomainError, match="「中止」から「調整中」には変更できません"):
        internship_update(internship=other, by=job_developer, status=InternshipStatus.PLANNED)


def test_the_outcome_links_the_participants_own_referral_or_placement(program, job_developer):
    from secondcareer.jobs.services import posting_create
    from secondcareer.placements.services import placement_create, referral_create

    item = internship(program, kind=InternshipKind.OBSERVATION, days=1)
    posting = posting_create(
        program=program,
        employer=item.employer,
        occupation="デイサービスの配膳補助",
        wage_type="hourly",
        wage_from=1100,
        referral_deadline=dt.date(2027, 1, 31),
    )
    referral = referral_create(
        program=program, seeker=item.participant, posting=posting, actor=job_developer
    )
    internship_update(
        internship=item, by=job_developer, outcome="referral", outcome_referral=referral
    )
    item.refresh_from_db()
    assert (item.outcome, item.outcome_referral) == ("referral", referral)
    assert list(referral.internships.all()) == [item]

    someone_else = participant(program, 1)
    other_placement = placement_create(
        program=program,
        seeker=someone_else,
        employer=item.employer,
        actor=job_developer,
        start_on=dt.date(2026, 11, 1),
        employment_type="non_regular",
        source="self_found",
    )
    with pytest.raises(DomainError) as caught:
        internship_update(
            internship=item,
            by=job_developer,
            outcome="placement",
            outcome_placement=other_placement,
        )
    assert caught.value.field_errors == {
        "outcome_placement": ["参加者本人の就職決定を指定してください。"]
    }
    # a new outcome of another kind clears the old link
    internship_update(internship=item, by=job_developer, outcome="none")
    item.refresh_from_db()
    assert (item.outcome, item.outcome_referral) == ("none", None)
