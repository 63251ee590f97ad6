"""Inactivity follow-up (Saitama 2(2)ケ): a seeker whose last contact is more than
``inactivity_followup_months`` (3) before DATE is listed; exactly 3 months is not."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from secondcareer.booking.services import reservation_cancel, reservation_create
from secondcareer.consultations.selectors import inactive_seekers
from secondcareer.consultations.tests.conftest import another_seeker, at, record
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program, Service, Venue


def inactive_ids(program: Program, on: dt.date) -> list[int]:
    return [row.seeker.pk for row in inactive_seekers(program, on)]


def cli(*args: str) -> str:
    out = io.StringIO()
    call_command("inactive", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("last", "on", "listed"),
    [
        (dt.date(2027, 1, 10), dt.date(2027, 4, 10), False),  # exactly 3 months
        (dt.date(2027, 1, 9), dt.date(2027, 4, 10), True),  # 3 months and 1 day
        (dt.date(2027, 1, 11), dt.date(2027, 4, 10), False),
        (dt.date(2026, 11, 30), dt.date(2027, 2, 28), False),  # 3 months back from 28 Feb is 28 Nov
        (dt.date(2026, 11, 27), dt.date(2027, 2, 28), True),
        (dt.date(2026, 11, 28), dt.date(2027, 2, 28), False),
        (dt.date(2026, 12, 31), dt.date(2027, 3, 31), False),
        (dt.date(2026, 12, 30), dt.date(2027, 3, 31), True),
    ],
)
def test_the_boundary_is_exactly_the_preset_months(saitama, st_consultant, last, on, listed):
    seeker = another_seeker(saitama, 1)
    record(seeker, st_consultant, last)
    assert inactive_ids(saitama, on) == ([seeker.pk] if listed else [])


def test_a_late_evening_consultation_counts_on_its_japanese_date(saitama, st_consultant):
    seeker = another_seeker(saitama, 1)
    # Midnight at the start of 10 January in Japan is 15:00 on the 9th in UTC.
    record(seeker, st_consultant, dt.date(2027, 1, 10), start=at(dt.date(2027, 1, 10), 0))
    assert inactive_ids(saitama, dt.date(2027, 4, 10)) == []
    rows = inactive_seekers(saitama, dt.date(2027, 4, 11))
    assert [(r.seeker.pk, r.last_contact) for r in rows] == [(seeker.pk, dt.date(2027, 1, 10))]


def test_the_latest_of_consultations_and_bookings_is_the_last_contact(saitama, st_consultant):
    consultation = Service.objects.get(program=saitama, code="consultation")
    lark = Venue.objects.get(program=saitama, name="ラーク所沢")
    booked, only_old, cancelled = (another_seeker(saitama, n) for n in (1, 2, 3))
    for seeker in (booked, only_old, cancelled):
        record(seeker, st_consultant, dt.date(2026, 9, 1))
    now = at(dt.date(2027, 1, 1))
    reservation_create(
        program=saitama,
        seeker=booked,
        service=consultation,
        start=at(dt.date(2027, 1, 7)),
        venue=lark,
        method="in_person",
        channel="phone",
        now=now,
    )
    gone = reservation_create(
        program=saitama,
        seeker=cancelled,
        service=consultation,
        start=at(dt.date(2027, 1, 14)),
        venue=lark,
        method="in_person",
        channel="phone",
        now=now,
    )
    reservation_cancel(reservation=gone, channel="phone", actor=None, now=now)

    rows = {r.seeker.pk: r.last_contact for r in inactive_seekers(saitama, dt.date(2027, 2, 1))}
    assert rows == {only_old.pk: dt.date(2026, 9, 1), cancelled.pk: dt.date(2026, 9, 1)}


def test_a_no_show_is_not_a_contact_and_no_contact_at_all_is_not_listed(saitama, st_consultant):
    seeker, never = another_seeker(saitama, 1), another_seeker(saitama, 2)
    record(seeker, st_consultant, dt.date(2026, 9, 1))
    record(seeker, st_consultant, dt.date(2027, 1, 5), attendance="no_show")
    rows = inactive_seekers(saitama, dt.date(2027, 2, 1))
    assert [(r.seeker.pk, r.last_contact) for r in rows] == [(seeker.pk, dt.date(2026, 9, 1))]
    assert never.pk not in {r.seeker.pk for r in rows}


def test_withdrawn_seekers_are_not_listed(saitama, st_consultant):
    seeker = another_seeker(saitama, 1)
    record(seeker, st_consultant, dt.date(2026, 9, 1))
    Seeker.objects.filter(pk=seeker.pk).update(status="withdrawn")
    assert inactive_ids(saitama, dt.date(2027, 2, 1)) == []


def test_one_query_whatever_the_number_of_seekers(
    saitama, st_consultant, django_assert_num_queries
):
    def count() -> int:
        with django_assert_num_queries(1):
            return len(inactive_seekers(saitama, dt.date(2027, 6, 1)))

    record(another_seeker(saitama, 1), st_consultant, dt.date(2026, 9, 1))
    assert count() == 1
    for n in range(2, 12):
        seeker = another_seeker(saitama, n)
        record(seeker, st_consultant, dt.date(2026, 9, 1))
        record(seeker, st_consultant, dt.date(2026, 10, n))
    assert count() == 11


def test_the_cli_lists_seeker_id_and_last_contact_as_json(saitama, st_consultant):
    old, recent = another_seeker(saitama, 1), another_seeker(saitama, 2)
    record(old, st_consultant, dt.date(2027, 1, 9))
    record(recent, st_consultant, dt.date(2027, 1, 10))
    rows = json.loads(cli("--program", "saitama", "--on", "2027-04-10", "--format", "json"))
    assert rows == [{"seeker_id": old.pk, "last_contact": "2027-01-09"}]
    audit = AuditEntry.objects.filter(note="inactive")
    assert [(a.action, a.object_id) for a in audit] == [("export", str(old.pk))]


def test_the_cli_csv_has_a_header_and_the_phone_for_the_call(saitama, st_consultant):
    seeker = another_seeker(saitama, 1)
    record(seeker, st_consultant, dt.date(2027, 1, 9))
    rows = list(
        csv.DictReader(
            io.StringIO(cli("--program", "saitama", "--on", "2027-04-10", "--format", "csv"))
        )
    )
    assert rows == [
        {
            "seeker_id": str(seeker.pk),
            "last_contact": "2027-01-09",
            "card_number": seeker.card_number,
            "name": "鈴木 一郎1",
            "name_kana": "スズキ イチロウ",
            "phone": seeker.phone,
        }
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--on", "2027-04-10"), "--program で事業の識別子を指定してください"),
        (("--program", "nowhere", "--on", "2027-04-10"), "事業「nowhere」は登録されていません"),
        (("--program", "saitama", "--on", "2027-02-30"), "日付は YYYY-MM-DD で指定してください"),
        (("--program", "saitama", "--on", "10/04/2027"), "日付は YYYY-MM-DD で指定してください"),
        (("--program", "saitama", "--format", "pdf"), "--format には json, csv, labels のいずれか"),
        (("--program", "saitama", "--format", "xml"), "--format には json, csv, labels のいずれか"),
        (("--program", "kobe", "--on", "2027-04-10"), "inactivity_followup_months"),
    ],
)
def test_bad_input_is_a_japanese_command_error(saitama, kobe, args, message):
    with pytest.raises(CommandError, match=message):
        cli(*args)


def test_the_cli_labels_are_a_pdf_of_postcard_labels_for_those_with_an_address(
    saitama, st_consultant, tmp_path
):
    from pypdf import PdfReader

    with_address, without = another_seeker(saitama, 1), another_seeker(saitama, 2)
    Seeker.objects.filter(pk=with_address.pk).update(
        postal_code="359-0042", address="所沢市並木1-1-1"
    )
    Seeker.objects.filter(pk=without.pk).update(address="")
    for seeker in (with_address, without):
        record(seeker, st_consultant, dt.date(2027, 1, 9))
    out = tmp_path / "labels.pdf"
    err = io.StringIO()
    call_command(
        "inactive", "--program", "saitama", "--on", "2027-04-10", "--format", "labels",
        "--out", str(out), stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "鈴木 一郎1\u3000様" in text and "359-0042" in text and "所沢市並木1-1-1" in text
    assert "一郎2" not in text
    assert "1 件" in err.getvalue() and "1 人" in err.getvalue()


def test_the_cli_labels_need_a_file_to_write(saitama):
    with pytest.raises(CommandError, match="--out"):
        cli("--program", "saitama", "--format", "labels")


@pytest.mark.parametrize(
    ("last", "due"),
    [
        (dt.date(2027, 1, 9), dt.date(2027, 4, 10)),
        (dt.date(2027, 1, 10), dt.date(2027, 4, 11)),
        (dt.date(2026, 2, 28), dt.date(2026, 6, 1)),  # 31 May minus 3 months is 28 Feb
        (dt.date(2026, 11, 30), dt.date(2027, 3, 1)),
        (dt.date(2026, 12, 31), dt.date(2027, 4, 1)),
    ],
)
def test_the_day_a_seeker_falls_due_is_the_first_day_they_are_listed(
    saitama, st_consultant, last, due
):
    from secondcareer.consultations.selectors import due_from

    assert due_from(last, 3) == due
    seeker = another_seeker(saitama, 1)
    record(seeker, st_consultant, last)
    assert inactive_ids(saitama, due - dt.timedelta(days=1)) == []
    assert inactive_ids(saitama, due) == [seeker.pk]
