"""``secondcareer load-program kobe|saitama|PATH``: create or update a program from a
preset. A bad preset exits non-zero with every problem (file and key path) and leaves
the database unchanged."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from secondcareer.core.errors import DomainError
from secondcareer.programs.preset_format import parse_preset_file
from secondcareer.programs.services import preset_path, program_load_preset


class Command(BaseCommand):
    help = (
        "Create or update a program from a preset: a shipped preset name (kobe, saitama) "
        "or the path of a YAML file. Loading the same preset again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("preset", help="kobe | saitama | PATH to a preset YAML file")
        parser.add_argument(
            "--check",
            action="store_true",
            help="only validate the preset; do not touch the database",
        )

    def handle(self, *args: Any, preset: str, check: bool, **options: Any) -> None:
        try:
            if check:
                path = preset_path(preset)
                parse_preset_file(path)
                self.stdout.write(self.style.SUCCESS(f"{path.name}: OK"))
                return
            result = program_load_preset(path_or_name=preset)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        program = result.program
        state = "loaded" if result.changed else "unchanged"
        self.stdout.write(
            self.style.SUCCESS(f"{program.slug} ({program.name}): {state}; {result.summary()}")
        )
