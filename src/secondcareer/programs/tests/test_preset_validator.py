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
        "test.yaml: venues[0].weekdays[0]: 曜日 'fir' は使えません"
        "（mon, tue, wed, thu, fri, sat, sun のいずれか）"
    ]


def test_missing_required_field_is_named() -> None:
    text = edited(MINIMAL, "{code: hall, name: 市民会館, ", "{code: hall, ")
    assert errors_of(text) == ["test.yaml: venues[0].name: 必須の項目がありません"]


def test_venue_in_an_unknown_area_is_named() -> None:
    text = edited(MINIMAL, "area: east, weekdays", "area: north, weekdays")
    assert errors_of(text) == [
        "test.yaml: venues[0].area: 地域 'north' は定義されていません（定義済み: east, west）"
    ]


def test_overlapping_opening_hours_on_the_same_day_type_are_refused() -> None:
    text = edited(MINIMAL, '"13:00-16:00"', '"11:30-16:00"')
    assert errors_of(text) == [
        "test.yaml: services[0].hours.weekday[1]: 11:30-16:00 は同じ曜日区分の 10:00-12:00 と"
        "重なっています"
    ]


def test_period_that_does_not_start_before_it_ends_is_refused() -> None:
    text = edited(MINIMAL, '"13:00-16:00"', '"16:00-13:00"')
    assert errors_of(text) == [
        "test.yaml: services[0].hours.weekday[1]: 開始 16:00 が終了 13:00 より前になっていません"
    ]


def test_unquoted_time_is_explained() -> None:
    # YAML 1.1 reads an unquoted 10:00 as the number 600.
    text = edited(MINIMAL, '"10:00-12:00", "13:00-16:00"', "10:00")
    assert errors_of(text) == [
        "test.yaml: services[0].hours.weekday[0]: 時間帯は '10:00-12:00' のように引用符で囲んで"
        "書いてください（数値 600 が書かれています）"
    ]


def test_duplicate_codes_are_refused() -> None:
    text = edited(MINIMAL, "{code: west, name: 西区", "{code: east, name: 西区")
    errors = errors_of(text)
    assert "test.yaml: areas[1].code: コード 'east' が重複しています（areas[0] と同じ）" in errors


def test_adjacency_to_an_unknown_area_is_refused() -> None:
    text = edited(MINIMAL, "- [east, west]", "- [east, north]")
    assert errors_of(text) == [
        "test.yaml: adjacency[0][1]: 地域 'north' は定義されていません（定義済み: east, west）"
    ]


def test_week_of_month_outside_one_to_five_is_refused() -> None:
    text = edited(MINIMAL, "nth: [1, 3]", "nth: [1, 6]")
    assert errors_of(text) == [
        "test.yaml: venues[0].weekdays[1].nth[1]: 第何週かは 1〜5 で書いてください"
        "（6 が書かれています）"
    ]


def test_bad_yaml_syntax_names_the_line() -> None:
    text = edited(MINIMAL, "adjacency:\n  - [east, west]", "adjacency:\n  - [east, west")
    (error,) = errors_of(text)
    assert error.startswith("test.yaml: 8行目 19文字目: YAML として読めません: ")


def test_a_key_written_twice_is_refused() -> None:
    text = edited(MINIMAL, "    slot_minutes: 60\n", "    slot_minutes: 60\n    slot_minutes: 30\n")
    assert errors_of(text) == [
        "test.yaml: 20行目 5文字目: YAML として読めません: キー 'slot_minutes' が2回書かれています"
    ]


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
    assert errors_of(text) == [
        "test.yaml: venues[0].adress: 未知のキー 'adress' です（書けるキー: code, name, area, "
        "formal_name, address, booths, seats, weekdays, note）"
    ]


def test_event_totals_must_agree_with_the_plan_per_area() -> None:
    text = edited(MINIMAL, "{code: a, name: A, count: 2}", "{code: a, name: A, count: 5}")
    errors = errors_of(text)
    assert (
        "test.yaml: events[0].categories[0].count: 区分 'a' の回数 5 が地域ごとの計画の合計 2 と"
        "合いません" in errors
    )


def test_venue_used_on_saturday_needs_saturday_hours() -> None:
    text = edited(MINIMAL, "weekdays: [mon,", "weekdays: [sat,")
    (error,) = errors_of(text)
    assert error == (
        "test.yaml: services[0].hours: 会場 'hall' は sat に使われますが、このサービスには "
        "saturday の時間帯がありません"
    )


def test_remote_service_cannot_have_venues() -> None:
    text = edited(MINIMAL, "delivery: venue", "delivery: remote")
    errors = errors_of(text)
    assert (
        "test.yaml: services[0].venues: オンライン（remote）のサービスに会場は書けません" in errors
    )


