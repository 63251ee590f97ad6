from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from secondcareer.core.errors import DomainError


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


class DomainErrorMiddleware:
    """Turns a :class:`DomainError` raised anywhere below a view into a polite page or a
    JSON body with the error's status. The one place where that translation happens."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        if wants_json(request):
            return JsonResponse(exception.as_dict(), status=exception.status)
        return render(
            request, "core/domain_error.html", {"error": exception}, status=exception.status
        )
