"""The registration page opened from LINE, as a person of 68 meets it: every select has
its own label, birth years are shown with their era year and fit the centre's users,
the consent links the privacy notice, and the page after registering says what to do
next on LINE. (The browser checks of the same page are in test_pages_in_chromium.py.)"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from secondcareer.messaging.line.config import channel_for

FORM = {
    "family_name": "山田",
    "given_name": "花子",
    "family_name_kana": "ヤマダ",
    "given_name_kana": "ハナコ",
    "birth_date_year": "1958",
    "birth_date_month": "4",
    "birth_date_day": "2",
    "phone": "090-1234-5678",
    "privacy": "on",
}


def _page(client) -> str:
    response = client.get(reverse("line:register", args=["kobe"]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_birth_year_month_and_day_each_have_their_own_label(client, kobe):
    page = _page(client)
    for part, label in (("year", "年"), ("month", "月"), ("day", "日")):
        assert re.search(rf'<label for="id_birth_date_{part}">{label}</label>', page), part
        assert f'id="id_birth_date_{part}"' in page
    assert "<legend>生年月日</legend>" in page


def test_birth_years_show_the_era_year_and_run_from_age_40_to_100(client, kobe):
    page = _page(client)
    this_year = timezone.localdate().year
    year_select = re.search(r'<select name="birth_date_year".*?</select>', page, re.S)
    assert year_select is not None
    # Only the year select: the area select's values are ids, four digits on a busy database.
    years = [int(y) for y in re.findall(r'<option value="(\d{4})"', year_select.group(0))]
    assert years[0] == this_year - 40 and years[-1] == this_year - 100
    assert years == sorted(years, reverse=True)
    assert ">1960年（昭和35年）</option>" in page
    assert '<optgroup label="1950年代（昭和25〜34年）">' in page


def test_the_consent_links_the_programs_privacy_notice(client, kobe):
    page = _page(client)
    privacy_url = reverse("line:privacy", args=["kobe"])
    assert f'href="{privacy_url}"' in page
    notice = client.get(privacy_url)
    assert notice.status_code == 200
    text = notice.content.decode()
    assert "個人情報の取扱いについて" in text and kobe.name in text
    assert "第三者" in text and "開示" in text


def test_a_date_that_does_not_exist_is_explained_in_japanese(client, kobe):
    response = client.post(
        reverse("line:register", args=["kobe"]),
        {**FORM, "birth_date_month": "2", "birth_date_day": "30"},
    )
    assert "その月にない日付です。生年月日をご確認ください。" in response.content.decode()


def test_a_missing_consent_says_why_it_is_needed(client, kobe):
    data = {k: v for k, v in FORM.items() if k != "privacy"}
    page = client.post(reverse("line:register", args=["kobe"]), data).content.decode()
    assert "個人情報の取扱いへの同意が必要です。" in page


def test_after_registering_the_page_says_what_to_do_next_on_line(chat):
    chat.follow()
    token = chat.fake.platform.issue_id_token(chat.user_id, channel_for("kobe").channel_id)
    response = chat.client.post(
        reverse("line:register", args=["kobe"]), {**FORM, "id_token": token}
    )
    page = response.content.decode()
    assert "登録が完了しました" in page
    assert "次にすること" in page
    assert "LINEのトーク画面に戻って" in page
    assert "相談を予約する" in page  # the rich menu's own label
    assert chat.line_user().seeker is not None
