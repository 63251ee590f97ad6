"""A Hello Work CSV in the default mapping's columns, and a way to run the import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from secondcareer.core.jpcalendar import TOKYO

TODAY = dt.date(2026, 12, 3)

HEADER = (
    "求人番号",
    "受付年月日",
    "紹介期限日",
    "事業所番号",
    "事業所名",
    "職種",
    "仕事内容",
    "就業場所",
    "雇用形態",
    "雇用期間",
    "賃金",
    "就業時間",
    "週所定労働日数",
    "休日等",
    "年齢",
    "年齢制限",
    "年齢制限該当事由",
    "定年年齢",
    "再雇用上限年齢",
    "必要な経験・資格",
    "加入保険",
    "求人数",
)


def posting_row(n: int, **overrides: str) -> dict[str, str]:
    row = {
        "求人番号": f"11010-{n:08d}",
        "受付年月日": "令和8年11月20日",
        "紹介期限日": "2027/1/31",
        "事業所番号": f"1101-{n % 7:06d}-1",
        "事業所名": f"株式会社さいたま{n % 7}",
        "職種": "施設の清掃スタッフ",
        "仕事内容": "館内の清掃（床・窓・トイレ）",
        "就業場所": "埼玉県アルファ市本町1-2-3",
        "雇用形態": "パート労働者",
        "雇用期間": "雇用期間の定めあり（4か月以上）",
        "賃金": "1,100円～1,300円",
        "就業時間": "8時30分～12時30分",
        "週所定労働日数": "週3日",
        "休日等": "土日祝",
        "年齢": "不問",
        "年齢制限": "なし",
        "年齢制限該当事由": "",
        "定年年齢": "なし",
        "再雇用上限年齢": "",
        "必要な経験・資格": "不問",
        "加入保険": "雇用 労災",
        "求人数": "2人",
    }
    row.update(overrides)
    return row


def csv_text(rows: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def write(rows: list[dict[str, str]], encoding: str = "utf-8", **kwargs: Any) -> Path:
        path = tmp_path / f"postings-{next(counter)}.csv"
        path.write_bytes(csv_text(rows, **kwargs).encode(encoding))
        return path

    return write


@pytest.fixture
def run_import() -> Callable[..., str]:
    def run(path: Path, program: str, *args: str, on: dt.date = TODAY) -> str:
        out = io.StringIO()
        moment = dt.datetime.combine(on, dt.time(9), tzinfo=TOKYO)
        with time_machine.travel(moment, tick=False):
            call_command("import-hellowork", str(path), "--program", program, *args, stdout=out)
        return out.getvalue().strip()

    return run


# --- employers and postings for the screens and the API ---------------------------------------


@pytest.fixture
def make_employer() -> Callable[..., Any]:
    from secondcareer.jobs.services import employer_create

    def make(program: Any, name: str = "株式会社アルファ清掃", **fields: Any) -> Any:
        return employer_create(program=program, name=name, **fields)

    return make


@pytest.fixture
def make_posting() -> Callable[..., Any]:
    """``make_posting(employer, occupation=…, …)``: one of the centre's own postings,
    through the service (today's date: open for 60 days unless told)."""
    from django.utils import timezone

    from secondcareer.jobs.services import posting_create

    def make(employer: Any, **fields: Any) -> Any:
        values: dict[str, Any] = {
            "occupation": "清掃スタッフ",
            "description": "館内の清掃",
            "wage_type": "hourly",
            "wage_from": 1100,
            "referral_deadline": timezone.localdate() + dt.timedelta(days=60),
        }
        values.update(fields)
        return posting_create(program=employer.program, employer=employer, **values)

    return make


def hellowork_posting(employer: Any, number: str = "11010-00000001", **fields: Any) -> Any:
    """A posting as the Hello Work import leaves it (source hellowork)."""
    from django.utils import timezone

    from secondcareer.jobs.models import JobPosting
    from secondcareer.jobs.search import posting_search_text

    values: dict[str, Any] = {
        "occupation": "介護職員",
        "description": "特別養護老人ホームでの介助",
        "office_name": employer.name,
        "wage_type": "hourly",
        "wage_from": 1200,
        "wage_to": 1400,
        "referral_deadline": timezone.localdate() + dt.timedelta(days=30),
    }
    values.update(fields)
    values["search_text"] = posting_search_text(
        values["occupation"], values["description"], values["office_name"]
    )
    return JobPosting.objects.create(
        program=employer.program, employer=employer, number=number, source="hellowork", **values
    )
