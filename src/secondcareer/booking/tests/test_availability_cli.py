"""`secondcareer availability` on the shipped presets (issue 3's acceptance cases)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from secondcareer.programs.models import SubstituteDate, Venue


def _availability(*args: str) -> list[dict]:
    out = StringIO()
    call_command("availability", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _saitama_january():
    return _availability(
        "--program",
        "saitama",
        "--service",
        "consultation",
        "--from",
        "2027-01-01",
        "--to",
        "2027-01-31",
    )


def test_chichibu_opens_only_on_the_first_and_third_wednesday_at_five_hours(saitama):
    rows = [r for r in _saitama_january() if r["venue"] == "秩父勤労者福祉センター"]
    assert sorted({r["start"][:10] for r in rows}) == ["2027-01-06", "2027-01-20"]
    assert sorted({r["start"][11:16] for r in rows}) == [
        "10:00",
        "11:00",
        "13:00",
        "14:00",
        "15:00",
    ]
    assert len(rows) == 10


def test_saitama_json_rows_have_the_documented_shape(saitama):
    row = _saitama_january()[0]
    assert set(row) >= {"start", "end", "service", "method", "venue", "capacity", "free"}
    assert row["start"].endswith("+09:00") and row["end"].endswith("+09:00")
    assert row["service"] == "consultation" and row["method"] == "in_person"
    assert row["capacity"] >= 1 and row["free"] == row["capacity"]


def test_nothing_is_offered_over_the_new_year(saitama):
    assert not [
        r
        for r in _saitama_january()
        if r["start"][:10] in {"2027-01-01", "2027-01-02", "2027-01-03"}
    ]


def test_coming_of_age_day_closes_tokorozawa_unless_a_substitute_is_configured(saitama):
    assert not [r for r in _saitama_january() if r["start"][:10] == "2027-01-11"]
    venue = Venue.objects.get(program__slug="saitama", name="所沢地方庁舎")
    SubstituteDate.objects.create(
        program=venue.program, venue=venue, original_date="2027-01-11", held_on="2027-01-13"
    )
    moved = [
        r
        for r in _saitama_january()
        if r["venue"] == "所沢地方庁舎" and r["start"][:10] == "2027-01-13"
    ]
    assert len(moved) == 5  # held on Wednesday 13th instead
    assert not [r for r in _saitama_january() if r["start"][:10] == "2027-01-11"]


def test_tokorozawa_runs_monday_and_tuesday_and_lark_thursday_to_saturday(saitama):
    rows = _saitama_january()

    def weekdays(name):
        return {
            dt.date.fromisoformat(r["start"][:10]).weekday() for r in rows if r["venue"] == name
        }

    assert weekdays("所沢地方庁舎") == {0, 1}
    assert weekdays("ラーク所沢") == {3, 4, 5}


def test_kobe_online_opens_nine_to_six_on_a_holiday_and_nine_to_nine_on_a_weekday(kobe):
    rows = _availability(
        "--program", "kobe", "--service", "online", "--from", "2026-11-23", "--to", "2026-11-24"
    )
    holiday = [r for r in rows if r["start"][:10] == "2026-11-23"]
    weekday = [r for r in rows if r["start"][:10] == "2026-11-24"]
    assert (holiday[0]["start"][11:16], holiday[-1]["end"][11:16]) == ("09:00", "18:00")
    assert (weekday[0]["start"][11:16], weekday[-1]["end"][11:16]) == ("09:00", "21:00")
    assert {r["venue"] for r in rows} == {None}


def test_kobe_online_is_closed_from_december_29_to_january_3(kobe):
    rows = _availability(
        "--program", "kobe", "--service", "online", "--from", "2026-12-28", "--to", "2027-01-04"
    )
    assert sorted({r["start"][:10] for r in rows}) == ["2026-12-28", "2027-01-04"]


def test_kobe_in_person_desk_is_weekdays_ten_to_five_at_sannomiya(kobe):
    rows = _availability(
        "--program", "kobe", "--service", "in_person", "--from", "2026-11-16", "--to", "2026-11-29"
    )
    days = {dt.date.fromisoformat(r["start"][:10]) for r in rows}
    assert all(d.weekday() < 5 for d in days)
    assert dt.date(2026, 11, 23) not in days  # 勤労感謝の日
    assert {r["venue"] for r in rows} == {"三宮ビル東館"}
    assert min(r["start"][11:16] for r in rows) == "10:00"
    assert max(r["end"][11:16] for r in rows) == "17:00"
    assert {r["capacity"] for r in rows} == {1}  # one booth


def test_bad_arguments_are_refused_in_plain_words(saitama):
    with pytest.raises(CommandError, match="相談サービス"):
        _availability(
            "--program",
            "saitama",
            "--service",
            "online",
            "--from",
            "2027-01-01",
            "--to",
            "2027-01-02",
        )
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _availability(
            "--program",
            "saitama",
            "--service",
            "consultation",
            "--from",
            "1/1",
            "--to",
            "2027-01-02",
        )
    with pytest.raises(CommandError, match="登録されていません"):
        _availability(
            "--program",
            "nagoya",
            "--service",
            "consultation",
            "--from",
            "2027-01-01",
            "--to",
            "2027-01-02",
        )
