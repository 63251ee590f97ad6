"""The PDF helpers: the Japanese font is embedded, text survives extraction, and an
address label sheet holds every label over as many A4 pages as it takes."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader

from secondcareer.core.pdf import (
    MISSING_CHARACTER,
    TWELVE_UP,
    TWENTY_ONE_UP,
    AddressLabel,
    address_labels,
    document,
    pdf_bytes,
    postal_code_display,
    printable,
)

A4_POINTS = (595.28, 841.89)

PEOPLE = [
    ("650-0001", "兵庫県神戸市中央区加納町6丁目5番1号", "山田 太郎"),
    ("6500044", "神戸市中央区東川崎町1丁目3番3号 神戸ハーバーランドセンタービル", "佐藤 花子"),
    ("３３０－９３０１", "埼玉県さいたま市浦和区高砂3丁目15番1号", "鈴木 一郎"),
    ("330-0063", "さいたま市浦和区高砂2丁目1番地", "髙橋 美智子"),
    ("657-0027", "神戸市灘区永手町5丁目4番16号", "渡邊 健二"),
    ("651-0087", "神戸市中央区御幸通8丁目1番6号", "伊藤 幸子"),
    ("652-0811", "神戸市兵庫区新開地2丁目3番4号", "中村 修"),
    ("653-0015", "神戸市長田区菅原通1丁目", "小林 和子"),
    ("654-0021", "神戸市須磨区平田町1丁目2番", "加藤 正"),
    ("655-0893", "神戸市垂水区日向1丁目5番1号", "吉田 恵美子"),
    ("331-0812", "さいたま市北区宮原町1丁目", "山本 博"),
    ("336-0017", "さいたま市南区南浦和2丁目", "松本 節子"),
    ("337-0051", "さいたま市見沼区東大宮4丁目", "井上 勝"),
    ("338-0001", "さいたま市中央区上落合2丁目", "木村 洋子"),
    ("339-0057", "さいたま市岩槻区本町3丁目", "斎藤 茂"),
]


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def embedded_fonts(pdf: PdfReader) -> list[tuple[str, list[str]]]:
    """(base font name, the FontFile keys of its descriptor) for every font used."""
    found = []
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            found.append(
                (str(font["/BaseFont"]), [key for key in descriptor if key.startswith("/FontFile")])
            )
    return found


def test_a_label_sheet_of_15_people_has_every_name_postal_code_and_sama_over_two_pages():
    content = address_labels(PEOPLE)
    pdf = reader(content)
    assert len(pdf.pages) == 2
    for page in pdf.pages:
        assert tuple(round(float(v), 2) for v in page.mediabox[2:]) == A4_POINTS
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for postal_code, _address, name in PEOPLE:
        assert f"{name}　様" in text
        assert f"〒{postal_code_display(postal_code)}" in text
    first_page = pdf.pages[0].extract_text()
    assert "渡邊 健二" in first_page and "佐藤 花子" in first_page
    assert "井上 勝" not in first_page  # the 13th label starts page 2
    assert "井上 勝　様" in pdf.pages[1].extract_text()


def test_the_japanese_font_is_embedded_as_a_truetype_subset():
    fonts = embedded_fonts(reader(address_labels(PEOPLE[:1])))
    assert fonts
    for base_font, files in fonts:
        assert base_font.endswith("+IPAexGothic")  # a subset: "ABCDEF+" before the name
        assert files == ["/FontFile2"]


def test_a_long_address_wraps_on_the_label_and_keeps_every_character():
    address = "兵庫県神戸市中央区加納町6丁目5番1号 神戸市役所1号館24階 セカンドキャリア相談窓口気付"
    text = (
        reader(address_labels([AddressLabel("6500001", address, "山田 太郎")]))
        .pages[0]
        .extract_text()
    )
    assert "\n" in text.split("〒650-0001")[1].strip()  # on two lines
    assert "".join(address.split()) in "".join(text.split())


def test_the_21_up_sheet_puts_21_labels_on_a_page():
    many = [("650-0001", "神戸市中央区", f"利用者{n:02d}") for n in range(22)]
    pdf = reader(address_labels(many, sheet=TWENTY_ONE_UP))
    assert len(pdf.pages) == 2
    assert "利用者21　様" in pdf.pages[1].extract_text()
    assert TWENTY_ONE_UP.per_page == 21 and TWELVE_UP.per_page == 12


def test_no_labels_give_one_empty_page():
    assert len(reader(address_labels([])).pages) == 1


def test_a_character_the_font_lacks_prints_as_geta_and_is_never_logged(caplog):
    caplog.set_level(logging.DEBUG)
    content = address_labels([("650-0001", "神戸市", "𠮷野 花子")])
    assert printable("𠮷野") == f"{MISSING_CHARACTER}野"
    assert f"{MISSING_CHARACTER}野 花子" in reader(content).pages[0].extract_text()
    assert "𠮷" not in caplog.text and "missing" not in caplog.text


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("6500001", "650-0001"),
        ("650-0001", "650-0001"),
        ("６５０－０００１", "650-0001"),
        ("〒650 0001", "650-0001"),
        ("", ""),
        ("65", "65"),
    ],
)
def test_postal_codes_print_as_three_hyphen_four_digits(given, shown):
    assert postal_code_display(given) == shown


def test_printable_drops_control_characters_and_keeps_line_breaks():
    assert printable("山田\x00太郎\n様\u202e") == "山田太郎\n様"


def test_a_document_is_a4_with_the_title_and_language_set():
    pdf = document(title="テスト文書")
    pdf.add_page()
    pdf.cell(text="日本語")
    out = reader(pdf_bytes(pdf))
    assert out.metadata.title == "テスト文書"
    assert out.pages[0].extract_text() == "日本語"
