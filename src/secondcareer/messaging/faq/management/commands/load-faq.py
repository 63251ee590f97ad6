"""``secondcareer load-faq [--program P] [--file PATH] [--force]``: create or update the
FAQ from the shipped seed file. Running it again changes nothing; entries edited by
staff are kept unless ``--force``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from secondcareer.core.errors import DomainError
from secondcareer.messaging.faq.services import faq_load_seed, program_for_slug


class Command(BaseCommand):
    help = (
        "Load the FAQ the chatbot answers from: the shared entries plus the entries of "
        "--program (of every loaded program when omitted). Idempotent: entries are matched "
        "by code. Entries edited by staff since they were loaded are left as they are "
        "unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", default=None, help="Slug of a loaded program, e.g. kobe.")
        parser.add_argument(
            "--file", default=None, help="A seed YAML file instead of the shipped one."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite entries edited by staff with the seed file's text.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            program = program_for_slug(options["program"]) if options["program"] else None
            path = Path(options["file"]) if options["file"] else None
            result = faq_load_seed(program=program, path=path, force=options["force"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        scope = program.slug if program else "all loaded programs"
        state = "loaded" if result.changed else "unchanged"
        self.stdout.write(self.style.SUCCESS(f"FAQ ({scope}): {state}; {result.summary()}"))
