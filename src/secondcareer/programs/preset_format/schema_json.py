"""Write the JSON Schema of the preset format to ``docs/programs/preset.schema.json``.

    python -m secondcareer.programs.preset_format.schema_json          # write it
    python -m secondcareer.programs.preset_format.schema_json --check  # exit 1 if stale

Editors that read JSON Schema (VS Code's YAML extension, for example) complete and check
a preset with it. A test fails when the committed file differs from a fresh one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from secondcareer.programs.preset_format.preset import ProgramPreset

COMMAND = "python -m secondcareer.programs.preset_format.schema_json"
DEFAULT_PATH = Path(__file__).resolve().parents[4] / "docs" / "programs" / "preset.schema.json"


def schema_text() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **ProgramPreset.model_json_schema(by_alias=True),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("--output", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    text = schema_text()
    path: Path = args.output
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            print(f"{path} is stale; regenerate it with: {COMMAND}", file=sys.stderr)
            return 1
        print(f"{path}: up to date")
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
