"""Every error answer in one form: the API's JSON error shape under ``/api/`` (or for a
client that asks for JSON), a Japanese page everywhere else.

:func:`error_response` is what :class:`~secondcareer.core.middleware.DomainErrorMiddleware`
and :class:`~secondcareer.core.input_middleware.InputRulesMiddleware` answer with; the
``handler*`` views are Django's error handlers (``config/urls.py``), so a 400, 403, 404
or 500 that Django produces itself takes the same form.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    """``error`` as JSON (``{"error", "message", "fields"?, "details"?}``) or as the
    Japanese error page, with the error's status."""
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=error.status)
    return render(request, "core/domain_error.html", {"error": error}, status=error.status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(
        request,
        DomainError(
            _("リクエストを読み取れませんでした。入力内容を確かめて、もう一度お試しください。"),
            code="bad_request",
            status=400,
        ),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(
        request,
        DomainError(_("この操作を行う権限がありません。"), code="forbidden", status=403),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = _("このURLのAPIはありません。/api/openapi.json で一覧を確かめてください。")
    else:
        message = _("お探しのページは見つかりませんでした。URLを確かめてください。")
    return error_response(request, DomainError(message, code="not_found", status=404))


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors, so that a page for a failing
    database does not touch the database again (the session, the signed-in user)."""
    error = DomainError(
        _("申し訳ありません。サーバーで問題が起きました。しばらくしてからもう一度お試しください。"),
        code="server_error",
        status=500,
    )
    if wants_json(request):
        return JsonResponse(error.as_dict(), status=500)
    page = loader.get_template("core/domain_error.html").render({"error": error})
    return HttpResponse(page, status=500)


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    """The answer to a method a view does not take (``require_GET`` and friends answer
    an empty 405), with the ``Allow`` header kept."""
    response = error_response(
        request,
        DomainError(
            _("このURLでは %(method)s は使えません（使えるメソッド: %(allowed)s）。")
            % {"method": request.method, "allowed": allowed},
            code="method_not_allowed",
            status=405,
        ),
    )
    response["Allow"] = allowed
    return response
