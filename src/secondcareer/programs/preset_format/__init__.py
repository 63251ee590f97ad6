"""The program preset file format: YAML → validated, typed :class:`ProgramPreset`.

Pure (no ORM). The sections are pydantic models, one module per group of sections
(``program``, ``places``, ``consultations``, ``events``, ``targets``) under the root
model of ``preset``; ``fields`` holds the value types they share. A strict YAML loader
(``loader``) reads the file first. :func:`parse_preset_file` and
:func:`parse_preset_text` raise :class:`PresetInvalid`, whose lines name the file and
the key path of every problem, in Japanese::

    saitama.yaml: venues[3].weekdays[1]: 曜日 'fir' は使えません（mon, tue, wed, thu, fri, sat, sun のいずれか）

``python -m secondcareer.programs.preset_format.schema_json`` writes the JSON Schema
of the format to ``docs/programs/preset.schema.json``.
"""

from secondcareer.programs.preset_format.errors import PresetError, PresetInvalid
from secondcareer.programs.preset_format.fields import Hours, Period, hours_as_json
from secondcareer.programs.preset_format.parse import parse_preset_file, parse_preset_text
from secondcareer.programs.preset_format.preset import SCHEMA_VERSION, ProgramPreset
from secondcareer.programs.preset_format.targets import Scope

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
