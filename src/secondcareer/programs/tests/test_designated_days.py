"""Days the prefecture designates — closures (県が指定する日は実施しない) and
substitute dates (祝日等に当たる場合は県が指定する日に振り替えて実施) — are added to a
preset and loaded like everything else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from secondcareer.programs.models import Closure, Program, SubstituteDate
from secondcareer.programs.services import program_load_preset
from secondcareer.programs.tests.helpers import edited, shipped_text, table_snapshot

pytestmark = pytest.mark.django_db

DESIGNATED = """\
  - code: pref_2026_05_01
    kind: one_off
    name: 県が指定する日
    from: 2026-05-01
  - code: lark_renovation
    kind: one_off
    name: 会場改修
    from: 2026-06-01
    to: 2026-06-05
    venue: lark_tokorozawa
    service: consultation

substitute_dates:
  - { original: 2026-11-03, held_on: 2026-11-10, venue: soka_kinro_fukushi_kaikan }
  - { original: 2026-11-23, held_on: 2026-11-24, note: 全会場 }
"""


def test_designated_closures_and_substitute_dates_load_and_reload_unchanged(
    write_preset: Callable[[str, str], Path],
) -> None:
    text = edited(shipped_text("saitama"), "substitute_dates: []\n", DESIGNATED)
    path = write_preset("saitama.yaml", text)
    program = program_load_preset(path_or_name=path).program
    first = table_snapshot()

    one_day = Closure.objects.get(program=program, code="pref_2026_05_01")
    assert (one_day.kind, one_day.start_date, one_day.end_date) == (
        "one_off",
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 1),
    )
    renovation = Closure.objects.get(program=program, code="lark_renovation")
    assert (renovation.venue.name, renovation.service.code) == ("ラーク所沢", "consultation")
    assert renovation.covers(dt.date(2026, 6, 5)) and not renovation.covers(dt.date(2026, 6, 6))

    substitutes = {
        (s.venue.name if s.venue else None, s.original_date): s.held_on
        for s in SubstituteDate.objects.filter(program=program).select_related("venue")
    }
    assert substitutes == {
        ("草加市立勤労福祉会館", dt.date(2026, 11, 3)): dt.date(2026, 11, 10),
        (None, dt.date(2026, 11, 23)): dt.date(2026, 11, 24),
    }

    program_load_preset(path_or_name=path)
    assert table_snapshot() == first


def test_dropping_designated_days_from_the_preset_removes_them(
    write_preset: Callable[[str, str], Path],
) -> None:
    text = edited(shipped_text("saitama"), "substitute_dates: []\n", DESIGNATED)
    program_load_preset(path_or_name=write_preset("saitama.yaml", text))
    program_load_preset(path_or_name="saitama")
    program = Program.objects.get(slug="saitama")
    assert not program.substitute_dates.exists()
    assert set(program.closures.values_list("code", flat=True)) == {"national_holidays", "year_end"}
