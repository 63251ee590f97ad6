"""Preset section ``matching``: how the program's matching engine weighs the soft
criteria of a posting for a seeker (docs/matching.md). Every key is optional; an
omitted weight keeps the engine's default, and only the ratios between them matter.

.. code-block:: yaml

    matching:
      weights:
        text: 0.3        # the career history and the job content alike
        wage: 0.25       # the wage above the seeker's minimum
        commute: 0.25    # a short commute
        occupation: 0.2  # a wished occupation
"""

from __future__ import annotations

from typing import Annotated, Self

from django.utils.translation import gettext as _
from pydantic import Field, Strict, model_validator

from secondcareer.programs.preset_format.fields import PresetModel, Problems

# The engine's defaults (secondcareer.matching.engine.data.Weights), repeated here
# because programs sits below matching; a test keeps the two equal.
DEFAULT_WEIGHTS = {"wage": 0.25, "commute": 0.25, "occupation": 0.2, "text": 0.3}

Weight = Annotated[float, Strict(), Field(ge=0, le=100)]


class MatchingWeights(PresetModel):
    wage: Weight = DEFAULT_WEIGHTS["wage"]
    commute: Weight = DEFAULT_WEIGHTS["commute"]
    occupation: Weight = DEFAULT_WEIGHTS["occupation"]
    text: Weight = DEFAULT_WEIGHTS["text"]

    @model_validator(mode="after")
    def _not_all_zero(self) -> Self:
        if self.wage + self.commute + self.occupation + self.text <= 0:
            problems = Problems()
            problems.add((), _("重みのうち少なくとも1つは0より大きくしてください"))
            problems.raise_any()
        return self

    def as_dict(self) -> dict[str, float]:
        return {
            "wage": float(self.wage),
            "commute": float(self.commute),
            "occupation": float(self.occupation),
            "text": float(self.text),
        }


class Matching(PresetModel):
    weights: MatchingWeights = Field(default_factory=MatchingWeights)
