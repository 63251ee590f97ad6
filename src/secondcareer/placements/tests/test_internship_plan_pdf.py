"""The インターンシップ実施計画書: a PDF whose text names the participant and the employer
and says that no employment relationship arises; the same data give the same bytes."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from secondcareer.placements.internship_pdf import (
    NO_EMPLOYMENT_STATEMENT,
    InsuranceData,
    PlanData,
    internship_plan_pdf,
)


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeezed(text: str) -> str:
    return "".join(text.split())


def plan(**changes: object) -> PlanData:
    values: dict[str, object] = {
        "program_name": "さいたま市セカンドキャリアセンター",
        "kind_label": "職場体験",
        "participant_name": "髙橋 美智子",
        "employer_name": "株式会社みどり介護サービス",
        "days": [dt.date(2026, 12, 8), dt.date(2026, 12, 9)],
        "place": "さいたま市浦和区高砂3-1-4 みどり苑",
        "content": "デイサービスでの配膳補助、利用者の方との会話",
        "schedule": "9:30 集合・オリエンテーション\n10:00 配膳補助\n15:00 振り返り",
        "safety_notes": "腰に負担のかかる移乗介助は行わない。",
        "harassment_notes": "相談窓口として施設長を指名する。",
        "travel_paid_by_employer": False,
        "prepared_on": dt.date(2026, 12, 1),
        "insurance": InsuranceData(
            policy_name="インターンシップ保険",
            policy_number="A-123456",
            insurer="あおぞら損害保険株式会社",
            coverage_start=dt.date(2026, 12, 8),
            coverage_end=dt.date(2026, 12, 9),
        ),
    }
    values.update(changes)
    return PlanData(**values)  # type: ignore[arg-type]


def test_the_plan_names_the_participant_and_the_employer_and_says_there_is_no_employment():
    content = internship_plan_pdf(plan())
    assert content.startswith(b"%PDF-")
    text = squeezed(pdf_text(content))
    assert "インターンシップ実施計画書" in text
    assert "髙橋美智子" in text
    assert "株式会社みどり介護サービス" in text
    assert squeezed(NO_EMPLOYMENT_STATEMENT) in text
    assert "労働基準法第9条" in text
    assert "無料" in text
    assert "参加者の負担" in text
    assert "A-123456" in text
    assert "2026年12月8日" in text


def test_travel_costs_offered_by_the_employer_are_said_so():
    text = squeezed(pdf_text(internship_plan_pdf(plan(travel_paid_by_employer=True))))
    assert "受入事業所が支給します" in text
    assert "参加者の負担" not in text


def test_an_observation_says_it_needs_no_insurance():
    text = squeezed(
        pdf_text(
            internship_plan_pdf(
                plan(kind_label="職場見学", insurance=None, insurance_required=False)
            )
        )
    )
    assert "職場見学" in text
    assert "保険への加入は要しません" in text


def test_the_same_data_give_the_same_bytes():
    assert internship_plan_pdf(plan()) == internship_plan_pdf(plan())


def test_a_long_schedule_goes_on_to_a_second_page():
    long = "\n".join(f"{hour}:00 作業{hour}" for hour in range(8, 18)) * 6
    content = internship_plan_pdf(plan(schedule=long))
    assert len(PdfReader(io.BytesIO(content)).pages) >= 2
    assert "雇用関係は生じません" in squeezed(pdf_text(content))
