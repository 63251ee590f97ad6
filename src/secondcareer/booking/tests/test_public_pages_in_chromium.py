"""A person books on the public pages in real headless Chromium, at 320 px and on a wide
screen: on every step axe-core finds no WCAG 2.0/2.1 A or AA violation, every target is
at least 44 px, nothing scrolls sideways, and the Content-Security-Policy blocks
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from secondcareer.booking.models import Reservation
from secondcareer.devtools.testing.browser import (
    axe_report,
    axe_violations,
    csp_violations,
    horizontal_overflow,
    set_width,
    small_targets,
)

pytestmark = pytest.mark.browser


def problems_on(page: Any) -> list[str]:
    where = page.current_url
    found = [f"{where}: target under 44px: {t}" for t in small_targets(page)]
    violations = axe_violations(page)
    if violations:
        found.append(f"{where}: axe:\n{axe_report(violations)}")
    found += [f"{where}: CSP blocked {v}" for v in csp_violations(page)]
    if horizontal_overflow(page):
        found.append(f"{where}: scrolls sideways by {horizontal_overflow(page)}px")
    return found


def click(page: Any, selector: str) -> None:
    before = page.current_url
    page.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(page, 30).until(lambda d: d.current_url != before)


@pytest.mark.parametrize("width", [320, 1280])
def test_every_step_of_a_web_booking_is_accessible(page, live_server, kobe, width):
    set_width(page, width)
    problems: list[str] = []
    page.get(live_server.url + reverse("booking_public:index"))
    problems += problems_on(page)
    page.get(live_server.url + reverse("booking_public:service", args=["kobe"]))
    problems += problems_on(page)
    click(page, 'a.choice[href*="service=online"]')  # service → date
    problems += problems_on(page)
    click(page, "ul.days a.choice")  # date → time
    problems += problems_on(page)
    click(page, "ul.times a.choice")  # time → details
    problems += problems_on(page)
    click(page, 'button[type="submit"]')  # nothing filled in: the error summary
    problems += problems_on(page)
    for name, value in (
        ("family_name", "山田"),
        ("given_name", "花子"),
        ("family_name_kana", "やまだ"),
        ("given_name_kana", "はなこ"),
        ("phone", "090-1111-2222"),
    ):
        field = page.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    Select(page.find_element(By.ID, "id_birth_year")).select_by_value("1958")
    Select(page.find_element(By.ID, "id_birth_month")).select_by_value("4")
    Select(page.find_element(By.ID, "id_birth_day")).select_by_value("12")
    page.find_element(By.CSS_SELECTOR, 'label[for="id_method_0"]').click()
    page.find_element(By.CSS_SELECTOR, 'label[for="id_consent"]').click()
    click(page, 'button[type="submit"]')  # details → confirm
    assert "山田" in page.page_source
    problems += problems_on(page)
    click(page, 'form button[type="submit"]')  # confirm → done
    problems += problems_on(page)
    reservation = Reservation.objects.get(seeker__family_name="山田")
    page.get(live_server.url + reverse("booking_public:cancel", args=[reservation.cancel_token]))
    problems += problems_on(page)
    assert problems == [], "\n".join(problems)
