"""The user card (利用者カード): a PDF with the seeker's name in kanji and furigana, the
card number and a QR code of their staff page; the staff view opens for the roles that
see seekers, in their own program only, and writes one audit entry; the CLI writes the
file and refuses what it cannot use in Japanese."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from secondcareer.conftest import register_seeker
from secondcareer.core.models import AuditEntry
from secondcareer.people.card_pdf import seeker_reception_url, user_card_pdf
from secondcareer.people.cards import parse_card_number
from secondcareer.people.models import Role

SEEKER_ROLES = [Role.RECEPTION, Role.CONSULTANT, Role.JOB_DEVELOPER, Role.MANAGER]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def font_files(content: bytes) -> list[str]:
    page = PdfReader(io.BytesIO(content)).pages[0]
    files = []
    for font in page["/Resources"]["/Font"].values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        files += [key for key in descendant["/FontDescriptor"] if key.startswith("/FontFile")]
    return files


@pytest.fixture
def kobe_seeker(kobe):  # type: ignore[no-untyped-def]
    return register_seeker(
        kobe,
        birth_date=dt.date(1959, 8, 9),
        family="髙橋",
        given="美智子",
        family_kana="タカハシ",
        given_kana="ミチコ",
    )


def test_the_card_shows_the_name_in_kanji_and_furigana_the_card_number_and_the_program(
    kobe_seeker,
):
    content = user_card_pdf(kobe_seeker, issued_on=dt.date(2026, 11, 20))
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "髙橋 美智子" in text
    assert "タカハシ ミチコ" in text
    assert parse_card_number(kobe_seeker.card_number) == kobe_seeker.card_number
    assert kobe_seeker.card_number in text
    assert kobe_seeker.program.name in text
    assert "利用者カード" in text
    assert "2026年11月20日(金)" in text


def test_the_card_embeds_its_japanese_font(kobe_seeker):
    assert font_files(user_card_pdf(kobe_seeker)) == ["/FontFile2"]


@override_settings(SECONDCAREER_SITE_URL="https://centre.example.jp/")
def test_the_qr_code_holds_the_absolute_address_of_the_seekers_staff_page(kobe_seeker):
    assert seeker_reception_url(kobe_seeker) == (
        f"https://centre.example.jp/staff/seekers/{kobe_seeker.pk}/"
    )
    assert reverse("people:seeker_detail", args=[kobe_seeker.pk]) in seeker_reception_url(
        kobe_seeker
    )


def test_the_card_carries_no_personal_data_in_its_qr_code(kobe_seeker):
    url = seeker_reception_url(kobe_seeker)
    assert kobe_seeker.card_number not in url
    assert kobe_seeker.phone not in url


# --- the staff view ------------------------------------------------------------------------


@pytest.mark.parametrize("role", SEEKER_ROLES)
def test_staff_who_see_seekers_get_the_card_as_a_pdf(role, staff_of, client_for, seeker):
    response = client_for(staff_of(role)).get(reverse("people:seeker_card_pdf", args=[seeker.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="user-card-{seeker.pk}.pdf"'
    assert "山田 太郎" in pdf_text(response.content)


def test_printing_a_card_writes_one_audit_entry(consultant, client_for, seeker):
    url = reverse("people:seeker_card_pdf", args=[seeker.pk])
    client_for(consultant).get(url)
    entry = AuditEntry.objects.get(action="view", object_id=str(seeker.pk))
    assert entry.object_type == "people.seeker"
    assert entry.actor_username == consultant.username
    assert entry.program_slug == "alpha"
    assert entry.path == url


def test_the_municipality_gets_no_card(municipality_viewer, client_for, seeker):
    response = client_for(municipality_viewer).get(
        reverse("people:seeker_card_pdf", args=[seeker.pk])
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="view", object_id=str(seeker.pk)).exists()


@pytest.mark.parametrize("role", list(Role.values))
def test_no_role_gets_the_card_of_another_programs_seeker(role, staff_of, client_for, other_seeker):
    response = client_for(staff_of(role)).get(
        reverse("people:seeker_card_pdf", args=[other_seeker.pk])
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="view", object_id=str(other_seeker.pk)).exists()


def test_an_unknown_seeker_is_404(receptionist, client_for, seeker):
    response = client_for(receptionist).get(reverse("people:seeker_card_pdf", args=[999_999]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_for_a_card(client, seeker):
    response = client.get(reverse("people:seeker_card_pdf", args=[seeker.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not AuditEntry.objects.filter(action="view", object_id=str(seeker.pk)).exists()


def test_the_card_is_only_read(receptionist, client_for, seeker):
    response = client_for(receptionist).post(reverse("people:seeker_card_pdf", args=[seeker.pk]))
    assert response.status_code == 405


# --- the CLI -------------------------------------------------------------------------------


def test_the_cli_writes_the_card_of_a_seeker_by_id(kobe_seeker, tmp_path: Path):
    out = tmp_path / "card.pdf"
    stdout = io.StringIO()
    call_command(
        "user-card", program="kobe", seeker=str(kobe_seeker.pk), out=str(out), stdout=stdout
    )
    text = pdf_text(out.read_bytes())
    assert "髙橋 美智子" in text and kobe_seeker.card_number in text
    assert str(out) in stdout.getvalue()
    entry = AuditEntry.objects.get(action="export", object_id=str(kobe_seeker.pk))
    assert (entry.action, entry.note, entry.actor_username) == ("export", "user-card", "system")


def test_the_cli_finds_a_seeker_by_card_number_typed_loosely(kobe_seeker, tmp_path: Path):
    out = tmp_path / "card.pdf"
    loose = kobe_seeker.card_number.replace("-", "").lower()
    call_command("user-card", program="kobe", seeker=loose, out=str(out), stdout=io.StringIO())
    assert kobe_seeker.card_number in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"program": "nowhere", "seeker": "1"}, "事業「nowhere」は登録されていません。"),
        ({"program": "kobe", "seeker": "999999"}, "事業「kobe」に利用者 999999 はいません。"),
        ({"program": "kobe", "seeker": "山田"}, "利用者のIDか利用者カード番号を指定してください"),
        (
            {"program": "kobe", "seeker": "9" * 5000},
            "利用者のIDか利用者カード番号を指定してください",
        ),
        ({"program": "kobe", "seeker": "KB-26-00001-0"}, "利用者のIDか利用者カード番号"),
    ],
)
def test_the_cli_refuses_what_it_cannot_use_in_japanese(
    kobe_seeker, tmp_path: Path, options, message
):
    out = tmp_path / "card.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("user-card", out=str(out), **options)
    assert not out.exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_cli_refuses_a_missing_folder_or_a_folder_as_the_file(kobe_seeker, tmp_path: Path):
    with pytest.raises(CommandError, match=r"フォルダ .* がありません。"):
        call_command(
            "user-card",
            program="kobe",
            seeker=str(kobe_seeker.pk),
            out=str(tmp_path / "no" / "x.pdf"),
        )
    with pytest.raises(CommandError, match="はフォルダです。"):
        call_command("user-card", program="kobe", seeker=str(kobe_seeker.pk), out=str(tmp_path))


def test_the_cli_will_not_print_the_card_of_another_programs_seeker(
    kobe_seeker, saitama, tmp_path: Path
):
    with pytest.raises(CommandError, match="事業「saitama」に利用者"):
        call_command(
            "user-card", program="saitama", seeker=str(kobe_seeker.pk), out=str(tmp_path / "c.pdf")
        )


def test_the_seeker_page_links_to_the_printable_card(receptionist, client_for, seeker):
    page = client_for(receptionist).get(reverse("people:seeker_detail", args=[seeker.pk]))
    card_url = reverse("people:seeker_card_pdf", args=[seeker.pk])
    assert card_url in page.content.decode()
    assert client_for(receptionist).get(card_url)["Content-Type"] == "application/pdf"
