"""Reception's list of the day's phone consultations (staff/booking/<program>/calls/):
in start order with the seeker's phone number and a link to record the consultation,
for staff who book only, audited; and the selector behind it, in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.models import Channel, Reservation
from secondcareer.booking.selectors import Availability, availability, todays_consultations
from secondcareer.booking.services import reservation_cancel, reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.core.models import AuditAction, AuditEntry
from secondcareer.people.models import Role, Seeker, User
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program

TOKYO = dt.timezone(dt.timedelta(hours=9))


def staff(program: Program, role: str) -> User:
    return staff_create(
        username=f"{program.slug}-{role}-calls", password=None, program=program, role=role
    )


def seekers(program: Program, count: int, offset: int = 0) -> list[Seeker]:
    return [
        register_seeker(
            program,
            birth_date=dt.date(1955, 1, 1) + dt.timedelta(days=40 * (i + offset)),
            given_kana="タロウ" + "ア" * (i + offset),
            phone=f"090-1234-{5600 + i + offset:04d}",
        )
        for i in range(count)
    ]


def busy_day(program: Program, seats: int) -> tuple[dt.date, list[dt.datetime]]:
    """A day at least two days ahead with ``seats`` free online seats, and their starts
    (a start repeated once per free seat)."""
    today = timezone.localdate()
    for offset in range(2, 30):
        day = today + dt.timedelta(days=offset)
        rows = availability(program=program, service_code="online", start=day, end=day)
        starts = [a.slot.start for a in rows for _seat in range(a.free)]
        if len(starts) >= seats:
            return day, starts[:seats]
    raise AssertionError("no day with enough free seats")


def book(program: Program, seeker: Seeker, start: dt.datetime, method: str) -> Reservation:
    return reservation_create(
        program=program,
        seeker=seeker,
        service=program.services.get(code="online"),
        start=start,
        method=method,
        channel=Channel.PHONE,
    )


def calls_url(program: Program, **query: str) -> str:
    url = reverse("booking_staff:call_list", args=[program.slug])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.fixture
def day_of_calls(kobe):
    """Kobe with a phone consultation at the second and at the first start of a day,
    a video one and a cancelled phone one the same day."""
    day, starts = busy_day(kobe, 4)
    first, second, third, fourth = seekers(kobe, 4)
    later = book(kobe, first, max(starts), "phone")
    earlier = book(kobe, second, min(starts), "phone")
    video = book(kobe, third, starts[1], "video")
    gone = book(kobe, fourth, starts[2], "phone")
    reservation_cancel(reservation=gone, channel=Channel.STAFF)
    return day, [earlier, later], video, gone


def test_reception_sees_the_days_phone_consultations_in_time_order_with_phone_numbers(
    client_for, kobe, day_of_calls
):
    day, phoned, video, gone = day_of_calls

    response = client_for(staff(kobe, Role.RECEPTION)).get(calls_url(kobe, day=day.isoformat()))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"{day.month}月{day.day}日" in page
    positions = [page.index(r.seeker.phone) for r in phoned]
    assert positions == sorted(positions)  # earlier first
    assert video.seeker.phone not in page  # a video consultation is not rung
    assert gone.seeker.phone not in page  # nor a cancelled one
    record = reverse("consultations:record_create", args=["kobe"])
    for reservation in phoned:
        assert f"{record}?reservation={reservation.pk}" in page
        assert f'href="tel:{reservation.seeker.phone}"' in page


def test_the_list_is_audited_as_the_call_list(client_for, kobe, day_of_calls):
    day, phoned, _video, _gone = day_of_calls
    reception = staff(kobe, Role.RECEPTION)

    client_for(reception).get(calls_url(kobe, day=day.isoformat()))

    entries = AuditEntry.objects.filter(
        actor_id=reception.pk, action=AuditAction.VIEW, note="call-list"
    )
    assert sorted(int(e.object_id) for e in entries) == sorted(r.seeker_id for r in phoned)


def test_the_list_narrows_to_one_consultant(client_for, kobe, day_of_calls):
    day, phoned, _video, _gone = day_of_calls
    someone = staff(kobe, Role.CONSULTANT)

    page = (
        client_for(staff(kobe, Role.RECEPTION))
        .get(calls_url(kobe, day=day.isoformat(), consultant=str(someone.pk)))
        .content.decode()
    )

    assert all(r.seeker.phone not in page for r in phoned)  # none is theirs
    assert "この日の電話相談の予約はありません" in page


@pytest.mark.parametrize(
    "query",
    [
        {"day": "2027-13-45"},
        {"day": "yesterday"},
        {"day": "99999-01-01"},
        {"consultant": "abc"},
        {"consultant": "999999"},
    ],
)
def test_a_bad_day_or_consultant_is_explained_in_japanese(client_for, kobe, query):
    response = client_for(staff(kobe, Role.RECEPTION)).get(calls_url(kobe, **query))

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "日付は 2027-01-06 のように" in page
        or "キャリアコンサルタントは、この事業にいません" in page
    )


@pytest.mark.parametrize("role", [Role.JOB_DEVELOPER, Role.MUNICIPALITY])
def test_job_developers_and_the_municipality_are_refused(client_for, kobe, day_of_calls, role):
    day, phoned, _video, _gone = day_of_calls

    response = client_for(staff(kobe, role)).get(calls_url(kobe, day=day.isoformat()))

    assert response.status_code == 403
    assert phoned[0].seeker.phone not in response.content.decode()


def test_staff_of_another_program_find_nothing(client_for, kobe, saitama, day_of_calls):
    day, _phoned, _video, _gone = day_of_calls

    response = client_for(staff(saitama, Role.RECEPTION)).get(calls_url(kobe, day=day.isoformat()))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, kobe):
    response = client.get(calls_url(kobe))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:login"))


def test_the_workspace_nav_links_to_the_call_list(client_for, kobe):
    page = client_for(staff(kobe, Role.RECEPTION)).get(calls_url(kobe)).content.decode()
    assert f'href="{calls_url(kobe)}"' in page
    assert "電話相談の発信リスト" in page


def test_todays_consultations_lists_every_method_with_the_room_link(kobe, day_of_calls):
    Program.objects.filter(pk=kobe.pk).update(video_room_url="https://meet.example.org/{room}")
    day, phoned, video, _gone = day_of_calls

    rows = todays_consultations([Program.objects.get(pk=kobe.pk)], None, day)

    assert [r.pk for r in rows] == sorted(
        [r.pk for r in [*phoned, video]],
        key=lambda pk: next(x.starts_at for x in rows if x.pk == pk),
    )
    assert {r.pk for r in rows} == {phoned[0].pk, phoned[1].pk, video.pk}
    by_pk = {r.pk: r for r in rows}
    assert by_pk[video.pk].video_url == f"https://meet.example.org/{video.video_room}"
    assert by_pk[phoned[0].pk].video_url == ""
    assert [r.starts_at for r in rows] == sorted(r.starts_at for r in rows)


def _queries(programs: list[Program], day: dt.date) -> int:
    with CaptureQueriesContext(connection) as captured:
        rows = todays_consultations(programs, None, day)
        # what the staff home and the call list read of each
        read = [
            (r.video_url, r.seeker.phone, r.service.name, r.consultant, r.venue, r.program.slug)
            for r in rows
        ]
    assert len(read) == len(rows)
    return len(captured.captured_queries)


def seats(
    programs: list[Program], count: int
) -> tuple[dt.date, list[tuple[Program, Availability]]]:
    """A day with ``count`` free seats in all of ``programs``' services together, and
    the slots (one per seat)."""
    today = timezone.localdate()
    for offset in range(2, 30):
        day = today + dt.timedelta(days=offset)
        found = [
            (program, a)
            for program in programs
            for service in program.services.all()
            for a in availability(program=program, service_code=service.code, start=day, end=day)
            for _seat in range(a.free)
        ]
        if len(found) >= count:
            return day, found[:count]
    raise AssertionError("no day with enough free seats")


def book_seat(program: Program, seeker: Seeker, seat: Availability, method: str) -> Reservation:
    service = program.services.get(pk=seat.slot.service_id)
    return reservation_create(
        program=program,
        seeker=seeker,
        service=service,
        start=seat.slot.start,
        venue=program.venues.get(pk=seat.slot.venue_id) if seat.slot.venue_id else None,
        method=method if method in service.methods else service.methods[0],
        channel=Channel.PHONE,
    )


def test_todays_consultations_takes_the_same_queries_for_1_or_20(kobe, saitama):
    Program.objects.filter(pk__in=[kobe.pk, saitama.pk]).update(
        video_room_url="https://meet.example.org/{room}"
    )
    programs = list(Program.objects.filter(pk__in=[kobe.pk, saitama.pk]))
    day, found = seats(programs, 20)
    people = {p.pk: seekers(p, 20, offset=i * 20) for i, p in enumerate(programs)}
    methods = ["video", "phone", "chat"]
    program, seat = found[0]
    book_seat(program, people[program.pk][0], seat, "video")
    one = _queries(programs, day)
    for index, (program, seat) in enumerate(found[1:], start=1):
        book_seat(program, people[program.pk][index], seat, methods[index % 3])
    twenty = _queries(programs, day)

    rows = todays_consultations(programs, None, day)
    assert len(rows) == 20 and {r.program_id for r in rows} == {kobe.pk, saitama.pk}
    assert one == twenty == 1


def test_the_call_list_takes_the_same_queries_for_1_or_10(client_for, kobe):
    client = client_for(staff(kobe, Role.RECEPTION))
    day, starts = busy_day(kobe, 10)
    people = seekers(kobe, 10)
    url = calls_url(kobe, day=day.isoformat())
    book(kobe, people[0], starts[0], "phone")
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for person, start in zip(people[1:], starts[1:], strict=True):
        book(kobe, person, start, "phone")
    with CaptureQueriesContext(connection) as twenty:
        page = client.get(url).content.decode()

    assert all(p.phone in page for p in people)
    assert len(twenty.captured_queries) == len(one.captured_queries)


def test_a_day_in_japan_time_decides_which_consultations_are_listed(kobe):
    _day, starts = busy_day(kobe, 1)
    (person,) = seekers(kobe, 1)
    reservation = book(kobe, person, starts[0], "phone")
    local_day = reservation.starts_at.astimezone(TOKYO).date()

    assert [r.pk for r in todays_consultations([kobe], None, local_day)] == [reservation.pk]
    assert todays_consultations([kobe], None, local_day + dt.timedelta(days=1)) == []
    assert todays_consultations([], None, local_day) == []
