"""The entry points: a preset's text or file → :class:`ProgramPreset`, or
:class:`PresetInvalid` with every problem found."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from pydantic import ValidationError

from secondcareer.programs.preset_format.errors import PresetError, PresetInvalid, preset_errors
from secondcareer.programs.preset_format.loader import load_yaml
from secondcareer.programs.preset_format.preset import ProgramPreset


def parse_preset_text(text: str, *, file: str) -> ProgramPreset:
    """Parse and validate preset ``text``; ``file`` names it in error messages.

    Raises :class:`PresetInvalid` listing every problem found."""
    data = load_yaml(text, file)
    try:
        return ProgramPreset.from_mapping(data)
    except ValidationError as exc:
        raise PresetInvalid(file, preset_errors(exc, ProgramPreset)) from None


def parse_preset_file(path: Path) -> ProgramPreset:
    """Read and parse a preset file; errors name the file by its base name."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = _("ファイルを読めません: %(error)s") % {"error": exc}
        raise PresetInvalid(path.name, [PresetError("", message)]) from exc
    return parse_preset_text(text, file=path.name)
