"""``GET /api/reservations?program=&from=&to=&seeker_id=``: who may list, what the list
holds, that it is audited, and one query count whatever its length."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_cancel, reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.core.models import AuditAction, AuditEntry
from secondcareer.devtools.testing.queries import same_count_with_more_rows
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role

URL = "/api/reservations"


@pytest.fixture
def staff(preset_staff):
    return preset_staff


def as_role(role: str, staff, *, program=None) -> Client:
    client = Client()
    sign_in_staff(client, staff(role, program=program))
    return client


def free_starts(program, service: str = "online") -> list[dt.datetime]:
    today = timezone.localdate()
    rows = availability(
        program=program,
        service_code=service,
        start=today + dt.timedelta(days=2),
        end=today + dt.timedelta(days=20),
    )
    return [a.slot.start for a in rows if a.free > 0]


def book(program, seeker, start):
    return reservation_create(
        program=program,
        seeker=seeker,
        service=program.services.get(code="online"),
        start=start,
        method="phone",
        channel="phone",
    )


@pytest.fixture
def booked(kobe):
    """Two seekers, three reservations (one cancelled) in the next weeks."""
    yamada = register_seeker(kobe, birth_date=dt.date(1959, 9, 9))
    suzuki = register_seeker(kobe, birth_date=dt.date(1950, 1, 1), phone="080-1234-0000")
    by_day: dict[dt.date, dt.datetime] = {}
    for start in sorted(free_starts(kobe)):
        by_day.setdefault(timezone.localtime(start).date(), start)
    starts = list(by_day.values())  # one a day, on three different days
    first = book(kobe, yamada, starts[0])
    second = book(kobe, suzuki, starts[1])
    third = book(kobe, yamada, starts[2])
    reservation_cancel(reservation=third, channel="staff")
    return {"yamada": yamada, "suzuki": suzuki, "reservations": [first, second, third]}


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CONSULTANT, Role.MANAGER])
def test_staff_who_book_list_the_programs_reservations_in_start_order(staff, booked, role):
    today = timezone.localdate()
    response = as_role(role, staff).get(
        URL,
        {"program": "kobe", "from": today.isoformat(), "to": str(today + dt.timedelta(days=30))},
    )
    assert response.status_code == 200
    data = response.json()
    assert [r["id"] for r in data] == [r.pk for r in booked["reservations"]]
    assert [r["status"] for r in data] == ["confirmed", "confirmed", "cancelled"]
    assert data[0]["start"].endswith("+09:00")


@pytest.mark.parametrize("role", [Role.JOB_DEVELOPER, Role.MUNICIPALITY])
def test_job_developers_and_the_municipality_may_not_list(staff, booked, role):
    response = as_role(role, staff).get(URL, {"program": "kobe"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", list(Role.values))
def test_staff_of_another_program_find_no_such_program(staff, saitama, booked, role):
    response = as_role(role, staff, program=saitama).get(URL, {"program": "kobe"})
    assert response.status_code == 404
    assert response.json()["fields"]["program"]


def test_anonymous_callers_get_401(booked):
    assert Client().get(URL, {"program": "kobe"}).status_code == 401


def test_seeker_id_narrows_the_list_to_that_seeker(staff, booked):
    client = as_role(Role.RECEPTION, staff)
    today = timezone.localdate()
    params = {"program": "kobe", "to": str(today + dt.timedelta(days=30))}
    mine = client.get(URL, {**params, "seeker_id": booked["suzuki"].pk}).json()
    assert [r["seeker_id"] for r in mine] == [booked["suzuki"].pk]
    assert client.get(URL, {**params, "seeker_id": 2**70}).json() == []
    bad = client.get(URL, {**params, "seeker_id": "yamada"})
    assert bad.status_code == 400
    assert bad.json()["fields"]["seeker_id"] == ["整数で指定してください。"]


def test_the_period_limits_the_list(staff, booked):
    client = as_role(Role.RECEPTION, staff)
    day = timezone.localtime(booked["reservations"][0].starts_at).date().isoformat()
    data = client.get(URL, {"program": "kobe", "from": day, "to": day}).json()
    assert booked["reservations"][0].pk in [r["id"] for r in data]
    assert booked["reservations"][2].pk not in [r["id"] for r in data]
    too_long = client.get(URL, {"program": "kobe", "from": "2027-01-01", "to": "2027-12-31"})
    assert too_long.status_code == 400
    assert too_long.json()["fields"]["to"]


def test_the_list_is_audited_one_entry_per_seeker_shown(staff, booked):
    today = timezone.localdate()
    as_role(Role.CONSULTANT, staff).get(
        URL, {"program": "kobe", "to": str(today + dt.timedelta(days=30))}
    )
    entries = AuditEntry.objects.filter(action=AuditAction.VIEW, note="api reservations")
    assert sorted(e.object_id for e in entries) == sorted(
        str(s.pk) for s in (booked["yamada"], booked["suzuki"])
    )


def test_the_list_asks_the_same_number_of_queries_for_more_reservations(
    staff, kobe, booked, django_assert_max_num_queries
):
    client = as_role(Role.RECEPTION, staff)
    today = timezone.localdate()
    params = {"program": "kobe", "to": str(today + dt.timedelta(days=30))}
    starts = sorted(set(free_starts(kobe)))[10:]

    def grow() -> None:
        for n, start in enumerate(starts[:8]):
            seeker = register_seeker(
                kobe, birth_date=dt.date(1955, 5, 5), phone=f"080-2345-{n:04d}"
            )
            book(kobe, seeker, start)

    same_count_with_more_rows(client, URL, params, grow, 8, django_assert_max_num_queries)


def test_availability_asks_the_same_number_of_queries_with_more_seats_taken(
    staff, kobe, django_assert_max_num_queries
):
    client = as_role(Role.MUNICIPALITY, staff)
    today = timezone.localdate()
    params = {
        "program": "kobe",
        "service": "online",
        "from": str(today + dt.timedelta(days=2)),
        "to": str(today + dt.timedelta(days=20)),
    }
    starts = sorted(set(free_starts(kobe)))

    def grow() -> None:
        for n, start in enumerate(starts[:10]):
            seeker = register_seeker(
                kobe, birth_date=dt.date(1955, 5, 5), phone=f"080-3456-{n:04d}"
            )
            book(kobe, seeker, start)

    same_count_with_more_rows(
        client, "/api/availability", params, grow, 14, django_assert_max_num_queries
    )
