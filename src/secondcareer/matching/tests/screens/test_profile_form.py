"""The matching profile form: Japanese labels, the current profile filled in, saved
through profile_save (a monthly wish turned into yen per hour), a Japanese error beside
each wrong field with nothing saved, CSRF, and an audit entry per showing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondcareer.core.models import AuditEntry
from secondcareer.matching.models import SeekerProfile
from secondcareer.matching.tests.screens.conftest import World
from secondcareer.people.models import Seeker

pytestmark = pytest.mark.django_db

GOOD = {
    "wished_occupations": "清掃\n経理事務、受付",
    "wished_areas": ["alpha-area", "gamma"],
    "max_commute_minutes": "40",
    "days_per_week": "3",
    "hours_per_day": "5.5",
    "time_of_day": "morning",
    "min_wage": "1150",
    "min_wage_type": "hourly",
    "employment_types": ["パート労働者"],
    "physical_limit": "medium",
    "licences": "普通自動車免許",
    "skills": "Excel",
    "career_history": "製造業で経理を30年",
    "tags": "早期就職、PC可",
}


def url(w: World, seeker: Seeker | None = None) -> str:
    return reverse("matching:profile_edit", args=[w.program.slug, (seeker or w.seeker).pk])


def test_the_form_shows_the_current_profile_with_japanese_labels(
    world: World, consultant, client_for
) -> None:
    page = client_for(consultant).get(url(world))
    assert page.status_code == 200
    body = page.content.decode()
    for label in ("希望の職種", "希望の地域", "通勤時間の上限（分）", "希望の時間帯", "職歴"):
        assert label in body
    assert "経理事務" in body  # the wished occupation on file
    assert 'value="45"' in body  # the commute limit on file
    assert "csrfmiddlewaretoken" in body
    assert "ガンマ市" in body  # the program's areas to choose from


def test_saving_the_form_updates_the_profile_and_goes_to_the_recommendations(
    world: World, consultant, client_for
) -> None:
    response = client_for(consultant).post(url(world), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "matching:recommendations", args=[world.program.slug, world.seeker.pk]
    )
    profile = SeekerProfile.objects.get(seeker=world.seeker)
    assert profile.wished_occupations == ["清掃", "経理事務", "受付"]
    assert sorted(a.code for a in profile.wished_areas.all()) == ["alpha-area", "gamma"]
    assert profile.hours_per_day == 5.5
    assert profile.time_of_day == "morning"
    assert profile.min_hourly_wage == 1150
    assert profile.employment_types == ["パート労働者"]
    assert profile.tags == ["早期就職", "PC可"]
    assert profile.updated_by == consultant


def test_a_monthly_wish_is_kept_as_yen_per_hour(world: World, consultant, client_for) -> None:
    client_for(consultant).post(
        url(world), {**GOOD, "min_wage": "180000", "min_wage_type": "monthly"}
    )
    profile = SeekerProfile.objects.get(seeker=world.seeker)
    # 180,000円 a month over 3 days of 5.5 hours a week (52/12 weeks a month).
    assert profile.min_hourly_wage == round(180000 / (5.5 * 3 * 52 / 12))


def test_wrong_values_get_a_japanese_error_beside_each_field_and_nothing_is_saved(
    world: World, consultant, client_for
) -> None:
    before = SeekerProfile.objects.get(seeker=world.seeker).updated_at
    bad = {
        **GOOD,
        "days_per_week": "9",
        "max_commute_minutes": "遠い",
        "hours_per_day": "0",
        "wished_areas": ["nowhere"],
        "time_of_day": "night",
        "min_wage": "-1",
    }
    page = client_for(consultant).post(url(world), bad)
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert set(errors) == {
        "days_per_week",
        "max_commute_minutes",
        "hours_per_day",
        "wished_areas",
        "time_of_day",
        "min_wage",
    }
    assert errors["days_per_week"] == ["働ける日数は週 1〜7 日の整数で入力してください。"]
    assert "地域" in errors["wished_areas"][0]
    body = page.content.decode()
    assert "入力内容を確認してください。" in body
    assert 'id="id_days_per_week-errors"' in body  # beside its field
    assert SeekerProfile.objects.get(seeker=world.seeker).updated_at == before


def test_the_services_refusal_lands_on_its_field(world: World, consultant, client_for) -> None:
    # A daily wish over a short day that comes to more than 20,000円 an hour.
    page = client_for(consultant).post(
        url(world), {**GOOD, "min_wage": "2000000", "min_wage_type": "daily", "hours_per_day": "1"}
    )
    assert page.status_code == 400
    assert "20,000" in page.context["form"].errors["min_wage"][0]


def test_a_first_profile_is_created_from_the_form(
    world: World, consultant, client_for, other_seeker_in_program
) -> None:
    client = client_for(consultant)
    page = client.get(url(world, other_seeker_in_program))
    assert page.status_code == 200
    assert client.post(url(world, other_seeker_in_program), GOOD).status_code == 302
    assert SeekerProfile.objects.get(seeker=other_seeker_in_program).skills == "Excel"


def test_the_form_refuses_a_post_without_the_csrf_token(
    world: World, consultant, client_for
) -> None:
    signed_in = client_for(consultant)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = signed_in.cookies
    assert strict.post(url(world), GOOD).status_code == 403
    assert SeekerProfile.objects.get(seeker=world.seeker).min_hourly_wage == 1100


def test_every_showing_of_the_form_is_audited_also_when_it_is_refused(
    world: World, consultant, client_for
) -> None:
    client = client_for(consultant)
    client.get(url(world))
    client.post(url(world), {**GOOD, "days_per_week": "0"})
    views = AuditEntry.objects.filter(
        object_type="people.seeker", object_id=str(world.seeker.pk), action="view"
    )
    assert views.count() == 2
