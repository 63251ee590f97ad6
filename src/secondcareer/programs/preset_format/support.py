"""Preset section ``support_bodies``: the public bodies a consultant refers a case to
when it needs public support (Kobe Ⅲ-2: 生活困窮など公的支援が必要なケース) — 自立相談支援機関,
地域包括支援センター, ハローワーク, シルバー人材センター, 社会福祉協議会 — with their published
contact details and the areas they serve. The consultations app keeps them as rows of
its own (``consultations.SupportBody``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field, WithJsonSchema

from secondcareer.programs.choices import SupportBodyKind
from secondcareer.programs.preset_format.fields import (
    Code,
    Distinct,
    OneOf,
    PresetModel,
    RefTo,
    RequiredText,
    Text,
    UniqueCodes,
    refusal,
)
from secondcareer.programs.preset_format.program import Dial

AreaRef = Annotated[str, RefTo("area", lambda: _("地域"))]


def _at_most(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > limit:
            raise refusal(
                _("%(limit)s文字以内にしてください（%(length)s 文字あります）")
                % {"limit": limit, "length": len(value)}
            )
        return value

    return check


class SupportBody(PresetModel):
    """One public support body. ``areas``: the areas it serves (omitted: every area of
    the program). ``phone`` is a published number (see :mod:`~secondcareer.programs.phones`)."""

    code: Code
    name: Annotated[RequiredText, AfterValidator(_at_most(100))]
    kind: Annotated[str, OneOf(lambda: _("支援機関の種類"), SupportBodyKind.values)]
    areas: Annotated[tuple[AreaRef, ...], Distinct(lambda: _("地域"))] = ()
    phone: Dial
    address: Annotated[
        Text, AfterValidator(_at_most(200)), WithJsonSchema({"type": "string", "maxLength": 200})
    ] = ""
    hours: Annotated[
        Text, AfterValidator(_at_most(200)), WithJsonSchema({"type": "string", "maxLength": 200})
    ] = ""
    note: Annotated[
        Text, AfterValidator(_at_most(500)), WithJsonSchema({"type": "string", "maxLength": 500})
    ] = Field("", description="what the body helps with")


SupportBodies = Annotated[tuple[SupportBody, ...], UniqueCodes]
