"""``secondcareer match``: the JSON list it prints, an 出力 audit entry per seeker
printed, and a Japanese message for a wrong call."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command

from secondcareer.core.models import AuditAction, AuditEntry
from secondcareer.jobs.models import JobPosting
from secondcareer.matching.services import profile_save
from secondcareer.matching.tests.conftest import row
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(program: Program, seeker: Seeker, import_rows: Callable[..., str]) -> JobPosting:
    import_rows([row(1, 職種="清掃スタッフ"), row(2, 職種="経理事務", 仕事内容="経理と簿記")])
    profile_save(
        program=program,
        seeker=seeker,
        by=None,
        days_per_week=3,
        hours_per_day=5,
        min_hourly_wage=1200,
        career_history="経理",
    )
    return JobPosting.objects.get(number="11010-00000002")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("match", *args, stdout=out)
    return out.getvalue()


def test_a_seekers_list_is_json_best_first_and_audited_as_an_export(
    ready: JobPosting, seeker: Seeker
) -> None:
    data = json.loads(
        run("--program", "alpha", "--seeker", str(seeker.pk), "--top", "1", "--format", "json")
    )
    assert len(data) == 1
    (first,) = data
    assert first["posting_id"] == ready.pk
    assert set(first) >= {"posting_id", "score", "reasons", "gaps"}
    assert "時給が希望より100円低い（上限1,300円）" in first["gaps"]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, note="match")
    assert entry.object_id == str(seeker.pk) and entry.object_type == "people.seeker"


def test_a_postings_list_names_each_seeker_and_audits_each(
    ready: JobPosting, seeker: Seeker
) -> None:
    text = run("--program", "alpha", "--posting", str(ready.pk))
    assert "山田 太郎" in text  # not escaped: ensure_ascii=False
    (found,) = json.loads(text)
    assert found["seeker_id"] == seeker.pk and found["reasons"]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, note="match").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--program", "alpha"], "どちらか一方"),
        (["--program", "alpha", "--seeker", "1", "--posting", "1"], "どちらか一方"),
        (["--seeker", "1"], "--program で事業の識別子"),
        (["--program", "nowhere", "--seeker", "1"], "事業「nowhere」は登録されていません"),
        (
            ["--program", "alpha", "--seeker", "999999"],
            "利用者 ID 999999 は事業「alpha」に登録されていません",
        ),
        (
            ["--program", "alpha", "--posting", "999999"],
            "求人 ID 999999 は事業「alpha」にありません",
        ),
        (["--program", "alpha", "--seeker", "abc"], "ID（正の整数）"),
        (["--program", "alpha", "--seeker", "1", "--top", "0"], "--top は 1〜1000"),
        (["--program", "alpha", "--seeker", "1", "--format", "csv"], "--format は json"),
    ],
)
def test_a_wrong_call_says_why_in_japanese(
    ready: JobPosting, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert message in str(caught.value)
    assert not AuditEntry.objects.filter(note="match").exists()
