"""Preset section ``consultation_topics``: the taxonomy a consultation record's topics
come from (work wishes, income and pension, health, …). The consultations app keeps
the topics as rows of its own (``consultations.ConsultationTopic``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Strict

from secondcareer.programs.preset_format.fields import (
    Code,
    PresetModel,
    RequiredText,
    Text,
    UniqueCodes,
)


class ConsultationTopic(PresetModel):
    """One topic a consultation may touch. ``suggests_referral``: a record with this
    topic suggests a referral to a public support body (Kobe Ⅲ-2, 生活困窮など)."""

    code: Code
    name: RequiredText
    description: Text = ""
    suggests_referral: Annotated[bool, Strict()] = False


ConsultationTopics = Annotated[tuple[ConsultationTopic, ...], UniqueCodes]
