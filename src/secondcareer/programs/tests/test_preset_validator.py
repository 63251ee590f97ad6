"""The pure preset parser/validator (no database): what it accepts, and how it names
every problem with the file and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from secondcareer.programs.preset_format import (
    PresetInvalid,
    ProgramPreset,
    parse_preset_file,
    parse_preset_text,
)
from secondcareer.programs.tests.helpers import PRESET_DIR, edited

MINIMAL = """\
version: 1
program: {slug: testtown, name: テスト事業, client: テスト市, card_prefix: TT}
areas:
  - {code: east, name: 東区, kind: ward}
  - {code: west, name: 西区, kind: ward}
adjacency:
  - [east, west]
consultation_kinds:
  - {code: general, name: 一般相談}
venues:
  - {code: hall, name: 市民会館, area: east, weekdays: [mon, {day: wed, nth: [1, 3]}]}
services:
  - code: desk
    name: 窓口相談
    kinds: [general]
    methods: [in_person]
    delivery: venue
    venues: [hall]
    slot_minutes: 60
    hours:
      weekday: ["10:00-12:00", "13:00-16:00"]
closures:
  - {code: holidays, name: 祝日, kind: national_holidays}
events:
  - code: seminar
    name: セミナー
    format: seminar
    count: 3
    categories:
      - {code: a, name: A, count: 2}
      - {code: b, name: B, count: 1}
    allocations:
      - {area: east, counts: {a: 2}, venues: [hall]}
      - {area: west, counts: {b: 1}}
kpis:
  fiscal_years: [2026]
  items:
    - {code: users, name: 利用者数, unit: 人, target: 10}
report:
  due: {day: 10}
  items:
    - {code: users, number: 1, name: 利用者数}
