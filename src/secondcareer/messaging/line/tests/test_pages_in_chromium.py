"""The pages opened from LINE in real headless Chromium: axe-core finds no WCAG 2.0/2.1
A or AA violation, every target is at least 44 px, the type is 18 px, nothing scrolls
sideways at 320 px or at 200 % zoom, and the Content-Security-Policy blocks nothing
(the ID-token script is a static file and still fills the form). The LINE simulator
still chats through /fakeline/ under the same policy."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from secondcareer.devtools.testing.browser import (
    axe_report,
    axe_violations,
    csp_violations,
    font_size_px,
    horizontal_overflow,
    set_width,
    set_zoom,
    small_targets,
)
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.tests.conftest import LineChat

pytestmark = pytest.mark.browser


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, axe_report(violations)
    assert not small_targets(page), small_targets(page)
    assert not csp_violations(page), csp_violations(page)


def test_the_registration_page_has_no_axe_violations_at_any_width(page, live_server, kobe):
    url = live_server.url + reverse("line:register", args=["kobe"])
    page.get(url)
    assert_accessible(page)
    assert font_size_px(page) >= 18
    assert font_size_px(page, "select") >= 18
    for width in (320, 375):
        set_width(page, width)
        page.get(url)
        assert_accessible(page)
        assert horizontal_overflow(page) == 0, width
    set_zoom(page, 200)
    page.get(url)
    assert horizontal_overflow(page) == 0
    assert not small_targets(page)


def test_the_consent_box_is_44px_and_its_label_toggles_it(page, live_server, kobe):
    page.get(live_server.url + reverse("line:register", args=["kobe"]))
    box = page.find_element(By.ID, "id_privacy")
    assert box.size["width"] >= 44 and box.size["height"] >= 44
    page.find_element(By.CSS_SELECTOR, 'label[for="id_privacy"]').click()
    assert box.is_selected()
    link = page.find_element(By.CSS_SELECTOR, f'a[href="{reverse("line:privacy", args=["kobe"])}"]')
    assert link.size["height"] >= 44


@pytest.mark.parametrize("name", ["privacy", "link"])
def test_the_privacy_notice_and_the_link_page_are_accessible(page, live_server, kobe, name):
    set_width(page, 320)
    page.get(live_server.url + reverse(f"line:{name}", args=["kobe"]))
    assert_accessible(page)
    assert horizontal_overflow(page) == 0


def test_a_person_registers_from_line_and_the_next_steps_page_is_accessible(
    page, live_server, chat: LineChat
):
    chat.follow()
    token = chat.fake.platform.issue_id_token(chat.user_id, channel_for("kobe").channel_id)
    set_width(page, 375)
    page.get(live_server.url + reverse("line:register", args=["kobe"]) + f"#id_token={token}")
    # line/liff.js (a static file under the CSP) moved the token into the form.
    hidden = page.find_element(By.NAME, "id_token")
    assert hidden.get_attribute("value") == token
    assert "id_token" not in page.current_url
    for name, value in (
        ("family_name", "山田"),
        ("given_name", "花子"),
        ("family_name_kana", "ヤマダ"),
        ("given_name_kana", "ハナコ"),
        ("phone", "090-1234-5678"),
    ):
        page.find_element(By.NAME, name).send_keys(value)
    Select(page.find_element(By.ID, "id_birth_date_year")).select_by_visible_text(
        "1958年（昭和33年）"
    )
    Select(page.find_element(By.ID, "id_birth_date_month")).select_by_visible_text("4月")
    Select(page.find_element(By.ID, "id_birth_date_day")).select_by_visible_text("2日")
    page.find_element(By.CSS_SELECTOR, 'label[for="id_privacy"]').click()
    page.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    WebDriverWait(page, 30).until(lambda d: "登録が完了しました" in d.title)
    assert "次にすること" in page.page_source
    assert_accessible(page)
    assert chat.line_user().seeker is not None


def test_the_registration_page_with_errors_is_accessible(page, live_server, kobe):
    page.get(live_server.url + reverse("line:register", args=["kobe"]))
    page.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    WebDriverWait(page, 30).until(lambda d: "入力内容をご確認ください" in d.title)
    assert_accessible(page)


def test_the_simulator_still_chats_through_the_fake_under_the_csp(
    page, live_server, kobe, client_for, settings, monkeypatch
):
    from secondcareer.devtools.testing.browser import sign_in
    from secondcareer.people.models import Role
    from secondcareer.people.services import staff_create

    settings.SECONDCAREER_SITE_URL = live_server.url
    monkeypatch.setenv("LINE_API_BASE_URL", live_server.url + "/fakeline")
    monkeypatch.setenv("LINE_API_DATA_BASE_URL", live_server.url + "/fakeline")
    staff = staff_create(username="kb-sim", password=None, program=kobe, role=Role.RECEPTION)
    sign_in(page, live_server.url, client_for(staff))
    page.get(live_server.url + reverse("line:simulator", args=["kobe"]))
    log = page.find_element(By.ID, "log")
    WebDriverWait(page, 30).until(lambda d: "友だち追加" in log.text and "相談窓口から" in log.text)
    assert not csp_violations(page), csp_violations(page)
