"""Response headers that keep personal data out of caches.

The rule, in one place: **every response is ``Cache-Control: no-store`` unless it is a
static file**. Almost every dynamic page of the platform shows or carries a person's
data (staff screens, the LINE registration and answer pages, the public booking steps
with a person's name and phone, the API), and the few that do not (the program index,
``/healthz``) lose nothing by not being cached. Deciding per view would let a new view
forget; deciding by default cannot.

No view opts out: a header a view sets itself (``never_cache``'s longer form, the
calendar feed's old ``private, max-age=300``) is replaced by the same ``no-store``, so
shared caches, browsers' back-forward caches and disk caches never hold a dynamic
response. Static files keep WhiteNoise's long-lived caching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

NO_STORE = "no-store"


def _is_static(request: HttpRequest) -> bool:
    static_url = settings.STATIC_URL or "/static/"
    if not static_url.startswith("/"):
        static_url = "/" + static_url
    return request.path_info.startswith(static_url)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response but static files (module docstring).

    Sits right after ``SecurityMiddleware``, so it also sees the responses WhiteNoise
    serves (and leaves their long-lived caching alone)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _is_static(request) and response.status_code < 400:
            return response
        response["Cache-Control"] = NO_STORE
        return response