"""


def parse(text: str) -> ProgramPreset:
    return parse_preset_text(text, file="test.yaml")


def errors_of(text: str) -> list[str]:
    with pytest.raises(PresetInvalid) as caught:
        parse(text)
    return caught.value.lines()


def test_minimal_preset_is_accepted() -> None:
    preset = parse(MINIMAL)
    assert preset.program.slug == "testtown"
    assert [(d.weekday, d.nth) for d in preset.venues[0].days] == [(0, None), (2, (1, 3))]
    assert [str(p) for p in preset.services[0].hours["weekday"]] == ["10:00-12:00", "13:00-16:00"]


@pytest.mark.parametrize("name", ["kobe", "saitama"])
def test_shipped_presets_are_valid(name: str) -> None:
    preset = parse_preset_file(PRESET_DIR / f"{name}.yaml")
    assert preset.program.slug == name


def test_unknown_weekday_is_named_with_file_and_key_path() -> None:
    text = edited(MINIMAL, "weekdays: [mon,", "weekdays: [fir,")
    assert errors_of(text) == [
        "test.yaml: venues[0].weekdays[0]: unknown weekday 'fir' "
        "(use mon, tue, wed, thu, fri, sat, sun)"
    ]


def test_missing_required_field_is_named() -> None:
    text = edited(MINIMAL, "{code: hall, name: 市民会館, ", "{code: hall, ")
    assert errors_of(text) == ["test.yaml: venues[0].name: missing required field"]


def test_venue_in_an_unknown_area_is_named() -> None:
    text = edited(MINIMAL, "area: east, weekdays", "area: north, weekdays")
    assert errors_of(text) == [
        "test.yaml: venues[0].area: unknown area 'north' (known: east, west)"
    ]


def test_overlapping_opening_hours_on_the_same_day_type_are_refused() -> None:
    text = edited(MINIMAL, '"13:00-16:00"', '"11:30-16:00"')
    (error,) = errors_of(text)
    assert error.startswith(
        "test.yaml: services[0].hours.weekday[1]: 11:30-16:00 overlaps 10:00-12:00"
    )


def test_period_that_does_not_start_before_it_ends_is_refused() -> None:
    text = edited(MINIMAL, '"13:00-16:00"', '"16:00-13:00"')
    assert errors_of(text) == [
        "test.yaml: services[0].hours.weekday[1]: start 16:00 is not before end 13:00"
    ]


def test_unquoted_time_is_explained() -> None:
    # YAML 1.1 reads an unquoted 10:00 as the number 600.
    text = edited(MINIMAL, '"10:00-12:00", "13:00-16:00"', "10:00")
    (error,) = errors_of(text)
    assert error.startswith("test.yaml: services[0].hours.weekday[0]: expected a time range")


def test_duplicate_codes_are_refused() -> None:
    text = edited(MINIMAL, "{code: west, name: 西区", "{code: east, name: 西区")
    errors = errors_of(text)
    assert "test.yaml: areas[1].code: duplicate code 'east' (also areas[0])" in errors


def test_adjacency_to_an_unknown_area_is_refused() -> None:
    text = edited(MINIMAL, "- [east, west]", "- [east, north]")
    assert errors_of(text) == [
        "test.yaml: adjacency[0][1]: unknown area 'north' (known: east, west)"
    ]


def test_week_of_month_outside_one_to_five_is_refused() -> None:
    text = edited(MINIMAL, "nth: [1, 3]", "nth: [1, 6]")
    assert errors_of(text) == [
        "test.yaml: venues[0].weekdays[1].nth[1]: nth must be a week of the month 1 to 5, got 6"
    ]


def test_bad_yaml_syntax_names_the_line() -> None:
    text = edited(MINIMAL, "adjacency:\n  - [east, west]", "adjacency:\n  - [east, west")
    (error,) = errors_of(text)
    assert error.startswith("test.yaml: line ")
    assert "invalid YAML" in error


def test_a_key_written_twice_is_refused() -> None:
    text = edited(MINIMAL, "    slot_minutes: 60\n", "    slot_minutes: 60\n    slot_minutes: 30\n")
    (error,) = errors_of(text)
    assert "duplicate key 'slot_minutes'" in error


def test_every_problem_is_reported_not_just_the_first() -> None:
    text = edited(MINIMAL, "weekdays: [mon,", "weekdays: [fir,")
    text = edited(text, "- [east, west]", "- [east, north]")
    text = edited(text, '"13:00-16:00"', '"11:00-16:00"')
    paths = [line.split(": ")[1] for line in errors_of(text)]
    assert sorted(paths) == [
        "adjacency[0][1]",
        "services[0].hours.weekday[1]",
        "venues[0].weekdays[0]",
    ]


def test_unknown_key_is_refused_so_typos_do_not_pass_silently() -> None:
    text = edited(
        MINIMAL, "{code: hall, name: 市民会館,", "{code: hall, name: 市民会館, adress: x,"
    )
    (error,) = errors_of(text)
    assert error.startswith("test.yaml: venues[0].adress: unknown key 'adress'")


def test_event_totals_must_agree_with_the_plan_per_area() -> None:
    text = edited(MINIMAL, "{code: a, name: A, count: 2}", "{code: a, name: A, count: 5}")
    errors = errors_of(text)
    assert (
        "test.yaml: events[0].categories[0].count: category 'a' totals 5 "
        "but the allocations add up to 2" in errors
    )


def test_venue_used_on_saturday_needs_saturday_hours() -> None:
    text = edited(MINIMAL, "weekdays: [mon,", "weekdays: [sat,")
    (error,) = errors_of(text)
    assert error == (
        "test.yaml: services[0].hours: venue 'hall' is used on sat but the service has no "
        "saturday hours"
    )


def test_remote_service_cannot_have_venues() -> None:
    text = edited(MINIMAL, "delivery: venue", "delivery: remote")
    errors = errors_of(text)
    assert "test.yaml: services[0].venues: a remote service has no venues" in errors


def test_periods_must_hold_whole_slots() -> None:
    text = edited(MINIMAL, '"13:00-16:00"', '"13:00-15:30"')
    assert errors_of(text) == [
        "test.yaml: services[0].hours.weekday: 13:00-15:30 is not a whole number of 60-minute slots"
    ]


def test_unreadable_file_is_reported_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(PresetInvalid) as caught:
        parse_preset_file(tmp_path / "missing.yaml")
    assert caught.value.lines()[0].startswith("missing.yaml: cannot read the file")


def test_the_booking_dial_and_its_hours_are_read_from_contact() -> None:
    text = MINIMAL + 'contact: {phone: "０７８－０００－００００", hours: 平日 9:00〜17:00}\n'
    contact = parse(text).contact
    assert (contact.phone, contact.hours) == ("078-000-0000", "平日 9:00〜17:00")
    assert parse(MINIMAL).contact.phone == ""  # optional


@pytest.mark.parametrize(
    "phone", ["03-0000-0000", "+81-78-000-0000", "078-000-000", "tel:0780000000", "電話"]
)
def test_a_booking_dial_phonenumbers_does_not_accept_is_refused_with_its_path(phone) -> None:
    text = MINIMAL + f'contact: {{phone: "{phone}"}}\n'
    assert errors_of(text) == [
        "test.yaml: contact.phone: expected a Japanese phone number written as callers dial "
        f"it (e.g. 078-000-0000), got {phone!r}"
    ]


def test_contact_needs_a_phone_and_knows_only_phone_and_hours() -> None:
    assert errors_of(MINIMAL + "contact: {hours: 平日}\n") == [
        "test.yaml: contact.phone: missing required field"
    ]
    assert any(
        "contact.fax" in e
        for e in errors_of(MINIMAL + 'contact: {phone: "078-000-0000", fax: x}\n')
    )


@pytest.mark.parametrize("name", ["kobe", "saitama"])
def test_the_shipped_booking_dials_are_placeholders_that_can_ring_no_one(name: str) -> None:
    from secondcareer.programs.phones import local_number_starts_with_zero, tel_uri

    contact = parse_preset_file(PRESET_DIR / f"{name}.yaml").contact
    assert contact.phone and contact.hours
    # Valid for phonenumbers, yet no subscriber's local number starts with 0.
    assert tel_uri(contact.phone).startswith("tel:+81-")
    assert local_number_starts_with_zero(contact.phone)
    text = (PRESET_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert "SET YOUR NUMBER HERE" in text
