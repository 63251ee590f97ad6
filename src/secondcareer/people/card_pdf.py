"""The user card (利用者カード) handed over at the first visit, as a PDF (ADR 0024).

One card of 91 × 55 mm (名刺 size) on an A4 page, where the first card of a common
10面 business-card sheet sits (14 mm from the left, 11 mm from the top), with cut
marks: it prints on that card stock, or on plain paper and is cut out. On it: the
program's name, the seeker's name in kanji with its furigana, the card number (the
check-digit number of :mod:`secondcareer.people.cards`), the issue date, and a QR code
of the staff page of the seeker (``SECONDCAREER_SITE_URL`` + the seeker detail view),
which reception scans to open the record. The QR code holds no personal data: only the
record's address, which opens for signed-in staff of the program alone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.enums import WrapMode

from secondcareer.core.jpcalendar import format_date_ja
from secondcareer.core.pdf import crop_marks, document, draw_qr, fit_font_size, pdf_bytes, printable
from secondcareer.people.models import Seeker

CARD_WIDTH = 91.0
CARD_HEIGHT = 55.0
CARD_LEFT = 14.0
CARD_TOP = 11.0
_QR_SIZE = 27.0


def seeker_reception_url(seeker: Seeker) -> str:
    """The absolute address of the seeker's staff page, which the card's QR code holds."""
    site = str(settings.SECONDCAREER_SITE_URL).rstrip("/")
    return site + reverse("people:seeker_detail", args=[seeker.pk])


def user_card_pdf(seeker: Seeker, *, issued_on: dt.date | None = None) -> bytes:
    """The user card of ``seeker`` (its program loaded with it) as PDF bytes.
    ``issued_on`` defaults to today in Japan."""
    issued_on = issued_on or timezone.localdate()
    pdf = document(title=_("利用者カード"))
    pdf.add_page()
    x, y = CARD_LEFT, CARD_TOP
    crop_marks(pdf, x=x, y=y, w=CARD_WIDTH, h=CARD_HEIGHT)
    pdf.set_text_color(0, 0, 0)
    pad = 5.0
    text_width = CARD_WIDTH - 2 * pad

    program_name = printable(seeker.program.name)
    pdf.set_font_size(fit_font_size(pdf, program_name, width=text_width, largest=8, smallest=5))
    pdf.set_xy(x + pad, y + 3.5)
    pdf.cell(text_width, 4, program_name)

    pdf.set_font_size(12)
    pdf.set_xy(x + pad, y + 8.5)
    pdf.cell(text_width, 6, _("利用者カード"))
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    pdf.line(x + pad, y + 15.5, x + CARD_WIDTH - pad, y + 15.5)

    name_width = CARD_WIDTH - 2 * pad - _QR_SIZE - 1
    furigana = printable(seeker.full_name_kana)
    pdf.set_font_size(fit_font_size(pdf, furigana, width=name_width, largest=7, smallest=5))
    pdf.set_xy(x + pad, y + 18)
    pdf.cell(name_width, 3.5, furigana)
    name = printable(_("%(name)s　様") % {"name": seeker.full_name})
    pdf.set_font_size(fit_font_size(pdf, name, width=name_width, largest=15, smallest=8))
    pdf.set_xy(x + pad, y + 22)
    pdf.cell(name_width, 7, name)

    pdf.set_font_size(6.5)
    pdf.set_xy(x + pad, y + 33)
    pdf.cell(name_width, 3.5, _("カード番号"))
    pdf.set_font_size(
        fit_font_size(pdf, seeker.card_number, width=name_width, largest=13, smallest=8)
    )
    pdf.set_xy(x + pad, y + 37)
    pdf.cell(name_width, 6, seeker.card_number)

    pdf.set_font_size(6.5)
    pdf.set_xy(x + pad, y + 46)
    pdf.cell(name_width, 3.5, _("発行日 %(date)s") % {"date": format_date_ja(issued_on)})

    qr_x = x + CARD_WIDTH - pad - _QR_SIZE + 2  # the quiet zone may reach into the padding
    draw_qr(pdf, seeker_reception_url(seeker), x=qr_x, y=y + 17, size=_QR_SIZE)
    pdf.set_font_size(5.5)
    pdf.set_xy(qr_x, y + 17 + _QR_SIZE - 1)
    pdf.cell(_QR_SIZE, 3, _("受付で読み取ります"), align="C")

    pdf.set_font_size(8)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(x, y + CARD_HEIGHT + 8)
    pdf.multi_cell(
        120,
        4.5,
        _(
            "四隅の線に沿って切り取ってください。"
            "10面の名刺用紙（91×55 mm）にもそのまま印刷できます。"
        ),
        wrapmode=WrapMode.CHAR,
    )
    return pdf_bytes(pdf)
