"""The YAML column mapping of the Hello Work import, validated by pydantic (the style
of the program presets): Japanese messages, one line per problem."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from secondcareer.core.errors import DomainError
from secondcareer.core.validation_messages import error_message, key_path

DEFAULT_MAPPING = Path(__file__).resolve().parent / "mappings" / "hellowork_default.yaml"

Column = str | None


class Columns(BaseModel):
    """Posting field → CSV header. The required ones cannot be left out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: str = Field(min_length=1)
    referral_deadline: str = Field(min_length=1)
    office_number: str = Field(min_length=1)
    office_name: str = Field(min_length=1)
    occupation: str = Field(min_length=1)
    wage: str = Field(min_length=1)
    received_on: Column = None
    description: Column = None
    workplace_address: Column = None
    employment_type: Column = None
    employment_period: Column = None
    working_hours: Column = None
    days_per_week: Column = None
    holidays: Column = None
    age: Column = None
    age_limited: Column = None
    age_limit_reason: Column = None
    retirement_age: Column = None
    rehire_max_age: Column = None
    requirements: Column = None
    insurance: Column = None
    openings: Column = None


class HelloworkMapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: Columns

    def used(self) -> dict[str, str]:
        """field → header, for the columns the mapping reads."""
        return {k: v for k, v in self.columns.model_dump().items() if v}


class MappingInvalid(DomainError):
    def __init__(self, file: str, problems: list[str]) -> None:
        header = _("%(file)s: 対応表（マッピング）に問題が %(count)s 件あります:") % {
            "file": file,
            "count": len(problems),
        }
        super().__init__("\n".join([header, *problems]), details={"errors": problems})


def load_mapping(path: Path | None = None) -> HelloworkMapping:
    """The mapping in ``path`` (default: the shipped one); :class:`MappingInvalid` when
    it cannot be read, is not YAML or does not validate."""
    path = path or DEFAULT_MAPPING
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise MappingInvalid(str(path), [_("ファイルが見つかりません。")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingInvalid(str(path), [_("ファイルを UTF-8 として読めません。")]) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingInvalid(str(path), [_("YAML として読めません: %(e)s") % {"e": exc}]) from exc
    try:
        return HelloworkMapping.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{key_path(error['loc'])}: {error_message(error)}"
            if error["loc"]
            else error_message(error)
            for error in exc.errors()
        ]
        raise MappingInvalid(str(path), problems) from exc
