"""Panels that apps higher in the layers add to a lower app's page, without the lower
app importing them (STYLE.md "Layers you can check": a registry the lower layer
defines).

The case page (consultations) shows, for example, the seeker's job recommendations,
which matching computes: matching sits above consultations, so consultations cannot
import it. Matching registers a panel from its ``AppConfig.ready()``::

    register_case_panel("matching", matching_case_panel)

and the case view renders ``case_panels(request, case)`` in order. A panel is a function
``(request, case) -> str``: an HTML fragment (rendered from a template, so escaped), or
``""`` when it has nothing to show to this user (no permission, say). The panel does its
own access checks and audit; the case page has already checked that the user may open
the case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

CasePanel = Callable[[HttpRequest, Any], str]

_CASE_PANELS: dict[str, CasePanel] = {}


def register_case_panel(name: str, panel: CasePanel) -> None:
    """Add (or, under the same name, replace) a panel of the case page. Panels are shown
    in the order they were first registered."""
    _CASE_PANELS[name] = panel


def unregister_case_panel(name: str) -> None:
    """Remove a panel (tests; an app switched off)."""
    _CASE_PANELS.pop(name, None)


def case_panel_names() -> list[str]:
    return list(_CASE_PANELS)


def case_panels(request: HttpRequest, case: Any) -> list[SafeString]:
    """The case page's extra panels for ``request.user``, in order, empty ones left out.
    A panel returns HTML it rendered from a template (autoescaped), so it is marked
    safe here and nowhere else."""
    shown = []
    for panel in _CASE_PANELS.values():
        html = panel(request, case)
        if html:
            shown.append(mark_safe(html))  # noqa: S308 - rendered from an autoescaped template
    return shown


# The posting page (jobs) has its panels the same way: matching adds a link to the
# posting's candidates, which jobs, below matching, cannot name itself.
PostingPanel = Callable[[HttpRequest, Any], str]

_POSTING_PANELS: dict[str, PostingPanel] = {}


def register_posting_panel(name: str, panel: PostingPanel) -> None:
    """Add (or, under the same name, replace) a panel of a job posting's page."""
    _POSTING_PANELS[name] = panel


def posting_panels(request: HttpRequest, posting: Any) -> list[SafeString]:
    """The posting page's extra panels for ``request.user``, empty ones left out."""
    shown = []
    for panel in _POSTING_PANELS.values():
        html = panel(request, posting)
        if html:
            shown.append(mark_safe(html))  # noqa: S308 - rendered from an autoescaped template
    return shown
