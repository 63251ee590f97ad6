from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from secondcareer.core.errorpages import error_response, wants_json
from secondcareer.core.errors import DomainError

__all__ = ["DomainErrorMiddleware", "wants_json"]


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
        return error_response(request, exception)
