"""Printable PDF documents in Japanese (ADR 0024).

Every document is made with :func:`document`: an fpdf2 page in millimetres with
IPAexGothic, a TrueType font shipped in ``core/fonts/`` (IPA Font License; its text lies
beside it) and embedded as a subset, so the PDF prints and copies the same on any
machine and nothing is downloaded at run time. Text goes through :func:`printable`
first: a character the font does not have (𠮷 and other rare name characters) becomes
〓 (geta, the printers' mark for "character not available") instead of a blank that
fpdf2 would name in its log.

Helpers: :func:`fit_font_size` (the largest size at which a line fits a width),
:func:`draw_qr` (a QR code drawn as filled squares, sharp at any size), :func:`pdf_bytes`;
and :func:`address_labels`, postcard address labels on an A4 label sheet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, cast

import segno
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode

FONT_FAMILY = "IPAexGothic"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "ipaexg.ttf"
MISSING_CHARACTER = "〓"

_ALWAYS_PRINTABLE = frozenset("\n")


@cache
def _font_characters() -> frozenset[int]:
    """The code points IPAexGothic has a glyph for (read once per process)."""
    font = TTFont(FONT_PATH, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def printable(text: str) -> str:
    """``text`` as the font can print it: NFC-normalised, control characters dropped and
    every character without a glyph replaced by 〓."""
    characters = _font_characters()
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in _ALWAYS_PRINTABLE or ord(char) in characters:
            out.append(char)
        elif unicodedata.category(char).startswith("C"):
            continue
        else:
            out.append(MISSING_CHARACTER)
    return "".join(out)


def document(
    *,
    title: str,
    page_format: str | tuple[float, float] = "A4",
    orientation: Literal["portrait", "landscape"] = "portrait",
) -> FPDF:
    """A new document (millimetres, no automatic page breaks, no margins: the layouts
    place everything themselves) with the Japanese font set at 10 pt. Add pages with
    ``add_page()``."""
    pdf = FPDF(orientation=orientation, unit="mm", format=page_format)
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT_FAMILY, fname=str(FONT_PATH))
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.set_title(printable(title))
    pdf.set_lang("ja")
    pdf.set_creator("secondcareer")
    return pdf


def fit_font_size(pdf: FPDF, text: str, *, width: float, largest: float, smallest: float) -> float:
    """The largest font size (pt, half-point steps) from ``largest`` down to ``smallest``
    at which ``text`` fits on one line of ``width`` mm; ``smallest`` when none does.
    Leaves the font size as it found it."""
    before = pdf.font_size_pt
    size = largest
    try:
        while size > smallest:
            pdf.set_font_size(size)
            if pdf.get_string_width(text) <= width:
                return size
            size -= 0.5
        return smallest
    finally:
        pdf.set_font_size(before)


def draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size: float) -> None:
    """A QR code of ``data`` (error correction M, with its quiet zone) as a ``size`` mm
    square whose top left corner is at (``x``, ``y``): one filled rectangle per run of
    dark modules, so it stays sharp on any printer."""
    qr = segno.make_qr(data, error="m")
    rows = list(qr.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(rows):
        start: int | None = None
        for col_index, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col_index
            elif not dark and start is not None:
                pdf.rect(
                    x + start * module,
                    y + row_index * module,
                    (col_index - start) * module,
                    module,
                    style="F",
                )
                start = None


def crop_marks(pdf: FPDF, *, x: float, y: float, w: float, h: float, length: float = 4) -> None:
    """Corner cut marks (トンボ) just outside the rectangle, for cutting it out by hand."""
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
    gap = 1.0
    for cx, dx in ((x, -1), (x + w, 1)):
        for cy, dy in ((y, -1), (y + h, 1)):
            pdf.line(cx + dx * gap, cy, cx + dx * (gap + length), cy)
            pdf.line(cx, cy + dy * gap, cx, cy + dy * (gap + length))


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


# --- Address labels ----------------------------------------------------------------------


@dataclass(frozen=True)
class LabelSheet:
    """An A4 label sheet: ``columns`` × ``rows`` labels of ``width`` × ``height`` mm, the
    first one's top left corner at (``left``, ``top``), ``gap_x``/``gap_y`` between them."""

    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


