"""The centre registers and changes its own postings and its employers; an imported
Hello Work posting is read-only but can be closed; every refusal is a Japanese sentence
on the field it is about, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from secondcareer.core.errors import DomainError
from secondcareer.jobs.models import Employer, EmployerContact, JobPosting
from secondcareer.jobs.services import (
    employer_contact_add,
    employer_contact_update,
    employer_update,
    posting_close,
    posting_update,
)
from secondcareer.jobs.tests.conftest import hellowork_posting

pytestmark = pytest.mark.django_db


def test_an_own_posting_gets_the_next_number_todays_date_and_is_open(
    program, make_employer, make_posting
):
    employer = make_employer(program)
    first = make_posting(employer)
    second = make_posting(employer, number="")
    assert (first.number, second.number) == ("C-000001", "C-000002")
    assert first.source == "own" and first.status == "open"
    assert first.received_on == timezone.localdate()
    assert first.office_name == "株式会社アルファ清掃"  # from the employer when left empty


def test_text_is_stored_normalised_and_searchable(program, make_employer, make_posting):
    posting = make_posting(make_employer(program), occupation="ﾋﾞﾙ清掃　スタッフ")
    assert posting.occupation == "ビル清掃 スタッフ"
    assert "びる清掃すたっふ" in posting.search_text


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"wage_from": 1300, "wage_to": 1100}, "wage_to", "賃金の上限は下限以上にしてください。"),
        ({"days_per_week": 8}, "days_per_week", "週の勤務日数は1〜7日で入力してください。"),
        ({"wage_type": "weekly"}, "wage_type", "賃金形態は時給・日給・月給のいずれかです。"),
        (
            {"referral_deadline": dt.date(2020, 1, 1)},
            "referral_deadline",
            "紹介期限日は今日以降の日付にしてください。",
        ),
        ({"number": "C-000001"}, "number", "この求人番号はすでに使われています。"),
    ],
)
def test_a_wrong_posting_is_refused_on_its_field_in_japanese(
    program, make_employer, make_posting, fields, field, message
):
    employer = make_employer(program)
    make_posting(employer)
    with pytest.raises(DomainError) as refused:
        make_posting(employer, **fields)
    assert refused.value.field_errors[field] == [message]
    assert JobPosting.objects.count() == 1


def test_an_employer_of_another_program_is_refused(
    program, other_program, make_employer, make_posting
):
    theirs = make_employer(other_program, "ベータ商事")
    from secondcareer.jobs.services import posting_create

    with pytest.raises(DomainError) as refused:
        posting_create(
            program=program,
            employer=theirs,
            occupation="事務",
            wage_type="hourly",
            wage_from=1000,
            referral_deadline=timezone.localdate(),
        )
    assert refused.value.field_errors["employer"] == [
        "この事業に登録された事業所を選んでください。"
    ]


def test_an_own_posting_is_changed_and_a_hello_work_one_is_refused(
    program, make_employer, make_posting
):
    employer = make_employer(program)
    own = make_posting(employer)
    posting_update(posting=own, wage_from=1200, description="窓の清掃")
    own.refresh_from_db()
    assert (own.wage_from, own.description) == (1200, "窓の清掃")
    assert "窓の清掃" in own.search_text
    imported = hellowork_posting(employer)
    with pytest.raises(DomainError) as refused:
        posting_update(posting=imported, wage_from=2000)
    assert refused.value.status == 409
    assert "ハローワーク" in refused.value.message
    imported.refresh_from_db()
    assert imported.wage_from == 1200


def test_any_posting_can_be_closed_once(program, make_employer):
    imported = hellowork_posting(make_employer(program))
    posting_close(posting=imported, on=dt.date(2026, 12, 3))
    imported.refresh_from_db()
    assert (imported.status, imported.closed_on) == ("closed", dt.date(2026, 12, 3))
    with pytest.raises(DomainError) as again:
        posting_close(posting=imported)
    assert again.value.message == "この求人はすでに募集を終了しています。"


def test_an_employer_is_changed_with_its_kana_in_katakana_and_checked_numbers(
    program, make_employer
):
    employer = make_employer(program, office_number="1101-000001-1")
    employer_update(employer=employer, name_kana="あるふぁせいそう", retirement_age=65)
    employer.refresh_from_db()
    assert employer.name_kana == "アルファセイソウ"
    assert "あるふぁせいそう" in employer.search_text
    with pytest.raises(DomainError) as refused:
        employer_update(employer=employer, corporate_number="1234567890123")
    assert "corporate_number" in refused.value.field_errors
    other = make_employer(program, "別の会社")
    with pytest.raises(DomainError) as taken:
        employer_update(employer=other, office_number="1101-000001-1")
    assert taken.value.field_errors["office_number"] == [
        "この事業所番号の事業所はすでに登録されています。"
    ]
    assert Employer.objects.get(pk=employer.pk).corporate_number == ""


def test_contacts_are_added_and_changed_and_invisible_characters_refused(program, make_employer):
    employer = make_employer(program)
    contact = employer_contact_add(employer=employer, name="山田　太郎", role="人事課長")
    assert contact.name == "山田 太郎"
    employer_contact_update(contact=contact, phone="048-111-2222")
    contact.refresh_from_db()
    assert contact.phone == "048-111-2222"
    with pytest.raises(DomainError) as refused:
        employer_contact_add(employer=employer, name="山田\u202e太郎")
    assert "name" in refused.value.field_errors
    with pytest.raises(DomainError):
        employer_contact_add(employer=employer, name="佐藤", email="not-an-address")
    assert EmployerContact.objects.count() == 1
