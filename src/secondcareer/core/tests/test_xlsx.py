"""The Excel helper: what openpyxl reads back is what was written (title block, header
row, rows, Japanese text), the sheets print on A4 fitted to the width with the header
row on every page, and the same rows give the same bytes at any time of day."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from openpyxl import load_workbook

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.xlsx import HEADER_ROW, Sheet, workbook_bytes

SHEETS = [
    Sheet(
        "利用者",
        ["氏名", "順位", "適合度", "理由"],
        [["山田 太郎", 1, 0.82, "通勤30分以内\n週3日から可"], ["佐藤 花子", 2, None, ""]],
        widths=(16, 6, 8, 40),
    ),
    Sheet("求人", ["求人番号", "職種"], []),
]


def build() -> bytes:
    return workbook_bytes(
        title="神戸市 マッチング会議", subtitle="2026年12月3日(木)", sheets=SHEETS
    )


def test_the_cells_read_back_as_written() -> None:
    book = load_workbook(io.BytesIO(build()))
    assert book.sheetnames == ["利用者", "求人"]
    ws = book["利用者"]
    assert ws["A1"].value == "神戸市 マッチング会議"
    assert ws["A2"].value == "2026年12月3日(木)"
    assert [c.value for c in ws[HEADER_ROW]] == ["氏名", "順位", "適合度", "理由"]
    assert [c.value for c in ws[HEADER_ROW + 1]] == [
        "山田 太郎",
        1,
        0.82,
        "通勤30分以内\n週3日から可",
    ]
    assert ws.cell(row=HEADER_ROW + 2, column=1).value == "佐藤 花子"
    assert ws.max_row == HEADER_ROW + 2
    assert ws["D5"].alignment.wrap_text
    assert ws.column_dimensions["D"].width == 40
    empty = book["求人"]
    assert [c.value for c in empty[HEADER_ROW]] == ["求人番号", "職種"]
    assert empty.max_row == HEADER_ROW


def test_every_sheet_prints_on_a4_fitted_to_the_width_with_the_header_on_each_page() -> None:
    book = load_workbook(io.BytesIO(build()))
    for ws in book.worksheets:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0  # as many pages down as it takes
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"


def test_the_same_rows_give_the_same_bytes_whenever_they_are_written() -> None:
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, 1, tzinfo=TOKYO), tick=False):
        morning = build()
    with time_machine.travel(dt.datetime(2027, 4, 1, 17, 30, 59, tzinfo=TOKYO), tick=False):
        later = build()
    assert morning == later
    book = load_workbook(io.BytesIO(morning))
    assert book.properties.modified == book.properties.created == dt.datetime(2000, 1, 1)
    with zipfile.ZipFile(io.BytesIO(morning)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_row_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="row 1"):
        Sheet("x", ["a", "b"], [["only one"]])


def test_text_that_looks_like_a_formula_stays_text_and_control_characters_are_dropped() -> None:
    data = workbook_bytes(
        title="t",
        subtitle="s",
        sheets=[Sheet("x", ["a", "b"], [['=HYPERLINK("http://evil")', "ベル\x07の音"]])],
    )
    ws = load_workbook(io.BytesIO(data))["x"]
    assert ws["A5"].data_type == "s"
    assert ws["A5"].value == '=HYPERLINK("http://evil")'
    assert ws["B5"].value == "ベルの音"
