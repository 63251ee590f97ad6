"""The インターンシップ実施計画書 (Saitama キ) as a PDF, from plain data (ADR 0024).

:func:`internship_plan_pdf` is a pure function over :class:`PlanData`: nothing here reads
the database, so the document can be tested, and printed again later, from the same
values. It uses the project's embedded IPAexGothic (``core.pdf``) and fixed metadata
(creation date from ``PlanData.prepared_on``), so the same data give the same bytes.

The document says what Saitama キ asks to be agreed before an internship: what the
participant does, when and where, the safety and harassment-prevention measures asked
of the employer, the insurance (work experience only), that no employment relationship
arises (労働基準法第9条), that it is free of charge to both sides, who bears the travel
costs, and a signature line for the participant and for the employer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode

from secondcareer.core.jpcalendar import TOKYO, format_date_ja
from secondcareer.core.pdf import document, pdf_bytes, printable

NO_EMPLOYMENT_STATEMENT = (
    "本インターンシップは、職場の見学又は体験を目的とするものであり、参加者は"
    "受入事業所の指揮命令の下で労務を提供するものではありません。参加者は"
    "労働基準法第9条に規定する労働者には当たらず、参加者と受入事業所との間に"
    "雇用関係は生じません。"
)
FREE_OF_CHARGE_STATEMENT = (
    "本インターンシップは参加者・受入事業所の双方とも無料です。参加者に賃金・報酬は"
    "支払われず、受入事業所・参加者のいずれにも参加費その他の費用は生じません。"
)
TRAVEL_PARTICIPANT = "参加者の負担とします（受入事業所からの支給はありません）。"
TRAVEL_EMPLOYER = "受入事業所が支給します。"

_LEFT = 18.0
_WIDTH = 174.0
_BOTTOM = 280.0


@dataclass(frozen=True)
class InsuranceData:
    policy_name: str
    policy_number: str
    insurer: str
    coverage_start: dt.date
    coverage_end: dt.date


@dataclass(frozen=True)
class PlanData:
    """What the plan says. ``kind_label`` is 職場見学 or 職場体験; ``days`` in order;
    ``insurance`` None for an observation (or not yet arranged)."""

    program_name: str
    kind_label: str
    participant_name: str
    employer_name: str
    days: Sequence[dt.date]
    place: str
    content: str
    schedule: str
    safety_notes: str
    harassment_notes: str
    travel_paid_by_employer: bool
    prepared_on: dt.date
    host_contact: str = ""
    employer_address: str = ""
    travel_note: str = ""
    insurance: InsuranceData | None = None
    insurance_required: bool = True


def _days_text(days: Sequence[dt.date]) -> str:
    if not days:
        return "（未定）"
    listed = "、".join(format_date_ja(day) for day in days)
    return f"{listed}（{len(days)}日間）"


def _insurance_text(plan: PlanData) -> str:
    if plan.insurance is None:
        if plan.insurance_required:
            return "（未加入：職場体験の実施前に加入します）"
        return "職場見学のため、保険への加入は要しません。"
    ins = plan.insurance
    return (
        f"{ins.policy_name}（保険会社：{ins.insurer}、証券番号：{ins.policy_number}）"
        f"　補償期間：{format_date_ja(ins.coverage_start)}〜{format_date_ja(ins.coverage_end)}"
        "　傷害保険及び賠償責任保険"
    )


class _Writer:
    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.y = 18.0

    def _room(self, height: float) -> None:
        if self.y + height > _BOTTOM:
            self.pdf.add_page()
            self.y = 18.0

    def paragraph(self, text: str, *, size: float = 10, indent: float = 0) -> None:
        pdf = self.pdf
        pdf.set_font_size(size)
        line = size * 0.5
        body = printable(text.strip() or "（記載なし）")
        lines = cast(
            list[str],
            pdf.multi_cell(
                _WIDTH - indent,
                line,
                body,
                wrapmode=WrapMode.CHAR,
                dry_run=True,
                output=MethodReturnValue.LINES,
            ),
        )
        for one in lines:
            self._room(line)
            pdf.set_xy(_LEFT + indent, self.y)
            pdf.cell(_WIDTH - indent, line, one)
            self.y += line
        self.y += 1.5

    def heading(self, text: str) -> None:
        self._room(14)
        pdf = self.pdf
        pdf.set_font_size(11)
        pdf.set_xy(_LEFT, self.y)
        pdf.cell(_WIDTH, 6, printable(text))
        self.y += 6.5

    def item(self, label: str, text: str) -> None:
        self.heading(f"■ {label}")
        self.paragraph(text, indent=4)


def internship_plan_pdf(plan: PlanData) -> bytes:
    """The 実施計画書 of ``plan`` as PDF bytes (A4, as many pages as it takes)."""
    pdf = document(title="インターンシップ実施計画書")
    pdf.set_creation_date(dt.datetime.combine(plan.prepared_on, dt.time(), tzinfo=TOKYO))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    w = _Writer(pdf)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font_size(9)
    pdf.set_xy(_LEFT, w.y)
    pdf.cell(_WIDTH, 5, printable(plan.program_name))
    pdf.set_xy(_LEFT, w.y)
    pdf.cell(_WIDTH, 5, printable(f"作成日 {format_date_ja(plan.prepared_on)}"), align="R")
    w.y += 9
    pdf.set_font_size(16)
    pdf.set_xy(_LEFT, w.y)
    pdf.cell(_WIDTH, 9, "インターンシップ実施計画書", align="C")
    w.y += 13

    w.item("種別", plan.kind_label)
    w.item("参加者", f"{plan.participant_name}　様")
    employer = plan.employer_name
    if plan.employer_address:
        employer += f"（{plan.employer_address}）"
    w.item("受入事業所", employer)
    if plan.host_contact:
        w.item("受入担当者", plan.host_contact)
    w.item("実施日", _days_text(plan.days))
    w.item("実施場所", plan.place)
    w.item("実施内容", plan.content)
    w.item("日程（スケジュール）", plan.schedule)
    w.item("安全への配慮（受入事業所へのお願い）", plan.safety_notes)
    w.item("ハラスメントの防止（受入事業所へのお願い）", plan.harassment_notes)
    w.item("保険", _insurance_text(plan))
    w.item("雇用関係について", NO_EMPLOYMENT_STATEMENT)
    w.item("費用", FREE_OF_CHARGE_STATEMENT)
    travel = TRAVEL_EMPLOYER if plan.travel_paid_by_employer else TRAVEL_PARTICIPANT
    if plan.travel_note:
        travel += f"　{plan.travel_note}"
    w.item("交通費", travel)

    w.heading("■ 同意")
    w.paragraph("参加者及び受入事業所は、本計画書の内容に同意します。", indent=4)
    for role, name in (("参加者", plan.participant_name), ("受入事業所", plan.employer_name)):
        w._room(22)
        pdf.set_font_size(10)
        pdf.set_xy(_LEFT + 4, w.y + 2)
        pdf.cell(60, 6, printable(f"{role}：{name}"))
        pdf.set_xy(_LEFT + 4, w.y + 11)
        pdf.cell(40, 6, "署名（記名押印）")
        pdf.set_xy(_LEFT + 110, w.y + 11)
        pdf.cell(60, 6, "　　年　　月　　日")
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.3)
        pdf.line(_LEFT + 38, w.y + 17, _LEFT + 106, w.y + 17)
        w.y += 22
    return pdf_bytes(pdf)
