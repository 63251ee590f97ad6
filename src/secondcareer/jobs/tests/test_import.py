"""``secondcareer import-hellowork``: encodings, upsert, all or nothing, --full."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from secondcareer.jobs.models import Employer, JobPosting, PostingSource, PostingStatus
from secondcareer.jobs.tests.conftest import HEADER, TODAY, csv_text, posting_row
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db

Writer = Callable[..., Path]
Runner = Callable[..., str]


def snapshot(program: Program) -> list[dict[str, Any]]:
    return list(JobPosting.objects.filter(program=program).order_by("number").values())


def test_a_file_is_imported_with_its_fields_parsed(
    program: Program, write_csv: Writer, run_import: Runner
) -> None:
    path = write_csv(
        [
            posting_row(
                1,
                仕事内容="館内の清掃\n（床・窓・トイレ）",
                賃金="月給 180,000円",
                週所定労働日数="週５日",
                求人数="１人",
            ),
            posting_row(2),
        ]
    )
    assert run_import(path, "alpha") == (
        "新規 2 件、更新 0 件、変更なし 0 件、終了 0 件、不備 0 件"
    )
    first = JobPosting.objects.get(number="11010-00000001")
    assert (first.wage_from, first.wage_to, first.wage_type) == (180000, 180000, "monthly")
    assert (first.days_per_week, first.openings) == (5, 1)
    assert first.received_on == dt.date(2026, 11, 20)
    assert first.referral_deadline == dt.date(2027, 1, 31)
    assert first.workplace_area is not None and first.workplace_area.name == "アルファ市"
    assert first.source == PostingSource.HELLOWORK and first.status == PostingStatus.OPEN
    assert first.employer.office_number == "1101-000001-1"
    assert first.employer.name == "株式会社さいたま1"
    assert first.description == "館内の清掃\n(床・窓・トイレ)"  # NFKC, lines kept


def test_the_same_file_twice_changes_nothing(
    program: Program, write_csv: Writer, run_import: Runner
) -> None:
    path = write_csv([posting_row(n) for n in range(1, 21)])
    run_import(path, "alpha")
    before = snapshot(program)
    employers = Employer.objects.count()
    summary = run_import(path, "alpha", on=TODAY + dt.timedelta(days=1))
    assert summary == "新規 0 件、更新 0 件、変更なし 20 件、終了 0 件、不備 0 件"
    assert snapshot(program) == before  # updated_at included: nothing bumped
    assert Employer.objects.count() == employers == 7


def test_a_changed_row_is_updated_and_the_others_left_alone(
    program: Program, write_csv: Writer, run_import: Runner
) -> None:
    run_import(write_csv([posting_row(1), posting_row(2)]), "alpha")
    untouched = JobPosting.objects.get(number="11010-00000002").updated_at
    summary = run_import(
        write_csv([posting_row(1, 賃金="時給1,200円〜"), posting_row(2), posting_row(3)]),
        "alpha",
        on=TODAY + dt.timedelta(days=2),
    )
    assert summary == "新規 1 件、更新 1 件、変更なし 1 件、終了 0 件、不備 0 件"
    changed = JobPosting.objects.get(number="11010-00000001")
    assert (changed.wage_from, changed.wage_to) == (1200, None)
    assert changed.updated_at > changed.created_at
    assert JobPosting.objects.get(number="11010-00000002").updated_at == untouched


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig"])
def test_a_file_in_another_encoding_imports_exactly_as_its_utf8_twin(
    program: Program,
    other_program: Program,
    write_csv: Writer,
    run_import: Runner,
    encoding: str,
) -> None:
    rows = [posting_row(n, 就業場所="埼玉県アルファ市中町２丁目") for n in range(1, 6)]
    run_import(write_csv(rows), "alpha")
    run_import(write_csv(rows, encoding=encoding), "beta")

    # Everything but the keys and clocks of each program's own rows is the same.
    ignored = {"id", "program_id", "employer_id", "workplace_area_id", "created_at", "updated_at"}

    def comparable(program: Program) -> list[dict[str, Any]]:
        rows = JobPosting.objects.filter(program=program).order_by("number").values()
        return [{k: v for k, v in row.items() if k not in ignored} for row in rows]

    ours = comparable(program)
    assert ours == comparable(other_program)
    assert len(ours) == 5


def test_bad_rows_are_all_reported_and_nothing_is_imported(
    program: Program, write_csv: Writer
) -> None:
    path = write_csv(
        [
            posting_row(1),
            posting_row(2, 賃金="応相談"),
            posting_row(3, 紹介期限日="令和8年13月1日", 事業所番号="1101-12-1"),
            posting_row(4, 求人番号=""),
            posting_row(1),
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import-hellowork", str(path), "--program", "alpha", stdout=out, stderr=err)
    assert "4 行ある" in str(caught.value) and "何も取り込みませんでした" in str(caught.value)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("3行目「賃金」: 賃金を読み取れません")
    assert lines[1].startswith("4行目「紹介期限日」: 日付として読めません")
    assert lines[2].startswith("4行目「事業所番号」: 事業所番号は")
    assert lines[3] == "5行目「求人番号」: 空欄です。必ず入力してください。"
    assert lines[4].startswith("6行目「求人番号」: 同じ求人番号が 2 行目にもあります")
    assert "不備 4 件" in out.getvalue()
    assert not JobPosting.objects.exists() and not Employer.objects.exists()


def test_line_numbers_count_the_lines_of_quoted_multi_line_cells(
    program: Program, write_csv: Writer
) -> None:
    path = write_csv(
        [posting_row(1, 仕事内容="一行目\n二行目\n三行目"), posting_row(2, 年齢制限="たぶん")]
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-hellowork", str(path), "--program", "alpha", stderr=err)
    assert err.getvalue().startswith("5行目「年齢制限」: 「あり」か「なし」で入力してください")


def test_full_closes_the_absent_hellowork_postings_only(
    program: Program,
    other_program: Program,
    write_csv: Writer,
    run_import: Runner,
) -> None:
    run_import(write_csv([posting_row(1), posting_row(2), posting_row(3)]), "alpha")
    run_import(write_csv([posting_row(2)]), "beta")
    own = JobPosting.objects.create(
        program=program,
        number="自-0001",
        referral_deadline=dt.date(2027, 3, 31),
        employer=Employer.objects.filter(program=program).first(),
        office_name="センター開拓先",
        occupation="受付",
        wage_from=1100,
        wage_type="hourly",
        source=PostingSource.OWN,
    )
    summary = run_import(write_csv([posting_row(1)]), "alpha", "--full")
    assert summary == "新規 0 件、更新 0 件、変更なし 1 件、終了 2 件、不備 0 件"
    status = dict(JobPosting.objects.filter(program=program).values_list("number", "status"))
    assert status == {
        "11010-00000001": "open",
        "11010-00000002": "closed",
        "11010-00000003": "closed",
        own.number: "open",
    }
    assert JobPosting.objects.get(program=other_program).status == "open"
    assert JobPosting.objects.get(program=program, number="11010-00000002").closed_on == TODAY
    # Without --full nothing is closed, and a second --full closes nothing more.
    assert run_import(write_csv([posting_row(1)]), "alpha", "--full").endswith(
        "終了 0 件、不備 0 件"
    )


def test_a_closed_posting_that_comes_back_is_reopened(
    program: Program, write_csv: Writer, run_import: Runner
) -> None:
    run_import(write_csv([posting_row(1), posting_row(2)]), "alpha")
    run_import(write_csv([posting_row(1)]), "alpha", "--full")
    summary = run_import(write_csv([posting_row(1), posting_row(2)]), "alpha")
    assert summary == "新規 0 件、更新 1 件、変更なし 1 件、終了 0 件、不備 0 件"
    back = JobPosting.objects.get(number="11010-00000002")
    assert (back.status, back.closed_on) == ("open", None)


def test_a_row_past_its_deadline_is_imported_closed(
    program: Program, write_csv: Writer, run_import: Runner
) -> None:
    run_import(write_csv([posting_row(1, 紹介期限日="令和8年11月30日")]), "alpha")
    posting = JobPosting.objects.get()
    assert (posting.status, posting.closed_on) == ("closed", dt.date(2026, 12, 1))


def test_an_own_postings_number_in_the_file_rejects_the_import(
    program: Program, write_csv: Writer, run_import: Runner
) -> None:
    run_import(write_csv([posting_row(1)]), "alpha")
    JobPosting.objects.update(source=PostingSource.OWN)
    with pytest.raises(CommandError):
        run_import(write_csv([posting_row(1, 職種="変更"), posting_row(2)]), "alpha")
    assert JobPosting.objects.get().occupation == "施設の清掃スタッフ"


def test_existing_employers_are_matched_by_office_number(
    program: Program, write_csv: Writer, run_import: Runner
) -> None:
    known = Employer.objects.create(
        program=program, name="登録済みの名前", office_number="1101-000001-1"
    )
    run_import(write_csv([posting_row(1, 事業所番号="１１０１－０００００１－１")]), "alpha")
    assert JobPosting.objects.get().employer == known
    assert Employer.objects.get(pk=known.pk).name == "登録済みの名前"


def test_a_custom_mapping_reads_other_headers(
    program: Program, tmp_path: Path, run_import: Runner
) -> None:
    header = ("番号", "期限", "事業所", "会社", "仕事", "給与")
    rows = [
        {
            "番号": "99999-00000001",
            "期限": "2027-02-01",
            "事業所": "1101-000009-1",
            "会社": "有限会社みなみ",
            "仕事": "警備",
            "給与": "日給 9,000円",
        }
    ]
    csv_path = tmp_path / "custom.csv"
    csv_path.write_text(csv_text(rows, header=header), encoding="cp932")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns:\n  number: 番号\n  referral_deadline: 期限\n  office_number: 事業所\n"
        "  office_name: 会社\n  occupation: 仕事\n  wage: 給与\n",
        encoding="utf-8",
    )
    assert run_import(csv_path, "alpha", "--mapping", str(mapping)).startswith("新規 1 件")
    posting = JobPosting.objects.get()
    assert (posting.occupation, posting.wage_type, posting.age_limited) == ("警備", "daily", False)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("unknown_program", "事業「nowhere」は登録されていません"),
        ("missing_file", "ファイルが見つかりません"),
        ("bad_mapping", "対応表（マッピング）に問題が"),
        ("not_yaml", "YAML として読めません"),
        ("missing_mapping", "ファイルが見つかりません"),
        ("missing_column", "見出しの行に次の列がありません: 賃金"),
        ("undecodable", "文字コードを判別できません"),
        ("no_program", "--program で事業の識別子を指定してください"),
    ],
)
def test_bad_invocations_give_a_japanese_error(
    program: Program, tmp_path: Path, write_csv: Writer, setup: str, message: str
) -> None:
    path = write_csv([posting_row(1)])
    args = [str(path), "--program", "alpha"]
    if setup == "unknown_program":
        args[2] = "nowhere"
    elif setup == "missing_file":
        args[0] = str(tmp_path / "nothing.csv")
    elif setup in {"bad_mapping", "not_yaml", "missing_mapping"}:
        mapping = tmp_path / "m.yaml"
        if setup == "bad_mapping":
            mapping.write_text("columns:\n  number: 求人番号\n  colour: 赤\n", encoding="utf-8")
        elif setup == "not_yaml":
            mapping.write_text("columns: [unclosed\n", encoding="utf-8")
        args += ["--mapping", str(mapping)]
    elif setup == "missing_column":
        header = tuple(h for h in HEADER if h != "賃金")
        path.write_text(
            csv_text([{k: v for k, v in posting_row(1).items() if k != "賃金"}], header=header),
            encoding="utf-8",
        )
    elif setup == "undecodable":
        path.write_bytes(b"\x81\x00\xff\xfe\x80")
    elif setup == "no_program":
        args = args[:1]
    with pytest.raises(CommandError) as caught:
        call_command("import-hellowork", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert message in str(caught.value)
    assert not JobPosting.objects.exists()


def test_a_bad_mapping_names_each_problem(
    program: Program, tmp_path: Path, write_csv: Writer
) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  number: 求人番号\n  colour: 赤\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command(
            "import-hellowork",
            str(write_csv([posting_row(1)])),
            "--program",
            "alpha",
            "--mapping",
            str(mapping),
        )
    text = str(caught.value)
    assert "columns.wage: 必須の項目です。" in text
    assert "columns.colour: 不明な項目です。" in text


def test_the_import_makes_as_many_queries_for_25_rows_as_for_5(
    program: Program, other_program: Program, write_csv: Writer, run_import: Runner
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(slug: str, count: int) -> tuple[int, int]:
        path = write_csv([posting_row(n) for n in range(1, count + 1)])
        with CaptureQueriesContext(connection) as first:
            run_import(path, slug)
        with CaptureQueriesContext(connection) as again:
            run_import(path, slug)
        return len(first), len(again)

    # (25 rows stay within one INSERT of SQLite's 999 parameters: batches, not rows.)
    assert queries("alpha", 5) == queries("beta", 25)


def test_full_width_dates_ages_and_counts_are_read(
    program: Program, write_csv: Writer, run_import: Runner
) -> None:
    row = posting_row(
        1,
        受付年月日="R8.11.2",
        紹介期限日="令和９年１月３１日",
        年齢="６４歳以下",
        年齢制限="あり",
        年齢制限該当事由="定年年齢を上限",
        定年年齢="一律６５歳",
        再雇用上限年齢="７０歳",
        週所定労働日数="週３日～５日",
        求人数="若干名",
    )
    run_import(write_csv([row], encoding="cp932"), "alpha")
    posting = JobPosting.objects.get()
    assert posting.received_on == dt.date(2026, 11, 2)
    assert posting.referral_deadline == dt.date(2027, 1, 31)
    assert (posting.age, posting.age_limited, posting.age_limit_reason) == (
        "64歳以下",
        True,
        "定年年齢を上限",
    )
    assert (posting.retirement_age, posting.rehire_max_age) == (65, 70)
    assert (posting.days_per_week, posting.openings) == (3, None)
