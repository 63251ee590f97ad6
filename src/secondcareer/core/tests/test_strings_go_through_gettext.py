"""Every Japanese sentence a person reads goes through gettext (DESIGN.md, ADR 0006):
a new ``DomainError("…")``, form label or flash message written as a bare literal
fails here, with the file and line to fix.

The check is the simple one that can be made exactly: it looks at the places where a
string is shown to a person — the message of an error raised to a user (DomainError,
ValidationError, CommandError), a flash message (``messages.success(request, …)``),
a chatbot reply (``Reply(…)``), and the labels and texts of forms and models
(``label=``, ``help_text=``, ``verbose_name=``, ``empty_label=``, ``error_messages=``),
and the per-field messages of an error (``field_errors=``)
— and refuses a literal there that holds Japanese without ``_()`` around it. An
f-string is refused too: a translator needs the whole sentence with placeholders
(``_("%(name)sさん") % {...}``), not pieces.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import secondcareer

ROOT = Path(secondcareer.__file__).parent
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
TRANSLATORS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "_lazy"}
RAISED_TO_PEOPLE = {"DomainError", "ValidationError", "CommandError"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error", "add_message"}
SHOWN_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "error_messages",
    "message",
    "field_errors",
}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _bare_japanese(node: ast.expr | None) -> bool:
    """A literal holding Japanese that no gettext call wraps (dicts: any value)."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(JAPANESE.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.Constant) and JAPANESE.search(str(v.value)) for v in node.values
        )
    if isinstance(node, ast.BinOp):  # "…%s" % x, "…" + x: the left side is the sentence
        return _bare_japanese(node.left)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):  # "…{x}".format(…) without _() around the literal
        return _bare_japanese(node.func.value)
    if isinstance(node, ast.Dict):
        return any(_bare_japanese(v) for v in node.values)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_bare_japanese(v) for v in node.elts)
    if isinstance(node, ast.IfExp):
        return _bare_japanese(node.body) or _bare_japanese(node.orelse)
    return False


def _shown_arguments(call: ast.Call) -> list[ast.expr]:
    name = _name(call.func)
    shown: list[ast.expr] = []
    if name in RAISED_TO_PEOPLE or name == "Reply":
        shown += call.args[:1]
    if (
        name in MESSAGE_LEVELS
        and isinstance(call.func, ast.Attribute)
        and _name(call.func.value) == "messages"
    ):
        shown += call.args[1:3] if name == "add_message" else call.args[1:2]
    shown += [k.value for k in call.keywords if k.arg in SHOWN_KEYWORDS]
    return shown


def untranslated(source: str) -> list[int]:
    """Line numbers of bare Japanese literals in the places a person reads them."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) not in TRANSLATORS:
            lines += [arg.lineno for arg in _shown_arguments(node) if _bare_japanese(arg)]
    return sorted(set(lines))


def _product_modules() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if "tests" not in path.relative_to(ROOT).parts
        and "migrations" not in path.relative_to(ROOT).parts
    ]


def test_every_japanese_sentence_shown_to_a_person_goes_through_gettext():
    found = [
        f"{path.relative_to(ROOT.parent)}:{line}"
        for path in _product_modules()
        for line in untranslated(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "Japanese text shown to a person without gettext; wrap it as one sentence, "
        '_("…%(name)s…") % {"name": …}:\n' + "\n".join(found)
    )


def test_the_check_finds_the_literals_it_is_meant_to_find():
    # The rule itself, on the kinds of line it must refuse and the ones it must let by.
    refused = """
raise DomainError("予約が見つかりません。", code="not_found")
raise ValidationError(f"{day}は休館日です。")
messages.success(request, "登録しました。")
name = forms.CharField(label="お名前")
x = forms.ChoiceField(error_messages={"required": "選んでください。"})
Reply("こんにちは")
raise CommandError("ファイルがありません: %s" % path)
"""
    allowed = """
raise DomainError(_("予約が見つかりません。"), code="not_found")
raise ValidationError(_("%(day)sは休館日です。") % {"day": day})
messages.success(request, _("登録しました。"))
name = forms.CharField(label=_("お名前"))
raise DomainError("booking.full", code="full")
Reply(text)
log.info("予約")
"""
    assert untranslated(refused) == [2, 3, 4, 5, 6, 7, 8]
    assert untranslated(allowed) == []