# The common 12面 sheet (2 × 6 labels of 86.4 × 42.3 mm, centred on A4) and 21面 sheet
# (3 × 7 of 70 × 42.3 mm) sold for postcard and envelope addresses.
TWELVE_UP = LabelSheet(columns=2, rows=6, width=86.4, height=42.3, left=18.6, top=21.6)
TWENTY_ONE_UP = LabelSheet(columns=3, rows=7, width=70.0, height=42.3, left=0.0, top=15.45)


@dataclass(frozen=True)
class AddressLabel:
    postal_code: str
    address: str
    name: str


def postal_code_display(postal_code: str) -> str:
    """``6500001``, ``６５０−０００１`` or ``650-0001`` as ``650-0001``; anything else as
    given (trimmed), so an odd value is printed rather than lost."""
    normalised = unicodedata.normalize("NFKC", postal_code).strip()
    digits = re.sub(r"[\s\-‐‑–—―ー−〒]", "", normalised)
    if re.fullmatch(r"\d{7}", digits):
        return f"{digits[:3]}-{digits[3:]}"
    return normalised


def address_labels(
    entries: Iterable[AddressLabel | Sequence[str]],
    *,
    sheet: LabelSheet = TWELVE_UP,
    title: str | None = None,
) -> bytes:
    """A PDF of postcard address labels on ``sheet``, as many pages as it takes: 〒 and
    the postal code, the address (wrapped to two lines, smaller when longer) and the
    name with 様. ``entries`` are :class:`AddressLabel` or ``(postal_code, address,
    name)`` triples. No entries give one empty page (a PDF has at least one)."""
    labels = [
        entry if isinstance(entry, AddressLabel) else AddressLabel(*entry) for entry in entries
    ]
    pdf = document(title=title if title is not None else _("宛名ラベル"))
    if not labels:
        pdf.add_page()
    for index, label in enumerate(labels):
        slot = index % sheet.per_page
        if slot == 0:
            pdf.add_page()
        column, row = slot % sheet.columns, slot // sheet.columns
        x = sheet.left + column * (sheet.width + sheet.gap_x)
        y = sheet.top + row * (sheet.height + sheet.gap_y)
        _draw_label(pdf, label, x=x, y=y, sheet=sheet)
    return pdf_bytes(pdf)


def _draw_label(pdf: FPDF, label: AddressLabel, *, x: float, y: float, sheet: LabelSheet) -> None:
    pad = 5.0
    inner = sheet.width - 2 * pad
    pdf.set_text_color(0, 0, 0)
    pdf.set_font_size(10)
    pdf.set_xy(x + pad, y + 4)
    pdf.cell(inner, 5, printable(f"〒{postal_code_display(label.postal_code)}"))
    address = printable(" ".join(label.address.split()))
    size, lines = _wrapped(pdf, address, width=inner)
    pdf.set_font_size(size)
    line_height = size * 0.45
    for number, line in enumerate(lines):
        pdf.set_xy(x + pad, y + 10 + number * line_height)
        pdf.cell(inner, line_height, line)
    name = printable(_("%(name)s　様") % {"name": label.name.strip()})
    pdf.set_font_size(fit_font_size(pdf, name, width=inner, largest=14, smallest=9))
    pdf.set_xy(x + pad, y + sheet.height - 14)
    pdf.cell(inner, 8, name, align="C")


def _wrapped(pdf: FPDF, text: str, *, width: float) -> tuple[float, list[str]]:
    """The size (10 pt down to 7) at which ``text`` wraps into two lines of ``width`` mm,
    with those lines; at 7 pt, the first three lines (a longer address is cut)."""
    before = pdf.font_size_pt
    size = 10.0
    try:
        while True:
            pdf.set_font_size(size)
            lines = cast(
                list[str],
                pdf.multi_cell(
                    width,
                    size * 0.45,
                    text,
                    wrapmode=WrapMode.CHAR,
                    dry_run=True,
                    output=MethodReturnValue.LINES,
                ),
            )
            if len(lines) <= 2 or size <= 7:
                return size, list(lines[:3])
            size -= 0.5
    finally:
        pdf.set_font_size(before)