def test_periods_must_hold_whole_slots() -> None:
    text = edited(MINIMAL, '"13:00-16:00"', '"13:00-15:30"')
    assert errors_of(text) == [
        "test.yaml: services[0].hours.weekday: 13:00-15:30 は 60 分のコマで割り切れません"
    ]


def test_unreadable_file_is_reported_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(PresetInvalid) as caught:
        parse_preset_file(tmp_path / "missing.yaml")
    assert caught.value.lines()[0].startswith("missing.yaml: ファイルを読めません: ")


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
        "test.yaml: contact.phone: 電話をかける人がダイヤルする形の日本の電話番号を書いてください"
        f"（例: 078-000-0000）。{phone!r} は使えません"
    ]


def test_contact_needs_a_phone_and_knows_only_phone_and_hours() -> None:
    assert errors_of(MINIMAL + "contact: {hours: 平日}\n") == [
        "test.yaml: contact.phone: 必須の項目がありません"
    ]
    assert errors_of(MINIMAL + 'contact: {phone: "078-000-0000", fax: x}\n') == [
        "test.yaml: contact.fax: 未知のキー 'fax' です（書けるキー: phone, hours）"
    ]


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


def _mappings(value: object, path: str = "") -> list[str]:
    """The key path of every mapping in loaded YAML (the root is "")."""
    found: list[str] = []
    if isinstance(value, dict):
        found.append(path)
        for key, item in value.items():
            found += _mappings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _mappings(item, f"{path}[{index}]")
    return found


def _with_key(data: object, path: str, key: str) -> object:
    import copy
    import re

    data = copy.deepcopy(data)
    target = data
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        target = target[name] if name else target[int(index)]  # type: ignore[index]
    target[key] = 1  # type: ignore[index]
    return data


