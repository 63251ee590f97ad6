"""How a caller of the JSON API proves who they are: the two ninja auth classes the
site (:mod:`secondcareer.api`) puts on every operation, tried in this order.

- :class:`BearerToken`: ``Authorization: Bearer <token>`` (an API token). A presented
  header is never mixed with the session: a malformed or unknown token is a 401 even
  with a staff session cookie. No CSRF check: a browser never adds that header itself.
- :class:`StaffSession`: a signed-in staff session. Unsafe methods need Django's CSRF
  token (``X-CSRFToken``), as any form does.

Both run before the request body is validated, so a caller who is not authenticated
gets a 401 whatever the body holds. The token look-up brings the user's roles in the
program the request names (query ``program``, or ``program`` of a JSON body) in the
same statement (ADR 0011).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from secondcareer.apitokens.services import api_token_authenticate
from secondcareer.core.errors import DomainError

PARSED_BODY = "_api_json_body"  # the JSON body, once parsed, kept on the request
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def unauthorized(message: str) -> DomainError:
    return DomainError(message, code="unauthorized", status=401)


def parsed_json_body(request: HttpRequest) -> Any:
    """The request's JSON body, parsed once per request (``ValueError`` if it is not
    JSON). The site's parser reads it from here too."""
    if PARSED_BODY not in request.__dict__:
        request.__dict__[PARSED_BODY] = json.loads(request.body)
    return request.__dict__[PARSED_BODY]


def program_named_by(request: HttpRequest) -> str | None:
    """The program slug a request names, for the token look-up; None when it names
    none that can be read (the handler then answers 400, after the token was checked)."""
    if request.method in SAFE_METHODS:
        return request.GET.get("program") or None
    if not request.body:
        return None
    try:
        body = parsed_json_body(request)
    except (ValueError, UnicodeDecodeError):
        return None
    slug = body.get("program") if isinstance(body, dict) else None
    return slug if isinstance(slug, str) else None


class BearerToken(HttpBearer):
    """An API token, issued to a staff member (``secondcareer api-token``)."""

    openapi_description = "APIトークン（Authorization: Bearer sc_…）。CSRFトークンは不要。"

    def __call__(self, request: HttpRequest) -> Any | None:
        header = request.headers.get("Authorization", "")
        if not header:
            return None  # the session may authenticate instead
        scheme, _space, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise unauthorized(
                _("Authorization ヘッダーは「Bearer <トークン>」の形式で指定してください。")
            )
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_authenticate(token, program_slug=program_named_by(request))
        if user is None:
            raise unauthorized(_("トークンが無効です（未登録・失効済み、または利用者が無効）。"))
        request.user = user
        return user


class StaffSession(AuthBase):
    """A signed-in staff member's session cookie; unsafe methods need ``X-CSRFToken``."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = "sessionid"
    openapi_description = "スタッフのログインセッション。GET 以外は X-CSRFToken ヘッダーが必要。"
    csrf = True  # tells ninja's docs page to send the CSRF token

    def __call__(self, request: HttpRequest) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise unauthorized(
                _("ログインするか、APIトークンを Authorization ヘッダーで送ってください。")
            )
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise DomainError(
                _(
                    "CSRFトークンがありません。ログイン中のセッションで送る場合は X-CSRFToken ヘッダーが必要です。"
                ),
                code="csrf",
                status=403,
            )
        return user
