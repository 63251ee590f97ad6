"""The one JSON API of the platform (``/api/``), on django-ninja.

Each app contributes a ``Router`` from its own ``api.py`` (added below, in the layer
order of DESIGN.md); this module holds what is the same for all of them:

- **Authentication** on every operation (:mod:`secondcareer.apitokens.auth`): a Bearer
  token, else a staff session with CSRF. It runs before the body is read, so the order
  of answers is 401 whatever the body, then 400 (the schemas), then 404 and 403 (the
  handlers, through :mod:`secondcareer.people.access`).
- **The error shape** ``{"error", "message", "fields"?, "details"?}`` with Japanese
  messages, for :class:`DomainError`, ninja's validation errors, ``Http404`` and
  ``PermissionDenied``. What no endpoint may receive (NUL, too deep or too large JSON)
  is refused before this by :mod:`secondcareer.core.input_middleware`, in the same shape.
- **The OpenAPI document** at ``/api/openapi.json``, generated from the schemas
  (public: it holds no data), and ninja's interactive docs page at ``/api/docs`` for
  signed-in staff, served from local files under the site's CSP.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from secondcareer.apitokens.auth import BearerToken, StaffSession, parsed_json_body
from secondcareer.booking.api import router as booking_router
from secondcareer.consultations.api import router as consultations_router
from secondcareer.core.api import bad_request, field_errors
from secondcareer.core.errors import DomainError
from secondcareer.jobs.api import router as jobs_router
from secondcareer.matching.api import router as matching_router
from secondcareer.people.access import ProgramNotFound
from secondcareer.people.api import router as people_router
from secondcareer.placements.api import router as placements_router
from secondcareer.placements.internship_api import router as internships_router

DESCRIPTION = """セカンドキャリア・プラットフォームの API です。

- 認証: `Authorization: Bearer <APIトークン>`、またはスタッフのログインセッション
  （GET 以外は `X-CSRFToken` ヘッダーが必要）。
- すべての操作は事業（`program`）の中で行います。役割を持たない事業は存在しないものとして
  404 になり、役割に権限がない操作は 403 になります。
- エラーはすべて `{"error", "message", "fields", "details"}` の形で、`message` は日本語です。
  判定の順序は 401（本文によらず）→ 400 → 404 → 403 です。
"""


class _JsonParser(Parser):
    """ninja's JSON parser, reading the body the token look-up already parsed."""

    def parse_body(self, request: HttpRequest) -> Any:
        return parsed_json_body(request)


# What any operation may answer besides its own responses.
_COMMON_RESPONSES = {
    "401": "認証されていない（ログインしていない、トークンがない・無効）。"
    "WWW-Authenticate: Bearer ヘッダー付き",
    "405": "このURLで使えないメソッド（Allow ヘッダー付き）",
    "413": "本文が大きすぎる（too_large）",
}


class _Api(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, description in _COMMON_RESPONSES.items():
                    operation["responses"].setdefault(
                        status, {"description": description, "content": error}
                    )
        return schema

    def validation_error_from_error_contexts(self, error_contexts: Any) -> ValidationError:
        # ninja drops each error's input; keep the one fact a caller needs from it:
        # that a field was sent as null.
        errors = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = error["loc"]
                item = {
                    "type": error["type"],
                    "msg": error["msg"],
                    "ctx": error.get("ctx") or {},
                    "loc": (
                        model.__ninja_param_source__,
                        *model.__ninja_flatten_map_reverse__.get(loc, loc),
                    ),
                }
                if error.get("input", ...) is None and error["type"].endswith("_type"):
                    item["type"] = "null_not_allowed"
                errors.append(item)
        return ValidationError(errors)


api = _Api(
    title="セカンドキャリア・プラットフォーム API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[BearerToken(), StaffSession()],
    parser=_JsonParser(),
    docs_url=None,  # served by secondcareer.api.views.docs, for staff only
)
api.add_router("", booking_router)
api.add_router("", people_router)
api.add_router("", consultations_router)
api.add_router("", jobs_router)
api.add_router("", matching_router)
api.add_router("", placements_router)
api.add_router("", internships_router)


def _error(request: HttpRequest, error: DomainError) -> HttpResponse:
    response = JsonResponse(error.as_dict(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="secondcareer"'
    return response


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, bad_request(field_errors(exc.errors)))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = _("ログインするか、APIトークンを Authorization ヘッダーで送ってください。")
    return _error(request, DomainError(message, code="unauthorized", status=401))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises this for a body it cannot parse (400).
    if exc.status_code == 400:
        return _error(
            request,
            DomainError(_("本文を JSON として読めません。"), code="invalid", status=400),
        )
    return _error(
        request,
        DomainError(_("リクエストを処理できませんでした。"), code="error", status=exc.status_code),
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    if isinstance(exc, ProgramNotFound):
        # The same answer for an unknown program and one the user has no role in.
        return _error(
            request,
            DomainError(
                _("事業「%(slug)s」は見つかりません。") % {"slug": exc.slug},
                code="not_found",
                status=404,
                field_errors={"program": [_("ご自分が所属する事業の識別子を指定してください。")]},
            ),
        )
    return _error(
        request, DomainError(_("指定されたものは見つかりません。"), code="not_found", status=404)
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(
        request,
        DomainError(_("この操作を行う権限がありません。"), code="forbidden", status=403),
    )
