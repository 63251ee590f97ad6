"""Problems of a preset as a person reads them: ``file: key.path: message``, in
Japanese. :func:`preset_errors` is the one place where pydantic's validation errors
become these lines: pydantic's own error types are translated by type, the
preset's own validators already speak Japanese."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

from secondcareer.core.errors import DomainError
from secondcareer.core.validation_messages import key_path
from secondcareer.programs.preset_format.fields import Here, Loc, describe, missing_message


@dataclass(frozen=True)
class PresetError:
    path: str
    message: str


class PresetInvalid(DomainError):
    """A preset that cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, file: str, errors: list[PresetError]) -> None:
        self.file = file
        self.errors = list(errors)
        header = _("%(file)s: プリセットに問題が %(count)s 件あります:") % {
            "file": file,
            "count": len(self.errors),
        }
        super().__init__("\n".join([header, *self.lines()]), details={"errors": self.lines()})

    def lines(self) -> list[str]:
        """One line per problem: ``file: key.path: message``."""
        return [
            f"{self.file}: {e.path}: {e.message}" if e.path else f"{self.file}: {e.message}"
            for e in self.errors
        ]


def _got(error: Any) -> dict[str, Any]:
    return {"got": describe(error.get("input"))}


def _limit(name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda error: {"limit": error.get("ctx", {}).get(name), **_got(error)}


# pydantic's error type → (message, its parameters from the error).
_BUILT_IN: dict[str, tuple[Callable[[], str], Callable[[Any], dict[str, Any]]]] = {
    "missing": (missing_message, lambda error: {}),
    "model_type": (
        lambda: _("「キー: 値」の対応表で書いてください（%(got)s が書かれています）"),
        _got,
    ),
    "dict_type": (
        lambda: _("「キー: 値」の対応表で書いてください（%(got)s が書かれています）"),
        _got,
    ),
    "list_type": (lambda: _("リストで書いてください（%(got)s が書かれています）"), _got),
    "tuple_type": (lambda: _("リストで書いてください（%(got)s が書かれています）"), _got),
    "string_type": (lambda: _("文字列で書いてください（%(got)s が書かれています）"), _got),
    "int_type": (lambda: _("整数で書いてください（%(got)s が書かれています）"), _got),
    "int_parsing": (lambda: _("整数で書いてください（%(got)s が書かれています）"), _got),
    "int_from_float": (lambda: _("整数で書いてください（%(got)s が書かれています）"), _got),
    "float_type": (lambda: _("数で書いてください（%(got)s が書かれています）"), _got),
    "bool_type": (lambda: _("true か false で書いてください（%(got)s が書かれています）"), _got),
    "bool_parsing": (lambda: _("true か false で書いてください（%(got)s が書かれています）"), _got),
    "greater_than_equal": (
        lambda: _("%(limit)s 以上にしてください（%(got)s が書かれています）"),
        _limit("ge"),
    ),
    "greater_than": (
        lambda: _("%(limit)s より大きくしてください（%(got)s が書かれています）"),
        _limit("gt"),
    ),
    "less_than_equal": (
        lambda: _("%(limit)s 以下にしてください（%(got)s が書かれています）"),
        _limit("le"),
    ),
    "less_than": (
        lambda: _("%(limit)s より小さくしてください（%(got)s が書かれています）"),
        _limit("lt"),
    ),
    "literal_error": (
        lambda: _("%(got)s は使えません（%(limit)s のいずれか）"),
        _limit("expected"),
    ),
    "enum": (lambda: _("%(got)s は使えません（%(limit)s のいずれか）"), _limit("expected")),
    "date_type": (
        lambda: _("日付は 2026-08-14 のように書いてください（%(got)s が書かれています）"),
        _got,
    ),
    "date_parsing": (
        lambda: _("日付は 2026-08-14 のように書いてください（%(got)s が書かれています）"),
        _got,
    ),
    "date_from_datetime_inexact": (
        lambda: _("日付だけを書いてください（%(got)s が書かれています）"),
        _got,
    ),
    "date_from_datetime_parsing": (
        lambda: _("日付は 2026-08-14 のように書いてください（%(got)s が書かれています）"),
        _got,
    ),
    "too_short": (lambda: _("%(limit)s 個以上書いてください"), _limit("min_length")),
    "too_long": (lambda: _("%(limit)s 個以内にしてください"), _limit("max_length")),
    "string_too_short": (lambda: _("%(limit)s 文字以上にしてください"), _limit("min_length")),
    "string_too_long": (lambda: _("%(limit)s 文字以内にしてください"), _limit("max_length")),
}


def _fallback() -> str:
    return _("この値は使えません（%(got)s が書かれています。検査: %(type)s）")


def preset_errors(exc: ValidationError, model: type[BaseModel]) -> list[PresetError]:
    """Every problem of ``exc`` (raised validating ``model``), with its key path."""
    found: list[PresetError] = []
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        kind = error["type"]
        ctx = error.get("ctx") or {}
        if kind == "preset_problems":
            for sub_loc, message, params in ctx["problems"]:
                found.append(PresetError(key_path((*loc, *sub_loc)), _render(message, params, loc)))
        elif kind == "preset":
            found.append(PresetError(key_path(loc), ctx["message"]))
        elif kind == "extra_forbidden":
            found.append(PresetError(key_path(loc), _unknown_key(model, loc)))
        elif kind in _BUILT_IN:
            message, params = _BUILT_IN[kind]
            found.append(PresetError(key_path(loc), message() % params(error)))
        else:
            found.append(PresetError(key_path(loc), _fallback() % {**_got(error), "type": kind}))
    return found


def _render(message: str, params: dict[str, Any], loc: Loc) -> str:
    if not params:
        return message
    return message % {
        name: key_path((*loc, *value.loc)) if isinstance(value, Here) else value
        for name, value in params.items()
    }


def _unknown_key(model: type[BaseModel], loc: Loc) -> str:
    key = str(loc[-1])
    allowed = _keys_at(model, loc[:-1])
    if allowed:
        return _("未知のキー %(key)r です（書けるキー: %(allowed)s）") % {
            "key": key,
            "allowed": ", ".join(allowed),
        }
    return _("未知のキー %(key)r です") % {"key": key}


def _keys_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the mapping at ``loc`` may have (empty when it cannot be told)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = {(f.alias or name): f for name, f in current.model_fields.items()}
            if part not in fields:
                return []
            current = fields[part].annotation
        else:
            args = typing.get_args(current)
            origin = typing.get_origin(current)
            if origin is dict and len(args) == 2:
                current = args[1]
            elif origin in (tuple, list) and args:
                fixed = args[-1] is not Ellipsis and isinstance(part, int) and part < len(args)
                current = args[part] if fixed else args[0]  # type: ignore[index]
            else:
                return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [(f.alias or name) for name, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` → ``X``."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) == 1:
                annotation = options[0]
                continue
        return annotation
