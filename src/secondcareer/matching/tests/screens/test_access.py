"""Who may open the matching screens: every page checks role and program. Another
program (no role there) is a 404; reception and the municipality get 403; job
developers see profiles and matches (never case notes) but do not pin or hide; a
consultant sees their own caseload only (another seeker is a 404); anonymous users go
to the sign-in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from secondcareer.matching.models import MatchDecision
from secondcareer.matching.tests.screens.conftest import World
from secondcareer.people.models import Role

pytestmark = pytest.mark.django_db

PAGES: dict[str, Callable[[World], str]] = {
    "recommendations": lambda w: reverse(
        "matching:recommendations", args=[w.program.slug, w.seeker.pk]
    ),
    "profile": lambda w: reverse("matching:profile_edit", args=[w.program.slug, w.seeker.pk]),
    "candidates": lambda w: reverse("matching:candidates", args=[w.program.slug, w.cleaning.pk]),
    "meeting": lambda w: reverse("matching:meeting", args=[w.program.slug]),
    "meeting.xlsx": lambda w: reverse("matching:meeting_xlsx", args=[w.program.slug]),
}


def decision_url(w: World) -> str:
    return reverse("matching:decide", args=[w.program.slug, w.seeker.pk, w.cleaning.pk])


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 200),
        (Role.CONSULTANT, 200),
        (Role.JOB_DEVELOPER, 200),
        (Role.RECEPTION, 403),
        (Role.MUNICIPALITY, 403),
    ],
)
def test_each_page_answers_each_role(
    world: World, staff_of, consultant, client_for, page: str, role: str, status: int
) -> None:
    user = consultant if role == Role.CONSULTANT else staff_of(role)
    assert client_for(user).get(PAGES[page](world)).status_code == status


@pytest.mark.parametrize("page", sorted(PAGES))
def test_staff_of_another_program_get_a_404(world: World, staff_of, client_for, page: str) -> None:
    outsider = staff_of(Role.MANAGER, other=True)
    assert client_for(outsider).get(PAGES[page](world)).status_code == 404


@pytest.mark.parametrize("page", sorted(PAGES))
def test_anonymous_users_are_sent_to_the_sign_in(world: World, client, page: str) -> None:
    response = client.get(PAGES[page](world))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("page", ["recommendations", "profile"])
def test_a_consultant_gets_a_404_for_a_seeker_outside_their_caseload(
    world: World, consultant2, client_for, page: str
) -> None:
    assert client_for(consultant2).get(PAGES[page](world)).status_code == 404


def test_a_seeker_or_posting_of_another_program_is_a_404(
    world: World, manager, other_seeker, client_for
) -> None:
    client = client_for(manager)
    slug = world.program.slug
    assert (
        client.get(reverse("matching:recommendations", args=[slug, other_seeker.pk])).status_code
        == 404
    )
    assert client.get(reverse("matching:candidates", args=[slug, 999999])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 302),
        (Role.JOB_DEVELOPER, 403),
        (Role.RECEPTION, 403),
        (Role.MUNICIPALITY, 403),
    ],
)
def test_only_consultants_and_managers_pin_or_hide(
    world: World, staff_of, client_for, role: str, status: int
) -> None:
    response = client_for(staff_of(role)).post(decision_url(world), {"choice": "pin"})
    assert response.status_code == status
    assert MatchDecision.objects.exists() == (status == 302)


def test_deciding_for_another_caseload_or_program_is_a_404(
    world: World, consultant2, staff_of, client_for
) -> None:
    assert client_for(consultant2).post(decision_url(world), {"choice": "pin"}).status_code == 404
    outsider = staff_of(Role.MANAGER, other=True)
    assert client_for(outsider).post(decision_url(world), {"choice": "pin"}).status_code == 404
    assert not MatchDecision.objects.exists()


def test_a_decision_is_a_post_only(world: World, consultant, client_for) -> None:
    assert client_for(consultant).get(decision_url(world)).status_code == 405


def test_a_job_developer_reads_and_keeps_the_profile_but_sees_no_case_notes(
    world: World, job_developer, client_for
) -> None:
    from secondcareer.matching.models import SeekerProfile

    client = client_for(job_developer)
    form = client.get(PAGES["profile"](world))
    assert "csrfmiddlewaretoken" in form.content.decode()
    saved = client.post(
        PAGES["profile"](world),
        {
            "max_commute_minutes": "30",
            "days_per_week": "2",
            "hours_per_day": "4",
            "time_of_day": "any",
            "min_wage": "0",
            "min_wage_type": "hourly",
            "physical_limit": "light",
        },
    )
    assert saved.status_code == 302
    assert SeekerProfile.objects.get(seeker=world.seeker).days_per_week == 2
    body = client.get(PAGES["recommendations"](world)).content.decode()
    assert "上に固定" not in body  # no pin or hide buttons for them
    case_page = client.get(
        reverse("consultations:case_detail", args=[world.program.slug, world.case.pk])
    ).content.decode()
    assert 'id="plan"' not in case_page  # case content stays with consultants and managers
