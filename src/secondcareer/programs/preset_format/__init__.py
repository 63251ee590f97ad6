"""The program preset file format: YAML → validated, typed :class:`ProgramPreset`.

Pure (no ORM, no settings). :func:`parse_preset_file` and :func:`parse_preset_text`
collect every problem and raise :class:`PresetInvalid`, whose lines name the file and
the key path of each problem::

    saitama.yaml: venues[3].weekdays[1]: unknown weekday 'fir' (use mon, tue, ...)

One module per group of sections; ``schema`` holds the dataclasses they build.
"""

from secondcareer.programs.preset_format.parse import parse_preset_file, parse_preset_text
from secondcareer.programs.preset_format.reader import SCHEMA_VERSION, PresetError, PresetInvalid
from secondcareer.programs.preset_format.schema import (
    Hours,
    Period,
    ProgramPreset,
    Scope,
    hours_as_json,
)

__all__ = [
    "SCHEMA_VERSION",
    "Hours",
    "Period",
    "PresetError",
    "PresetInvalid",
    "ProgramPreset",
    "Scope",
    "hours_as_json",
    "parse_preset_file",
    "parse_preset_text",
]
