"""pytest plugin for browser tests in real headless Chromium (``-p secondcareer.devtools.testing.browser``).

- Marker ``browser``: the test drives Debian's ``/usr/bin/chromium`` through
  ``/usr/bin/chromedriver`` (Selenium, with the driver's path given so Selenium Manager
  never downloads anything). Without Chromium the test is skipped with the reason.
- ``browser`` fixture (session scope): one Chromium for the run, a fresh profile in a
  temporary directory, no network beyond the pages the test opens (background
  networking, component updates and sync are off; the pages load nothing external).
- ``axe_violations(driver)``: runs axe-core (the copy the ``selenium-axe-python`` package
  ships, injected through WebDriver, so no CDN and no npm at run time) for the WCAG 2.0
  and 2.1 A/AA rules and returns the violations.
- ``small_targets(driver)``: every visible link, button, summary and form control whose
  box is smaller than 44×44 CSS px (WCAG 2.5.5), measured with getBoundingClientRect.
- ``csp_violations(driver)``: the Content-Security-Policy violations the page reported
  (a listener the page cannot miss, installed before any page script runs).
- ``sign_in(driver, base_url, client)``: gives the browser the session of a test client
  signed in with ``client_for(user)``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
MIN_TARGET = 44  # CSS px, WCAG 2.5.5 (AAA) and the platform's own rule

_MISSING = (
    f"Chromium is not installed ({CHROMIUM} or {CHROMEDRIVER} is missing): "
    "apt-get install chromium chromium-driver fonts-noto-cjk (.ci/run does this)"
)

# Installed in every new document before its own scripts (CDP), so a violation on load
# is recorded too.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI,
                               sample: e.sample, line: e.lineNumber});
});
"""

_TARGETS_JS = """
const min = arguments[0];
const selector = 'a[href], button, summary, select, textarea, [role="button"],' +
  'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"])';
const found = [];
function visible(el, r) {
  if (r.width === 0 && r.height === 0) return false;
  const s = getComputedStyle(el);
  if (s.visibility === "hidden" || s.display === "none") return false;
  if (r.right <= 0 || r.bottom <= 0) return false;  // moved off screen (skip links)
  if (r.width <= 1 && r.height <= 1) return false;   // visually hidden on purpose
  return !el.closest('[aria-hidden="true"]');
}
function describe(el, r) {
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
  return {tag: el.tagName.toLowerCase(), text: text.slice(0, 40),
          width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10};
}
for (const el of document.querySelectorAll(selector)) {
  const r = el.getBoundingClientRect();
  if (!visible(el, r)) continue;
  if (r.height < min - 0.5 || r.width < min - 0.5) found.push(describe(el, r));
}
// A check box or radio button is tapped through its label: the label is the target.
for (const el of document.querySelectorAll('input[type="checkbox"], input[type="radio"]')) {
  const label = el.closest("label") || (el.id && document.querySelector('label[for="' + el.id + '"]'));
  const target = label || el;
  const r = target.getBoundingClientRect();
  if (!visible(target, r)) continue;
  if (r.height < min - 0.5 || r.width < min - 0.5) found.push(describe(target, r));
}
return found;
"""

_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(function (r) { done(r.violations); })
  .catch(function (e) { done([{id: "axe-error", help: String(e), nodes: []}]); });
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: runs in real headless Chromium (skipped when /usr/bin/chromium is absent)",
    )


def chromium_available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_available():
        return
    skip = pytest.mark.skip(reason=_MISSING)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not chromium_available():
        pytest.skip(_MISSING)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="secondcareer-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        "--lang=ja-JP",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _CSP_LISTENER})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """The session's Chromium at 1280 px wide, with no cookies left from earlier tests.
    Afterwards it shows about:blank, so no page script (the simulator polls) goes on
    calling the live server while the next test runs."""
    browser.delete_all_cookies()
    set_width(browser, 1280)
    yield browser
    browser.get("about:blank")
    browser.delete_all_cookies()


def wait_styled(driver: Any, timeout: float = 10) -> None:
    """Wait until the document has loaded and every stylesheet it links is applied, so
    that sizes measured next are the styled ones (under load a measurement once saw
    the unstyled 24 px links of the staff home)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && "
            "[...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)"
        )
    )


def set_width(driver: Any, width: int, height: int = 900) -> None:
    """The layout viewport ``width`` CSS px wide (device metrics, so it is exact even
    below the window's minimum size)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def set_zoom(driver: Any, percent: int) -> None:
    """Browser zoom as a person sets it (CSS px grow, the viewport narrows)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": 1280 * 100 // percent,
            "height": 900 * 100 // percent,
            "deviceScaleFactor": percent / 100,
            "mobile": False,
        },
    )


def axe_violations(driver: Any, tags: tuple[str, ...] = WCAG_TAGS) -> list[dict[str, Any]]:
    from selenium_axe_python import Axe

    Axe(driver).inject()
    return list(driver.execute_async_script(_AXE_RUN, list(tags)))


def axe_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')}")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    {node.get('target')} {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)


def small_targets(driver: Any, minimum: int = MIN_TARGET) -> list[dict[str, Any]]:
    return list(driver.execute_script(_TARGETS_JS, minimum))


def csp_violations(driver: Any) -> list[dict[str, Any]]:
    return list(driver.execute_script("return window.__cspViolations || [];"))


def horizontal_overflow(driver: Any) -> int:
    """How many CSS px the page is wider than the viewport (0 when it reflows)."""
    return int(
        driver.execute_script(
            "return Math.max(0, document.documentElement.scrollWidth - "
            "document.documentElement.clientWidth);"
        )
    )


def font_size_px(driver: Any, selector: str = "body") -> float:
    return float(
        driver.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector(arguments[0])).fontSize);",
            selector,
        )
    )


def sign_in(driver: Any, base_url: str, client: Any) -> None:
    """Copy the test client's session cookie (after ``client_for(user)``) into Chromium."""
    from django.conf import settings

    driver.get(base_url + "/healthz")  # a page of the site, so the cookie has its domain
    driver.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
