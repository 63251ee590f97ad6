"""One input rule for every request (docs/adr/0015): what :mod:`secondcareer.core.inputs`
refuses never reaches a view, a query or the database.

- The **path and the query string** of every request, before anything else reads them:
  a refused character (NUL, a lone surrogate, another control character) or a
  bidirectional control is a 400: the platform writes its own addresses and never puts
  one there.
- The **body**, once the URL has been resolved to a view: a body larger than the limit
  is a 413 before it is read (``DATA_UPLOAD_MAX_MEMORY_SIZE`` for forms,
  ``INPUT_JSON_MAX_BYTES`` for anything else); a form field or a JSON string (key or
  value, at any depth) that no database could store (NUL, a lone surrogate) is a 400; a JSON body nested deeper than ``INPUT_JSON_MAX_DEPTH``
  is a 400 before it is parsed. Every body that is not a form is read as JSON: the
  platform takes no other kind, except where a view is marked
  :func:`input_rules_exempt` (the LINE webhook, which checks its signature first and
  stores events as LINE sent them, with its own rules from the same module).
- A bare **405** (empty from ``require_GET`` and friends, plain text from ninja's
  routers) gets a body that says which methods the address takes.

Every refusal is :func:`~secondcareer.core.errorpages.error_response`: the API's JSON
error shape under ``/api/``, the Japanese error page elsewhere.

Place it right after ``SecurityMiddleware`` and after any middleware that only adds
response headers (CSP, Permissions-Policy, Cache-Control), so its answers carry those
headers; and before sessions, CSRF, authentication and two-factor middleware, which
must not see the input it refuses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from secondcareer.core.errorpages import error_response, method_not_allowed, wants_json
from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import (
    REFUSED_IN_ADDRESS_MESSAGE,
    UNSTORABLE_FIELD_MESSAGE,
    UNSTORABLE_MESSAGE,
    find_refused,
    json_text,
    json_too_deep,
    refused_in_address,
    unstorable_in_text,
)

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
DEFAULT_JSON_MAX_DEPTH = 32
DEFAULT_MAX = 64 * 1024

View = TypeVar("View", bound=Callable[..., Any])


def input_rules_exempt(view: View) -> View:
    """Leave this view's body to the view itself (the path and query are still
    checked). For bodies that must be checked after a signature, byte for byte."""
    view.input_rules_exempt = True  # type: ignore[attr-defined]
    return view


def _refused(
    request: HttpRequest, field: str | None, *, message: Any = UNSTORABLE_MESSAGE
) -> DomainError:
    fields = {field: [str(UNSTORABLE_FIELD_MESSAGE)]} if field and wants_json(request) else None
    return DomainError(str(message), code="invalid", status=400, field_errors=fields)


def _too_large(limit: int) -> DomainError:
    return DomainError(
        _("送信された内容が大きすぎます（%(size)s KBまで）。") % {"size": f"{limit // 1024:,}"},
        code="too_large",
        status=413,
    )


def _unreadable() -> DomainError:
    return DomainError(_("送信された内容を読み取れませんでした。"), code="invalid", status=400)


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def address_refusal(request: HttpRequest) -> DomainError | None:
    """Why the path or query string is refused, or None."""
    if refused_in_address(request.path):
        return DomainError(str(REFUSED_IN_ADDRESS_MESSAGE), code="invalid", status=400)
    try:
        query = request.GET
    except TooManyFieldsSent:
        return _unreadable()
    for key, values in query.lists():
        if refused_in_address(key):
            return _refused(request, None, message=REFUSED_IN_ADDRESS_MESSAGE)
        if any(refused_in_address(value) for value in values):
            return _refused(request, key, message=REFUSED_IN_ADDRESS_MESSAGE)
    return None


def body_refusal(request: HttpRequest) -> DomainError | None:
    """Why the body is refused, or None. Reads the body only when its declared size is
    within the limit."""
    length = _content_length(request)
    if not length:
        return None
    form_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    is_form = request.content_type in FORM_TYPES
    limit = form_limit if is_form else getattr(settings, "INPUT_JSON_MAX_BYTES", DEFAULT_MAX)
    if limit is not None and form_limit is not None:
        limit = min(limit, form_limit)
    if limit is not None and length > limit:
        return _too_large(limit)
    try:
        # The body first, so that it stays readable for the view: a multipart form
        # parsed straight from the stream could not be read again.
        body = request.body
        form = request.POST if is_form else None
    except RequestDataTooBig:
        return _too_large(limit or length)
    except (TooManyFieldsSent, MultiPartParserError):
        return _unreadable()
    if form is not None:
        for key, values in form.lists():
            if unstorable_in_text(key):
                return _refused(request, None)
            if any(unstorable_in_text(value) for value in values):
                return _refused(request, key)
    return _json_refusal(request, body, is_form=is_form)


def _json_refusal(request: HttpRequest, body: bytes, *, is_form: bool) -> DomainError | None:
    """A body read as JSON: every body that is not a form, and a "form" that is JSON
    (the API reads its body as JSON whatever the content type says). Only a body that
    begins with ``[`` or ``{`` can nest."""
    text = json_text(body)
    if text is None:
        return None  # not text: the view says what it expected
    looks_nested = text.lstrip(" \t\n\r").startswith(("[", "{"))
    if is_form and not looks_nested:
        return None
    depth = getattr(settings, "INPUT_JSON_MAX_DEPTH", DEFAULT_JSON_MAX_DEPTH)
    if looks_nested and json_too_deep(text, depth):
        return DomainError(
            _("本文の JSON の入れ子が深すぎます（%(depth)d 段まで）。") % {"depth": depth},
            code="invalid",
            status=400,
        )
    try:
        data = json.loads(text)
    except ValueError:
        return None  # not JSON: the view says what it expected
    where = find_refused(data)
    if where is not None:
        return _refused(request, where or None)
    return None


class InputRulesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = address_refusal(request)
        if refusal is not None:
            return error_response(request, refusal)
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.streaming
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return method_not_allowed(request, response.get("Allow", ""))
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if getattr(view_func, "input_rules_exempt", False):
            return None
        refusal = body_refusal(request)
        return None if refusal is None else error_response(request, refusal)
