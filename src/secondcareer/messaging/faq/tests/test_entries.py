"""Single-entry rules and the admin staff edit the FAQ in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from secondcareer.messaging.faq.models import FaqCategory, FaqEntry
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db


def entry(program: Program | None, code: str = "hours", **fields: object) -> FaqEntry:
    values: dict[str, object] = {
        "category": FaqCategory.PLACES_HOURS,
        "question": "何時まで開いていますか？",
        "answer": "平日10時〜17時です。",
        **fields,
    }
    return FaqEntry(program=program, code=code, **values)


def test_an_answer_with_a_phone_number_or_email_is_rejected(kobe: Program) -> None:
    for answer in ("お電話は078-123-4567まで。", "soudan@example.jp にメールください。"):
        with pytest.raises(ValidationError) as error:
            entry(kobe, answer=answer).full_clean()
        assert "answer" in error.value.message_dict
    entry(kobe, answer="予約ページ（/book/kobe/）をご覧ください。").full_clean()


def test_a_code_is_unique_within_a_program_and_among_shared_entries(
    kobe: Program, saitama: Program
) -> None:
    entry(kobe).save()
    entry(saitama).save()
    entry(None).save()
    for program in (kobe, None):
        with pytest.raises(IntegrityError), transaction.atomic():
            entry(program).save()


def test_variants_may_be_written_one_a_line_or_as_a_json_list(kobe: Program) -> None:
    lines = entry(kobe, variants="窓口の時間は？\n\n  受付時間を教えて  \n")
    as_json = entry(kobe, variants='["窓口の時間は？", "受付時間を教えて"]')
    assert lines.variant_list == as_json.variant_list == ["窓口の時間は？", "受付時間を教えて"]
    assert lines.phrasings()[0] == "何時まで開いていますか？"


def test_the_admin_searches_and_filters_entries_in_japanese(
    admin_client: Client, seeded: None
) -> None:
    url = "/admin/faq/faqentry/"
    response = admin_client.get(url, {"q": "在職老齢年金"})
    assert response.status_code == 200
    assert "年金を受け取りながら働けますか？" in response.content.decode()
    response = admin_client.get(url, {"category__exact": FaqCategory.SEMINARS})
    page = response.content.decode()
    assert "リスキル講座とはどんな講座ですか？" in page
    assert "年金を受け取りながら働けますか？" not in page
    assert "分類" in page


def test_unpublishing_from_the_admin_moves_updated_at(admin_client: Client, seeded: None) -> None:
    target = FaqEntry.objects.get(program__isnull=True, code="parking")
    before = target.updated_at
    admin_client.post(
        "/admin/faq/faqentry/",
        {"action": "unpublish", "_selected_action": [target.pk]},
    )
    target.refresh_from_db()
    assert not target.is_published and target.updated_at > before
