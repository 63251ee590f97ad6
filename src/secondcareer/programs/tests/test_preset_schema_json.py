"""docs/programs/preset.schema.json is the JSON Schema of the models as they are now."""

from __future__ import annotations

from pathlib import Path

from secondcareer.programs.preset_format import schema_json


def test_the_committed_json_schema_of_the_preset_format_is_up_to_date() -> None:
    committed = schema_json.DEFAULT_PATH.read_text(encoding="utf-8")
    assert committed == schema_json.schema_text(), (
        f"docs/programs/preset.schema.json is stale; regenerate it with: {schema_json.COMMAND}"
    )


def test_the_check_option_fails_on_a_stale_file_and_names_the_command(
    tmp_path: Path, capsys
) -> None:
    stale = tmp_path / "preset.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert schema_json.main(["--check", "--output", str(stale)]) == 1
    assert schema_json.COMMAND in capsys.readouterr().err
    assert schema_json.main(["--output", str(stale)]) == 0
    assert schema_json.main(["--check", "--output", str(stale)]) == 0


def test_the_schema_refuses_unknown_keys_and_knows_the_short_weekdays() -> None:
    import json

    schema = json.loads(schema_json.schema_text())
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values())
    weekday = schema["$defs"]["Venue"]["properties"]["weekdays"]["items"]["anyOf"][0]
    assert weekday["enum"][:2] == ["mon", "tue"]