def test_an_unknown_key_anywhere_is_refused_with_its_path() -> None:
    import yaml

    data = yaml.safe_load(MINIMAL)
    paths = _mappings(data)
    assert len(paths) > 20  # every mapping of the minimal preset, nested ones included
    for path in paths:
        text = yaml.safe_dump(_with_key(data, path, "zz_typo"), allow_unicode=True)
        where = f"{path}.zz_typo" if path else "zz_typo"
        lines = errors_of(text)
        assert all(line.startswith(f"test.yaml: {where}: ") for line in lines), (path, lines)
        assert "'zz_typo'" in lines[0], (path, lines)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "version: 1",
            "version: 2",
            "test.yaml: version: 版 2 には対応していません（読めるのは 1）",
            id="version",
        ),
        pytest.param(
            "card_prefix: TT",
            "card_prefix: tt",
            "test.yaml: program.card_prefix: 英大文字1〜4文字で書いてください（'tt' が書かれています）",
            id="card prefix",
        ),
        pytest.param(
            "kind: ward}\n  - {code: west",
            "kind: town}\n  - {code: west",
            "test.yaml: areas[0].kind: 地域の種類 'town' は使えません"
            "（ward, branch, municipality のいずれか）",
            id="choice",
        ),
        pytest.param(
            "    slot_minutes: 60\n",
            "    slot_minutes: '60'\n",
            "test.yaml: services[0].slot_minutes: 整数で書いてください（文字列 '60' が書かれています）",
            id="int type",
        ),
        pytest.param(
            "    slot_minutes: 60\n",
            "    slot_minutes: 600\n",
            "test.yaml: services[0].slot_minutes: 480 以下にしてください（数値 600 が書かれています）",
            id="at most",
        ),
        pytest.param(
            "    slot_minutes: 60\n",
            "    slot_minutes: 60\n    booking_required: 1\n",
            "test.yaml: services[0].booking_required: true か false で書いてください"
            "（数値 1 が書かれています）",
            id="bool type",
        ),
        pytest.param(
            "    kinds: [general]\n",
            "    kinds: general\n",
            "test.yaml: services[0].kinds: リストで書いてください（文字列 'general' が書かれています）",
            id="list type",
        ),
        pytest.param(
            "{code: hall, name: 市民会館,",
            "{code: hall, name: 42,",
            "test.yaml: venues[0].name: 文字列で書いてください（数値 42 が書かれています）",
            id="string type",
        ),
        pytest.param(
            "{code: hall, name: 市民会館,",
            "{code: Hall, name: 市民会館,",
            "test.yaml: venues[0].code: コード 'Hall' は使えません（英小文字・数字・'_' で、"
            "英小文字で始まる50文字以内）",
            id="code",
        ),
        pytest.param(
            "    slot_minutes: 60\n",
            "    slot_minutes: 60\n    session_minutes: 90\n",
            "test.yaml: services[0].session_minutes: 90 分は1コマ（60 分）より長くなっています",
            id="session longer than slot",
        ),
        pytest.param(
            "    methods: [in_person]\n",
            "    methods: [in_person, parley]\n",
            "test.yaml: services[0].methods[1]: 相談方法 'parley' は使えません"
            "（chat, phone, video, in_person のいずれか）",
            id="method",
        ),
        pytest.param(
            "{day: wed, nth: [1, 3]}",
            "{day: wed, nth: [1, 1]}",
            "test.yaml: venues[0].weekdays[1].nth[1]: 第1週が2回書かれています",
            id="week twice",
        ),
        pytest.param(
            "weekdays: [mon,",
            "weekdays: [wed,",
            "test.yaml: venues[0].weekdays[1]: 曜日 'wed' が2回書かれています"
            "（venues[0].weekdays[0] と同じ）",
            id="weekday twice",
        ),
        pytest.param(
            "- [east, west]",
            "- [east, east]",
            "test.yaml: adjacency[0]: 地域 'east' を自分自身と隣り合わせにはできません",
            id="adjacent to itself",
        ),
        pytest.param(
            "    venues: [hall]\n",
            "    venues: [hall, hall]\n",
            "test.yaml: services[0].venues[1]: 会場 'hall' が2回書かれています",
            id="reference twice",
        ),
        pytest.param(
            "{code: holidays, name: 祝日, kind: national_holidays}",
            "{code: x, name: 年末, kind: recurring, from: '02-30', to: '01-03'}",
            "test.yaml: closures[0].from: 存在しない月日です: '02-30'",
            id="no such day",
        ),
        pytest.param(
            "{code: holidays, name: 祝日, kind: national_holidays}",
            "{code: x, name: 年末, kind: recurring, from: '12-29'}",
            "test.yaml: closures[0].to: 必須の項目がありません",
            id="recurring needs to",
        ),
        pytest.param(
            "{code: holidays, name: 祝日, kind: national_holidays}",
            "{code: x, name: 休館, kind: one_off, from: 2026-05-03, to: 2026-05-01}",
            "test.yaml: closures[0].to: 2026-05-01 が 2026-05-03 より前です",
            id="closure ends before it starts",
        ),
        pytest.param(
            "{code: holidays, name: 祝日, kind: national_holidays}",
            "{code: x, name: 休館, kind: one_off, from: 2026-05-03 10:00:00}",
            "test.yaml: closures[0].from: 日付だけを書いてください"
            "（日時 2026-05-03 10:00:00 が書かれています）",
            id="date and time",
        ),
        pytest.param(
            "{code: holidays, name: 祝日, kind: national_holidays}",
            "{code: holidays, name: 祝日, kind: national_holidays, from: 2026-05-03}",
            "test.yaml: closures[0].from: national_holidays の休業に日付は書けません",
            id="holidays take no dates",
        ),
        pytest.param(
            "{code: holidays, name: 祝日, kind: national_holidays}",
            "{code: holidays, name: 祝日, kind: national_holidays, service: phone}",
            "test.yaml: closures[0].service: 相談サービス 'phone' は定義されていません（定義済み: desk）",
            id="closure of an unknown service",
        ),
        pytest.param(
            "    format: seminar\n",
            "    format: seminar\n    days_min: 3\n    days_max: 2\n",
            "test.yaml: events[0].days_max: 2 が days_min の 3 より小さくなっています",
            id="days max below min",
        ),
        pytest.param(
            "{area: west, counts: {b: 1}}",
            "{area: east, counts: {b: 1}}",
            "test.yaml: events[0].allocations[1].area: 地域 'east' の計画はすでにあります"
            "（events[0].allocations[0]）",
            id="one plan per area",
        ),
        pytest.param(
            "{area: west, counts: {b: 1}}",
            "{area: west, counts: {b: 1}, venues: [hall]}",
            "test.yaml: events[0].allocations[1].venues: 会場 'hall' は地域 'east' にあり、"
            "'west' ではありません",
            id="venue of another area",
        ),
        pytest.param(
            "    count: 3\n",
            "    count: 4\n",
            "test.yaml: events[0].count: count 4 が地域ごとの計画の合計 3 と合いません",
            id="event count",
        ),
        pytest.param(
            "{area: west, counts: {b: 1}}",
            "{area: west, counts: {b: 1, c: 1}}",
            "test.yaml: events[0].allocations[1].counts.c: 区分 'c' はありません（この行事の区分: a, b）",
            id="unknown category",
        ),
        pytest.param(
            "fiscal_years: [2026]",
            "fiscal_years: [2026, 2026]",
            "test.yaml: kpis.fiscal_years[1]: 年度 2026 が2回書かれています",
            id="fiscal year twice",
        ),
        pytest.param(
            "unit: 人, target: 10}",
            "unit: 人, target: 10, by_year: {2027: 5}}",
            "test.yaml: kpis.items[0].by_year[2027]: 年度 2027 は kpis.fiscal_years にありません",
            id="target of an unknown year",
        ),
        pytest.param(
            "unit: 人, target: 10}",
            "unit: 人, target: 10, breakdown: [{code: u60, name: x, target: 11}]}",
            "test.yaml: kpis.items[0].breakdown[0].target: 11 が 'users' の 2026 年度の目標 10 を"
            "超えています",
            id="breakdown above its parent",
        ),
        pytest.param(
            "    - {code: users, number: 1, name: 利用者数}\n",
            "    - {code: users, number: 1, name: 利用者数}\n    - {code: b, number: 1, name: B}\n",
            "test.yaml: report.items[1].number: 番号 1 はすでに report.items[0] で使われています",
            id="report number twice",
        ),
        pytest.param(
            "  due: {day: 10}",
            "  due: {day: 10, exceptions: [{month: 3, day: 31}, {month: 3, day: 30}]}",
            "test.yaml: report.due.exceptions[1].month: 3 月の例外はすでにあります"
            "（report.due.exceptions[0]）",
            id="month exception twice",
        ),
        pytest.param(
            "  due: {day: 10}",
            "  due: {day: 32}",
            "test.yaml: report.due.day: 31 以下にしてください（数値 32 が書かれています）",
            id="due day",
        ),
    ],
)
def test_each_check_names_its_key_path_in_japanese(old: str, new: str, expected: str) -> None:
    assert expected in errors_of(edited(MINIMAL, old, new))


