"""What every router of the JSON API (``/api/``) is built from.

The API is one django-ninja ``NinjaAPI`` (:mod:`secondcareer.api`); each app adds a
``Router`` in its own ``api.py``. A router's request schemas derive from :class:`Input`
(unknown fields refused, no silent type coercion, Japanese messages), and its handlers
raise :class:`~secondcareer.core.errors.DomainError` (or ``Http404``/``PermissionDenied``
through :mod:`secondcareer.people.access`): the site turns each of them into the one
error shape ``{"error", "message", "fields"?, "details"?}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import parse_iso_date, parse_iso_datetime
from secondcareer.core.sql import storable_id
from secondcareer.core.validation_messages import error_message, key_path

# Where ninja says a value came from; dropped from the field names callers see.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


class Input(Schema):
    """A request body or query of the API: unknown fields are refused and values are
    not coerced (``"7"`` is not an integer, ``1`` is not a string)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Output(Schema):
    """A response of the API (documented; the handlers build it)."""

    model_config = ConfigDict(extra="forbid")


class Error(Output):
    """Every error of the API has this shape; ``message`` is a Japanese sentence."""

    error: str = Field(
        description=(
            "機械可読なコード: invalid（400・422）, unauthorized（401）, forbidden・csrf（403）, "
            "not_found（404）, method_not_allowed（405）, too_large（413）, full・overlap・"
            "too_many・consultant_unavailable・conflict（409）, out_of_range・no_slot・past・"
            "too_late・too_early（422）"
        )
    )
    message: str = Field(description="日本語の説明")
    fields: dict[str, list[str]] | None = Field(
        default=None, description="項目名 → その項目の誤りの説明"
    )
    details: dict[str, Any] | None = Field(
        default=None, description="エラーごとの補足（満席のときの近い空き枠 alternatives など）"
    )


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("missing", _("必須の項目です。"))
    return value


# A required text field: a string with something in it.
Text = Annotated[StrictStr, AfterValidator(_not_blank)]
Id = Annotated[StrictInt, Field(ge=1)]


def enum(values: Iterable[str]) -> dict[str, Any]:
    """``json_schema_extra`` for a text field whose allowed values the domain checks
    (a wrong one is a 422 with the domain's message, not a 400): documented, not enforced."""
    return {"enum": list(values)}


def bad_request(fields: Mapping[str, list[str]]) -> DomainError:
    """A request that cannot be read as the endpoint expects (400)."""
    return DomainError(
        _("リクエストの内容に誤りがあります。"),
        code="invalid",
        status=400,
        field_errors=dict(fields),
    )


def field_errors(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """ninja's validation errors (``loc`` = source, parameter, path…) as the API's
    ``fields``: ``{"consents[0].kind": ["必須の項目です。"]}``. A problem with the
    body as a whole (not an object, empty) is reported under ``body``."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc: Sequence[str | int] = tuple(error.get("loc", ()))
        if loc and loc[0] in _SOURCES:
            source, loc = loc[0], loc[1:]
            if source == "body" and loc:
                loc = loc[1:]  # the handler's parameter name
        name = key_path(loc) or "body"
        fields.setdefault(name, []).append(error_message(error))
    return fields


def refuse_unknown_query(request: HttpRequest, allowed: Iterable[str]) -> None:
    """ninja reads only the query parameters it knows; a caller who misspells one
    (``?form=`` for ``?from=``) is told, instead of silently getting the default."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise bad_request({name: [_("不明な項目です。")] for name in unknown})


def date_field(value: str | None, name: str, fields: dict[str, list[str]]) -> dt.date | None:
    """A ``YYYY-MM-DD`` field (query or body): None (with a field error) when unreadable; a
    date outside the range :mod:`core.inputs` accepts is a 422 ``out_of_range``."""
    if value is None:
        return None
    try:
        return parse_iso_date(value, field=name)
    except ValueError:
        fields[name] = [_("日付は YYYY-MM-DD の形式で指定してください。")]
        return None


def aware_datetime(value: str, name: str, fields: dict[str, list[str]]) -> dt.datetime | None:
    """An ISO 8601 date-time with its offset, or None with a field error."""
    try:
        moment = parse_iso_datetime(value, field=name)
    except ValueError:
        fields[name] = [
            _("日時は ISO 8601 の形式で指定してください（例: 2027-01-06T10:00:00+09:00）。")
        ]
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        fields[name] = [_("日時にはタイムゾーンを付けてください（例: +09:00）。")]
        return None
    return moment


def record_id(value: int) -> int:
    """An id from the path: beyond 64 bits no database holds it (and SQLite cannot
    even bind it), so it is a 404 at once, like any id that does not exist."""
    if value < 1 or not storable_id(value):
        raise Http404
    return value
