"""Loading a preset creates or updates by natural key: the same preset twice keeps every
row and id, an edit updates rows in place, and removals never destroy data in use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from secondcareer.core.errors import DomainError
from secondcareer.people.services import seeker_register
from secondcareer.programs.models import Area, Closure, EventAllocation, Program, Venue
from secondcareer.programs.services import program_load_preset
from secondcareer.programs.tests.helpers import edited, shipped_text, table_snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["kobe", "saitama"])
def test_loading_a_preset_twice_keeps_every_row_and_id(name: str) -> None:
    program_load_preset(path_or_name=name)
    first = table_snapshot()
    second_result = program_load_preset(path_or_name=name)
    assert table_snapshot() == first
    assert not second_result.changed
    assert second_result.summary() == "created 0, updated 0, deleted 0"


def test_loading_both_programs_keeps_them_apart() -> None:
    program_load_preset(path_or_name="saitama")
    saitama_rows = table_snapshot()
    program_load_preset(path_or_name="kobe")
    program_load_preset(path_or_name="kobe")
    saitama = Program.objects.get(slug="saitama")
    assert Venue.objects.filter(program=saitama).count() == 14
    after = table_snapshot()
    label = "programs.Venue"
    saitama_venues = [row for row in after[label] if row[1] == str(saitama.pk)]
    assert saitama_venues == [row for row in saitama_rows[label] if row[1] == str(saitama.pk)]


def test_a_changed_figure_is_updated_in_place(
    write_preset: Callable[[str, str], Path],
) -> None:
    program_load_preset(path_or_name="saitama")
    kazo = EventAllocation.objects.get(event_kind__code="job_seminar", area__code="kazo")
    ids_before = {label: [row[0] for row in rows] for label, rows in table_snapshot().items()}

    text = edited(shipped_text("saitama"), "capacity: 16 # c 加須市 16人", "capacity: 20")
    result = program_load_preset(path_or_name=write_preset("saitama-edit.yaml", text))

    kazo_after = EventAllocation.objects.get(pk=kazo.pk)
    assert kazo_after.capacity == 20
    assert {label: [row[0] for row in rows] for label, rows in table_snapshot().items()} == (
        ids_before
    )
    assert dict(result.updated) == {"programs.EventAllocation": 1}
    assert not result.created and not result.deleted


def test_an_entry_removed_from_the_preset_is_deleted_and_the_rest_keep_their_ids(
    write_preset: Callable[[str, str], Path],
) -> None:
    program_load_preset(path_or_name="kobe")
    summer_id = Closure.objects.get(code="summer").pk
    stamp = Program.objects.get(slug="kobe").schedule_stamp
    before = table_snapshot(ignore=("schedule_stamp",))

    text = edited(
        shipped_text("kobe"),
        """  - code: summer
    kind: recurring
    name: 夏季休業
    from: "08-13"
    to: "08-15"
    note: 仕様書は「3日程度」のみ。8月13日～15日は仮の既定値（要確認）。
""",
        "",
    )
    result = program_load_preset(path_or_name=write_preset("kobe.yaml", text))

    assert dict(result.deleted) == {"programs.Closure": 1}
    # The slot calendar changed, so cached copies of it are out of date everywhere.
    assert Program.objects.get(slug="kobe").schedule_stamp != stamp
    after = table_snapshot(ignore=("schedule_stamp",))
    assert after["programs.Closure"] == [
        row for row in before["programs.Closure"] if row[0] != str(summer_id)
    ]
    assert {k: v for k, v in after.items() if k != "programs.Closure"} == {
        k: v for k, v in before.items() if k != "programs.Closure"
    }


def test_a_new_venue_weekday_is_added_without_touching_the_others(
    write_preset: Callable[[str, str], Path],
) -> None:
    program_load_preset(path_or_name="saitama")
    before = table_snapshot()
    text = edited(
        shipped_text("saitama"),
        "    area: kasukabe\n    weekdays: [tue]\n",
        "    area: kasukabe\n    weekdays: [tue, thu]\n",
    )
    result = program_load_preset(path_or_name=write_preset("saitama.yaml", text))
    after = table_snapshot()
    assert dict(result.created) == {"programs.VenueDay": 1}
    assert set(before["programs.VenueDay"]) < set(after["programs.VenueDay"])
    venue = Venue.objects.get(name="春日部地方庁舎")
    assert sorted(venue.days.values_list("weekday", flat=True)) == [1, 3]


def test_removing_an_area_a_seeker_lives_in_is_refused_and_changes_nothing(
    write_preset: Callable[[str, str], Path],
) -> None:
    with_extra_area = edited(
        shipped_text("saitama"),
        "  - { code: ina, name: 伊奈町, kind: municipality }\n",
        "  - { code: ina, name: 伊奈町, kind: municipality }\n"
        "  - { code: ageo, name: 上尾市, kind: municipality }\n",
    )
    program_load_preset(path_or_name=write_preset("saitama.yaml", with_extra_area))
    program = Program.objects.get(slug="saitama")
    seeker_register(
        program=program,
        actor=None,
        channel="staff",
        family_name="山田",
        given_name="太郎",
        family_name_kana="ヤマダ",
        given_name_kana="タロウ",
        birth_date=dt.date(1960, 4, 1),
        phone="090-1234-5678",
        area=Area.objects.get(program=program, code="ageo"),
        registered_on=dt.date(2026, 11, 1),
    )
    # The shipped preset no longer has 上尾市; it also changes a figure on the way.
    text = edited(shipped_text("saitama"), "capacity: 16 # c 加須市 16人", "capacity: 20")
    before = table_snapshot()

    with pytest.raises(DomainError) as caught:
        program_load_preset(path_or_name=write_preset("saitama-new.yaml", text))

    assert caught.value.code == "conflict"
    assert "上尾市" in caught.value.message
    assert "利用者 1件" in caught.value.message
    assert table_snapshot() == before
