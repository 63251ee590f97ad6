"""Excel workbooks for printing and handing out (ADR 0026), with openpyxl.

:func:`workbook_bytes` turns plain rows into an ``.xlsx``: one sheet per
:class:`Sheet`, each with a title block on top (the program's name, the document's name
and date), a header row that repeats on every printed page, A4 fitted to the page's
width, the header frozen on screen, long text wrapped.

The bytes are deterministic: the same rows give the same file, byte for byte (a report
must be reproducible, DESIGN.md invariant 4). openpyxl stamps the workbook's
``modified`` time and the zip members' dates with the clock, so the workbook's
metadata is fixed here and the archive is written again with a fixed date on every
member.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

Cell = str | int | float | None

# The workbook's metadata and the zip members' dates: fixed, so the bytes are too.
FIXED_MOMENT = dt.datetime(2000, 1, 1, 0, 0, 0)
CREATOR = "Second Career Platform"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip member can carry
_THIN = Side(style="thin", color="808080")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
# A title block of two lines, a blank line, then the header row.
HEADER_ROW = 4


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its tab ``name`` (Excel allows 31 characters, no ``[]:*?/\\``),
    the column ``headers``, the ``rows`` (each as long as the headers), and optional
    column ``widths`` in characters (a Japanese character counts about 2)."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[float] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.headers):
                raise ValueError(
                    f"row {number} of sheet {self.name!r} has {len(row)} cells for "
                    f"{len(self.headers)} headers"
                )


def workbook_bytes(*, title: str, subtitle: str, sheets: Sequence[Sheet]) -> bytes:
    """The ``.xlsx`` of ``sheets``: on each, ``title`` (bold, first line) and
    ``subtitle`` (second line) above the header row."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    book = Workbook()
    for default in list(book.worksheets):  # a new workbook has one empty sheet
        book.remove(default)
    for spec in sheets:
        _fill(book.create_sheet(title=str(spec.name)), spec, title=title, subtitle=subtitle)
    props = book.properties
    props.creator = CREATOR
    props.lastModifiedBy = CREATOR
    props.title = title
    props.created = FIXED_MOMENT
    props.modified = FIXED_MOMENT
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        # ExcelWriter, not Workbook.save(): save() sets ``modified`` to now.
        ExcelWriter(book, archive).write_data()
    return _fixed_dates(raw.getvalue())


def _fill(ws: Worksheet, spec: Sheet, *, title: str, subtitle: str) -> None:
    columns = max(len(spec.headers), 1)
    ws.cell(row=1, column=1, value=_plain(title)).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=_plain(subtitle))
    for col, header in enumerate(spec.headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=_plain(header))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for offset, row in enumerate(spec.rows, start=1):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=HEADER_ROW + offset, column=col, value=_plain(value))
            if cell.data_type == "f":  # text that starts with "=" stays text, never a formula
                cell.data_type = "s"
            cell.alignment = wrap
            cell.border = Border(bottom=_THIN)
    for col in range(1, columns + 1):
        width = spec.widths[col - 1] if col - 1 < len(spec.widths) else 14
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    # Printing: A4 landscape, every column on the page's width (as many pages down as
    # needed), the header row on every page, the title in the page header too.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"
    last = get_column_letter(columns)
    ws.print_area = f"A1:{last}{HEADER_ROW + max(len(spec.rows), 1)}"


def _plain(value: object) -> Cell:
    """A number as it is; anything else as its text (a lazy translation, a label),
    without the control characters a worksheet cannot hold."""
    if value is None or isinstance(value, int | float):
        return value  # type: ignore[return-value]
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _fixed_dates(data: bytes) -> bytes:
    """The archive again, every member dated :data:`_ZIP_DATE`, in the same order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
