"""The case page's panel registry (core.panels): apps above consultations add panels
without consultations importing them; panels come in registration order and a panel
with nothing to show is left out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import RequestFactory

from secondcareer.core import panels


@pytest.fixture
def clean_registry() -> Iterator[None]:
    saved = dict(panels._CASE_PANELS)
    panels._CASE_PANELS.clear()
    yield
    panels._CASE_PANELS.clear()
    panels._CASE_PANELS.update(saved)


def test_panels_come_in_registration_order_and_empty_ones_are_left_out(clean_registry) -> None:
    panels.register_case_panel("first", lambda request, case: f"<p>{case}: 1</p>")
    panels.register_case_panel("nothing", lambda request, case: "")
    panels.register_case_panel("second", lambda request, case: "<p>2</p>")
    shown = panels.case_panels(RequestFactory().get("/"), "case")
    assert [str(s) for s in shown] == ["<p>case: 1</p>", "<p>2</p>"]
    # Registering the same name again replaces the panel in its place.
    panels.register_case_panel("first", lambda request, case: "<p>1b</p>")
    assert [str(s) for s in panels.case_panels(RequestFactory().get("/"), "c")] == [
        "<p>1b</p>",
        "<p>2</p>",
    ]
    panels.unregister_case_panel("first")
    assert panels.case_panel_names() == ["nothing", "second"]
