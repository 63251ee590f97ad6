"""The posting search finds Japanese words of two characters in any width and kana,
all the words of a query, and filters on area, 職種, 雇用形態, wage, days and source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secondcareer.jobs.selectors import PostingFilters, employer_search, posting_search
from secondcareer.jobs.services import (
    development_activity_record,
    posting_close,
    posting_update,
)
from secondcareer.jobs.tests.conftest import TODAY, hellowork_posting, posting_row

pytestmark = pytest.mark.django_db


def in_order(program, **filters) -> list[str]:
    rows = posting_search(program, PostingFilters(**filters), timezone.localdate())
    return [p.occupation for p in rows]


def found(program, **filters) -> list[str]:
    return sorted(in_order(program, **filters))


@pytest.fixture
def postings(program, make_employer, make_posting):
    cleaning = make_employer(program, "株式会社アルファ清掃")
    care = make_employer(program, "社会福祉法人ひまわり会")
    area = program.areas.get()
    make_posting(
        cleaning,
        occupation="ビル清掃スタッフ",
        description="オフィスビルの床と窓の清掃",
        workplace_area=area,
        employment_type="パート労働者",
        days_per_week=3,
        wage_from=1100,
        wage_to=1300,
    )
    make_posting(
        care,
        occupation="介護補助",
        description="デイサービスでの送迎と見守り",
        employment_type="正社員以外",
        days_per_week=5,
        wage_type="monthly",
        wage_from=180000,
    )
    hellowork_posting(care, occupation="介護職員", description="入浴の介助と清掃")
    return cleaning, care


def test_two_character_words_are_found_in_occupation_description_and_office_name(program, postings):
    assert found(program, q="介護") == ["介護職員", "介護補助"]
    assert found(program, q="清掃") == ["ビル清掃スタッフ", "介護職員"]
    assert found(program, q="ひまわり") == ["介護職員", "介護補助"]
    assert found(program, q="送迎") == ["介護補助"]


def test_full_width_half_width_and_katakana_or_hiragana_find_the_same(program, postings):
    assert found(program, q="ｽﾀｯﾌ") == ["ビル清掃スタッフ"]
    assert found(program, q="すたっふ") == ["ビル清掃スタッフ"]
    assert found(program, q="ＯＦＦＩＣＥ") == []
    assert found(program, q="オフィス") == ["ビル清掃スタッフ"]
    assert found(program, q="ﾃﾞｲｻｰﾋﾞｽ") == ["介護補助"]
    assert found(program, q="ヒマワリ") == ["介護職員", "介護補助"]


def test_every_word_of_the_query_must_occur(program, postings):
    assert found(program, q="介護　清掃") == ["介護職員"]  # a full-width space
    assert found(program, q="介護 送迎") == ["介護補助"]
    assert found(program, q="介護 窓") == []


def test_a_query_of_percent_or_underscore_matches_them_literally(program, postings):
    assert found(program, q="%") == []
    assert found(program, q="_") == []


def test_the_filters_narrow_the_postings(program, postings):
    assert found(program, area="alpha-area") == ["ビル清掃スタッフ"]
    assert found(program, occupation="介護") == ["介護職員", "介護補助"]
    assert found(program, employment_type="正社員以外") == ["介護補助"]
    assert found(program, days_max=3) == ["ビル清掃スタッフ"]
    assert found(program, source="hellowork") == ["介護職員"]
    assert found(program, source="own") == ["ビル清掃スタッフ", "介護補助"]


def test_the_minimum_wage_counts_the_upper_bound_within_one_wage_type(program, postings):
    assert found(program, wage_type="hourly", wage_min=1300) == ["ビル清掃スタッフ", "介護職員"]
    assert found(program, wage_type="hourly", wage_min=1350) == ["介護職員"]
    assert found(program, wage_type="monthly", wage_min=180000) == ["介護補助"]
    assert found(program, wage_type="monthly", wage_min=180001) == []


def test_closed_and_expired_postings_are_left_out_unless_asked_for(program, postings, make_posting):
    cleaning, _care = postings
    expired = make_posting(cleaning, occupation="期限切れの清掃")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    posting_update(posting=expired, received_on=yesterday, referral_deadline=yesterday)
    closed = make_posting(cleaning, occupation="終了した清掃")
    posting_close(posting=closed)
    assert "期限切れの清掃" not in found(program, q="清掃")
    assert found(program, q="清掃", state="closed") == ["期限切れの清掃", "終了した清掃"]
    assert len(found(program, q="清掃", state="all")) == 4


def test_newest_first_by_reception_date(program, postings, make_posting):
    cleaning, _care = postings
    make_posting(
        cleaning, occupation="古い求人", received_on=timezone.localdate() - dt.timedelta(days=9)
    )
    # Today's own postings (the latest registered first), the older one, then the
    # Hello Work posting without a 受付年月日.
    assert in_order(program) == ["介護補助", "ビル清掃スタッフ", "古い求人", "介護職員"]


def test_another_programs_postings_are_never_found(
    program, other_program, make_employer, make_posting
):
    make_posting(make_employer(other_program, "ベータ清掃"), occupation="清掃")
    assert found(program, q="清掃") == []
    assert found(other_program, q="清掃") == ["清掃"]


def test_the_hello_work_import_fills_the_search_column(program, write_csv, run_import):
    path = write_csv([posting_row(1, 職種="ｶｲｺﾞ補助")])
    run_import(path, program.slug)
    rows = posting_search(program, PostingFilters(q="かいご"), TODAY)
    assert [p.occupation for p in rows] == ["カイゴ補助"]


def test_employers_are_found_by_kana_in_any_width_and_by_corporate_number(program, make_employer):
    make_employer(
        program, "株式会社ひまわり", name_kana="ひまわり", corporate_number="7123456789012"
    )
    make_employer(program, "有限会社さくら", name_kana="サクラ")

    def names(**filters):
        return [e.name for e in employer_search(program, **filters)]

    assert names(q="ﾋﾏﾜﾘ") == ["株式会社ひまわり"]
    assert names(q="さくら") == ["有限会社さくら"]
    assert names(corporate_number="７１２３４５６７８９０１２") == ["株式会社ひまわり"]
    assert names(q="株式会社") == ["株式会社ひまわり"]


def test_the_employer_search_gives_the_day_of_the_first_development(
    program, make_employer, job_developer
):
    employer = make_employer(program, "株式会社ひまわり")
    for day in (dt.date(2027, 2, 1), dt.date(2026, 5, 1)):
        development_activity_record(employer=employer, kind="visit", on=day, by=job_developer)
    (row,) = employer_search(program)
    assert row.first_activity == dt.date(2026, 5, 1)
