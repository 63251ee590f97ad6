"""Japanese sentences for pydantic's validation errors, one per error type.

pydantic (the API's request schemas, the program presets) reports each problem as a
dict with a ``type`` (``missing``, ``int_type``, ``extra_forbidden``...), a ``loc``
(the key path) and a ``ctx`` (the limit that was crossed). Its own ``msg`` is English;
what a person reads goes through :func:`error_message`, so that every part of the
platform words the same problem the same way. A validator of our own raises
``pydantic_core.PydanticCustomError(type, message)`` with a Japanese message: that
message is kept as it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

# Error types whose message pydantic took from our own validator (PydanticCustomError
# with a type not listed below, or a ValueError raised in a validator).
_OWN_MESSAGE_PREFIXES = ("Value error, ", "Assertion failed, ")


def _messages() -> dict[str, str]:
    # Built per call so that the active language applies (gettext, not gettext_lazy:
    # the result is formatted at once).
    number = _("整数で指定してください。")
    text = _("文字列で指定してください。")
    date = _("日付は YYYY-MM-DD の形式で指定してください。")
    moment = _("日時は ISO 8601 の形式で指定してください（例: 2027-01-06T10:00:00+09:00）。")
    boolean = _("true または false で指定してください。")
    mapping = _("オブジェクト（キーと値の組）で指定してください。")
    return {
        "missing": _("必須の項目です。"),
        "extra_forbidden": _("不明な項目です。"),
        "string_type": text,
        "string_sub_type": text,
        "int_type": number,
        "int_parsing": number,
        "int_from_float": number,
        "float_type": _("数値で指定してください。"),
        "float_parsing": _("数値で指定してください。"),
        "bool_type": boolean,
        "bool_parsing": boolean,
        "list_type": _("リスト（[ ... ]）で指定してください。"),
        "tuple_type": _("リスト（[ ... ]）で指定してください。"),
        "set_type": _("リスト（[ ... ]）で指定してください。"),
        "dict_type": mapping,
        "model_type": mapping,
        "model_attributes_type": mapping,
        "dataclass_type": mapping,
        "date_type": date,
        "date_parsing": date,
        "date_from_datetime_parsing": date,
        "date_from_datetime_inexact": date,
        "datetime_type": moment,
        "datetime_parsing": moment,
        "datetime_from_date_parsing": moment,
        "timezone_aware": _("日時にはタイムゾーンを付けてください（例: +09:00）。"),
        "time_type": _("時刻は HH:MM の形式で指定してください。"),
        "time_parsing": _("時刻は HH:MM の形式で指定してください。"),
        "greater_than": _("%(gt)s より大きい値にしてください。"),
        "greater_than_equal": _("%(ge)s 以上の値にしてください。"),
        "less_than": _("%(lt)s より小さい値にしてください。"),
        "less_than_equal": _("%(le)s 以下の値にしてください。"),
        "string_too_short": _("%(min_length)s文字以上で指定してください。"),
        "string_too_long": _("%(max_length)s文字以内で指定してください。"),
        "too_short": _("%(min_length)s個以上指定してください。"),
        "too_long": _("%(max_length)s個以内で指定してください。"),
        "literal_error": _("次のいずれかで指定してください: %(expected)s"),
        "enum": _("次のいずれかで指定してください: %(expected)s"),
        "string_pattern_mismatch": _("形式が正しくありません。"),
        "json_invalid": _("JSON として読めません。"),
        "json_type": _("JSON として読めません。"),
        "none_required": _("null を指定してください。"),
        "null_not_allowed": _("null は指定できません。"),
        "unexpected_keyword_argument": _("不明な項目です。"),
        "url_parsing": _("URL の形式が正しくありません。"),
        "value_error": _("値が正しくありません。"),
    }


def error_message(error: Mapping[str, Any]) -> str:
    """The Japanese sentence for one entry of ``ValidationError.errors()``."""
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    for prefix in _OWN_MESSAGE_PREFIXES:
        if msg.startswith(prefix):
            return msg.removeprefix(prefix)
    template = _messages().get(kind)
    if template is None:
        # A PydanticCustomError of ours carries its Japanese message as msg.
        return msg if kind and not msg.isascii() else _("値が正しくありません。")
    context = {key: _readable(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return template % context if "%(" in template else template
    except (KeyError, TypeError, ValueError):
        return _("値が正しくありません。")


def _readable(value: Any) -> str:
    # pydantic's ctx for literals reads "'a', 'b' or 'c'": say it with the Japanese comma.
    return str(value).replace(" or ", "、").replace(", ", "、")


def key_path(loc: Sequence[str | int]) -> str:
    """``('venues', 0, 'weekdays', 1)`` → ``venues[0].weekdays[1]``."""
    path = ""
    for part in loc:
        if part == "[key]":  # pydantic's mark for an error in a mapping's key
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path
