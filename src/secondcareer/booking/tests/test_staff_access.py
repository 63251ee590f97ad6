"""Every staff booking screen checks role and program: anonymous visitors log in, job
developers and the municipality get 403, staff of another program get 404, reception
cannot mark absences, and POSTs need the CSRF token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Channel
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role
from secondcareer.people.services import membership_grant, staff_create
from secondcareer.programs.models import Program
from secondcareer.programs.services import program_load_preset

# (method, url name, needs a seeker id, needs a reservation id)
SCREENS = [
    ("get", "calendar", False, False),
    ("get", "call_list", False, False),
    ("get", "phone_find", False, False),
    ("post", "phone_find", False, False),
    ("get", "phone_slots", True, False),
    ("get", "phone_confirm", True, False),
    ("post", "phone_confirm", True, False),
    ("get", "phone_done", False, True),
    ("get", "reservation_detail", False, True),
    ("post", "reservation_cancel", False, True),
    ("get", "reservation_reschedule", False, True),
    ("post", "reservation_reschedule", False, True),
    ("post", "reservation_outcome", False, True),
    ("get", "absence", False, False),
    ("post", "absence", False, False),
    ("post", "absence_reassign", False, False),
]
IDS = [f"{method} {name}" for method, name, _, _ in SCREENS]


def url_for(name: str, program: Program, *, seeker: bool, reservation: bool, pk: int) -> str:
    args: list[object] = [program.slug]
    if seeker or reservation:
        args.append(pk)
    return reverse(f"booking_staff:{name}", args=args)


@pytest.mark.parametrize(("method", "name", "seeker_id", "reservation_id"), SCREENS, ids=IDS)
def test_anonymous_visitors_are_sent_to_log_in(
    method, name, seeker_id, reservation_id, client, program, seeker
):
    url = url_for(name, program, seeker=seeker_id, reservation=reservation_id, pk=seeker.pk)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:login"))


@pytest.mark.parametrize("role", [Role.JOB_DEVELOPER, Role.MUNICIPALITY])
@pytest.mark.parametrize(("method", "name", "seeker_id", "reservation_id"), SCREENS, ids=IDS)
def test_job_developers_and_the_municipality_are_refused(
    method, name, seeker_id, reservation_id, role, staff_of, client_for, program, seeker
):
    url = url_for(name, program, seeker=seeker_id, reservation=reservation_id, pk=seeker.pk)
    response = getattr(client_for(staff_of(role)), method)(url)
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CONSULTANT, Role.MANAGER])
@pytest.mark.parametrize(("method", "name", "seeker_id", "reservation_id"), SCREENS, ids=IDS)
def test_staff_of_another_program_find_nothing_there(
    method, name, seeker_id, reservation_id, role, staff_of, client_for, program, seeker
):
    url = url_for(name, program, seeker=seeker_id, reservation=reservation_id, pk=seeker.pk)
    response = getattr(client_for(staff_of(role, other=True)), method)(url)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "name"), [("get", "absence"), ("post", "absence"), ("post", "absence_reassign")]
)
def test_reception_cannot_mark_absences(method, name, receptionist, client_for, program):
    response = getattr(client_for(receptionist), method)(
        reverse(f"booking_staff:{name}", args=[program.slug])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CONSULTANT, Role.MANAGER])
def test_booking_staff_open_the_screens_of_their_program(role, staff_of, client_for, program):
    client = client_for(staff_of(role))
    for name in ["calendar", "phone_find"]:
        assert client.get(reverse(f"booking_staff:{name}", args=[program.slug])).status_code == 200
    assert client.get(reverse("booking_staff:index")).status_code == 200


def test_the_index_lists_only_the_programs_where_the_user_books(
    staff_of, client_for, program, other_program
):
    body = client_for(staff_of(Role.RECEPTION)).get(reverse("booking_staff:index")).content
    assert program.name in body.decode()
    assert other_program.name not in body.decode()


@pytest.mark.parametrize("role", [Role.JOB_DEVELOPER, Role.MUNICIPALITY])
def test_the_index_refuses_roles_that_do_not_book(role, staff_of, client_for):
    assert client_for(staff_of(role)).get(reverse("booking_staff:index")).status_code == 403


def test_the_index_sends_anonymous_visitors_to_log_in(client):
    assert client.get(reverse("booking_staff:index")).status_code == 302


def test_a_reservation_is_not_found_through_another_programs_url(db, client_for):
    """A user with roles in both programs still cannot open Saitama's booking under
    Kobe's URL: records are looked up inside the program of the URL."""
    program_load_preset(path_or_name="saitama")
    program_load_preset(path_or_name="kobe")
    saitama, kobe = Program.objects.get(slug="saitama"), Program.objects.get(slug="kobe")
    user = staff_create(username="both", password=None, program=saitama, role=Role.RECEPTION)
    membership_grant(user=user, program=kobe, role=Role.RECEPTION)
    seeker = register_seeker(saitama, birth_date=dt.date(1958, 4, 5))
    today = timezone.localdate()
    slot = next(
        a
        for a in availability(
            program=saitama,
            service_code="consultation",
            start=today + dt.timedelta(days=1),
            end=today + dt.timedelta(days=14),
        )
        if a.free
    )
    reservation = reservation_create(
        program=saitama,
        seeker=seeker,
        service=saitama.services.get(code="consultation"),
        venue=saitama.venues.get(pk=slot.slot.venue_id),
        start=slot.slot.start,
        method="in_person",
        channel=Channel.PHONE,
    )
    client = client_for(user)
    for name in ["reservation_detail", "phone_done", "reservation_reschedule"]:
        assert (
            client.get(reverse(f"booking_staff:{name}", args=["kobe", reservation.pk])).status_code
            == 404
        )
        assert (
            client.get(
                reverse(f"booking_staff:{name}", args=["saitama", reservation.pk])
            ).status_code
            == 200
        )
    assert (
        client.get(reverse("booking_staff:phone_slots", args=["kobe", seeker.pk])).status_code
        == 404
    )


def test_posts_need_the_csrf_token(receptionist, program, seeker):
    client = Client(enforce_csrf_checks=True)
    sign_in_staff(client, receptionist)
    url = reverse("booking_staff:phone_confirm", args=[program.slug, seeker.pk])
    assert client.post(url, {"service": "x"}).status_code == 403
    page = client.get(reverse("booking_staff:phone_find", args=[program.slug]))
    assert "csrfmiddlewaretoken" in page.content.decode()
