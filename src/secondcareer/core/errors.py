"""The one domain error type.

Services raise :class:`DomainError` when a use case cannot proceed for a reason a person
should be told (a full slot, a missing consent, a record of another program). Views and
the API never build their own messages for these: the middleware in
:mod:`secondcareer.core.middleware` turns the error into a page or a JSON body.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A use case refused, with a message a person can read (Japanese).

    ``code`` is stable and machine-readable (``full``, ``not_found``, ``forbidden``,
    ``invalid``, ``conflict``); ``status`` is the HTTP status the web layer uses;
    ``field_errors`` maps form/API fields to messages; ``details`` carries structured
    extras (for example the nearest free alternatives of a full slot).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        status: int = 400,
        field_errors: dict[str, list[str]] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.field_errors = field_errors or {}
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.field_errors:
            body["fields"] = self.field_errors
        if self.details:
            body["details"] = self.details
        return body
