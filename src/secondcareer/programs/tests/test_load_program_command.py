"""``secondcareer load-program kobe|saitama|PATH``: loads shipped presets, and refuses a
bad preset with the file name and key path while leaving the database unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from secondcareer.programs.models import Program
from secondcareer.programs.tests.helpers import edited, shipped_text, table_snapshot

pytestmark = pytest.mark.django_db

# (name, old text, new text, expected error line) — each a broken edit of saitama.yaml.
BROKEN_EDITS = [
    pytest.param(
        "    area: tokorozawa\n    weekdays: [mon, tue]\n",
        "    area: tokorozawa\n    weekdays: [mon, tuu]\n",
        "broken.yaml: venues[0].weekdays[1]: 曜日 'tuu' は使えません"
        "（mon, tue, wed, thu, fri, sat, sun のいずれか）",
        id="unknown weekday",
    ),
    pytest.param(
        "  - code: lark_tokorozawa\n    name: ラーク所沢\n",
        "  - code: lark_tokorozawa\n",
        "broken.yaml: venues[1].name: 必須の項目がありません",
        id="missing field",
    ),
    pytest.param(
        "    address: 草加市旭町6-13-20\n    area: soka\n",
        "    address: 草加市旭町6-13-20\n    area: sooka\n",
        "broken.yaml: venues[2].area: 地域 'sooka' は定義されていません（定義済み: tokorozawa, "
        "soka, kawagoe, kazo, kasukabe, fukaya, chichibu, ina）",
        id="venue in unknown area",
    ),
    pytest.param(
        '      weekday: ["10:00-12:00", "13:00-16:00"]\n',
        '      weekday: ["10:00-12:00", "11:00-16:00"]\n',
        "broken.yaml: services[0].hours.weekday[1]: 11:00-16:00 は同じ曜日区分の "
        "10:00-12:00 と重なっています",
        id="overlapping hours",
    ),
    pytest.param(
        "  card_prefix: ST\n",
        "  card_prefix: ST\n  slogan: x\n",
        "broken.yaml: program.slogan: 未知のキー 'slogan' です（書けるキー: slug, name, client, "
        "card_prefix, description, specification, spec_fiscal_year, office）",
        id="unknown key",
    ),
    pytest.param(
        "    weekdays: [mon, tue]\n",
        "    weekdays: [mon, tue\n",
        "broken.yaml: 92行目 9文字目: YAML として読めません: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence)",
        id="YAML syntax error",
    ),
]


def _load(preset: str) -> str:
    out = StringIO()
    call_command("load-program", preset, stdout=out)
    return out.getvalue()


def test_load_program_loads_a_shipped_preset_by_name() -> None:
    output = _load("saitama")
    assert output.startswith("saitama (セカンドキャリアセンター運営事業): loaded; created ")
    assert Program.objects.get(slug="saitama").venues.count() == 14


def test_load_program_twice_says_nothing_changed() -> None:
    _load("kobe")
    assert "unchanged; created 0, updated 0, deleted 0" in _load("kobe")


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN_EDITS)
def test_bad_preset_is_refused_naming_file_and_key_path_on_an_empty_database(
    write_preset: Callable[[str, str], Path], old: str, new: str, expected: str
) -> None:
    path = write_preset("broken.yaml", edited(shipped_text("saitama"), old, new))
    with pytest.raises(CommandError) as caught:
        _load(str(path))
    assert expected in str(caught.value).splitlines()
    assert not Program.objects.exists()


@pytest.mark.parametrize(("old", "new", "expected"), BROKEN_EDITS)
def test_broken_edit_of_a_loaded_program_is_refused_and_changes_nothing(
    write_preset: Callable[[str, str], Path], old: str, new: str, expected: str
) -> None:
    _load("saitama")
    before = table_snapshot()
    # The broken copy also changes a figure: none of it may reach the database.
    text = edited(shipped_text("saitama"), "capacity: 16 # c 加須市 16人", "capacity: 20")
    path = write_preset("broken.yaml", edited(text, old, new))
    with pytest.raises(CommandError) as caught:
        _load(str(path))
    assert expected in str(caught.value).splitlines()
    assert table_snapshot() == before


def test_check_option_validates_without_touching_the_database() -> None:
    out = StringIO()
    call_command("load-program", "kobe", "--check", stdout=out)
    assert out.getvalue().strip() == "kobe.yaml: OK"
    assert not Program.objects.exists()


def test_unknown_preset_name_is_refused() -> None:
    with pytest.raises(CommandError, match="プリセット「osaka」が見つかりません"):
        _load("osaka")


def test_console_script_finds_the_hyphenated_command_and_exits_non_zero(
    write_preset: Callable[[str, str], Path],
) -> None:
    path = write_preset(
        "broken.yaml",
        edited(
            shipped_text("saitama"),
            "    area: tokorozawa\n    weekdays: [mon, tue]\n",
            "    area: tokorozawa\n    weekdays: [mon, fir]\n",
        ),
    )
    # --check validates only, so the child process needs no database.
    completed = subprocess.run(  # noqa: S603 - our own console script
        [sys.executable, "-m", "secondcareer", "load-program", "--check", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "SECONDCAREER_ENV": "test"},
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert "broken.yaml: venues[0].weekdays[1]: 曜日 'fir' は使えません" in completed.stderr