def test_a_substitute_date_must_differ_and_be_given_once() -> None:
    same_day = MINIMAL + "substitute_dates:\n  - {original: 2026-11-03, held_on: 2026-11-03}\n"
    assert errors_of(same_day) == [
        "test.yaml: substitute_dates[0].held_on: 振替実施日は元の日と違う日にしてください"
    ]
    twice = MINIMAL + (
        "substitute_dates:\n"
        "  - {original: 2026-11-04, held_on: 2026-11-05}\n"
        "  - {original: 2026-11-04, held_on: 2026-11-06}\n"
    )
    assert errors_of(twice) == [
        "test.yaml: substitute_dates[1]: 2026-11-04 はすでに振り替えられています"
        "（substitute_dates[0]）"
    ]


def test_an_error_type_without_its_own_message_still_names_the_path_in_japanese() -> None:
    from pydantic import BaseModel, ValidationError

    from secondcareer.programs.preset_format.errors import preset_errors

    class Odd(BaseModel):
        ratio: float

    with pytest.raises(ValidationError) as caught:
        Odd.model_validate({"ratio": "many"})
    (error,) = preset_errors(caught.value, Odd)
    assert error.path == "ratio"
    assert error.message == (
        "この値は使えません（文字列 'many' が書かれています。検査: float_parsing）"
    )


def test_the_video_room_template_is_read_from_video() -> None:
    text = MINIMAL + 'video: {room_url: "https://meet.example.org/{room}"}\n'
    assert parse(text).video.room_url == "https://meet.example.org/{room}"
    assert parse(MINIMAL).video.room_url == ""  # optional: no room links


@pytest.mark.parametrize(
    "url",
    ["http://meet.example.org/{room}", "https://meet.example.org/room", "https://x/{room}{name}"],
)
def test_a_video_room_template_must_be_https_with_one_room(url: str) -> None:
    [line] = errors_of(MINIMAL + f'video: {{room_url: "{url}"}}\n')
    assert line.startswith("test.yaml: video.room_url: ")


def test_the_matching_weights_are_optional_and_read_when_given() -> None:
    assert parse(MINIMAL).matching is None
    preset = parse(MINIMAL + "matching:\n  weights: {text: 1, wage: 0.5}\n")
    assert preset.matching is not None
    assert preset.matching.weights.as_dict() == {
        "wage": 0.5,
        "commute": 0.25,
        "occupation": 0.2,
        "text": 1.0,
    }


def test_a_matching_weight_must_be_a_number_not_negative_and_not_all_zero() -> None:
    assert errors_of(MINIMAL + "matching:\n  weights: {text: many}\n") == [
        "test.yaml: matching.weights.text: 数で書いてください（文字列 'many' が書かれています）"
    ]
    assert errors_of(MINIMAL + "matching:\n  weights: {wage: -1}\n") == [
        "test.yaml: matching.weights.wage: 0.0 以上にしてください（数値 -1 が書かれています）"
    ]
    zero = "matching:\n  weights: {wage: 0, commute: 0, occupation: 0, text: 0}\n"
    assert errors_of(MINIMAL + zero) == [
        "test.yaml: matching.weights: 重みのうち少なくとも1つは0より大きくしてください"
    ]
    assert errors_of(MINIMAL + "matching:\n  weight: {}\n")[0].startswith(
        "test.yaml: matching.weight:"
    )
