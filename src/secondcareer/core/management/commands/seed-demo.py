"""``secondcareer seed-demo --program kobe --seekers 200 --seed 1``."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.core.commands import iso_date
from secondcareer.core.demodata import DemoContext, seeders
from secondcareer.core.jpcalendar import TOKYO


class Command(BaseCommand):
    help = (
        "Fill a loaded program with realistic synthetic demo data (staff of every role, "
        "seekers with a year of history, and whatever later apps add), running every "
        "registered demo seeder in order in one transaction. "
        "Deterministic: the same program, --seekers, --seed and --today on an empty "
        "database give the same data. "
        "Idempotent: existing demo staff logins are kept, and seekers are only topped up "
        "to --seekers (the program's existing seekers count towards it), so running it "
        "again adds nothing and a larger --seekers adds only the difference. "
        "Time: the history ends before the reference day (--today) begins — every "
        "registration, consent, booking, cancellation and mark is dated before it — and "
        "the bookings of the reference day and the three weeks after it are confirmed, so "
        "the demo works at any hour; a --today after today is refused. "
        "Prints counts only, never personal data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", required=True, help="Slug of a loaded program, e.g. kobe.")
        parser.add_argument(
            "--seekers",
            type=int,
            default=200,
            help="How many seekers the program should have (default 200).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--today",
            type=iso_date,
            default=None,
            help=(
                "Reference date YYYY-MM-DD the year of history ends on (default: today in "
                "Asia/Tokyo). Give it to reproduce the same data on another day."
            ),
        )
        parser.add_argument(
            "--staff-password",
            default=None,
            help=(
                "Password for the new demo staff logins; it must pass the password "
                "validators (AUTH_PASSWORD_VALIDATORS). Without it they get an unusable "
                "password (set one with `changepassword`)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["program"]
        count: int = options["seekers"]
        if not 0 <= count <= 99_999:
            raise CommandError("--seekers must be between 0 and 99999.")
        program_model = apps.get_model("programs", "Program")
        program = program_model.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(
                f"The program {slug!r} is not loaded in this database. "
                f"Run `secondcareer load-program {slug}` first, then run seed-demo again."
            )
        # Today in Japan, whatever the machine's zone (08:30 JST is still yesterday in UTC).
        now_today = timezone.localdate(timezone=TOKYO)
        # iso_date again: call_command() passes keyword options unparsed.
        today = iso_date(options["today"]) if options["today"] else now_today
        if today > now_today:
            raise CommandError(
                _(
                    "--today %(today)s は未来の日付です。デモの履歴は基準日より前に終わるため、"
                    "今日（%(now)s）以前の日付を指定してください。"
                )
                % {"today": today.isoformat(), "now": now_today.isoformat()}
            )
        shared: dict[str, Any] = {"today": today}
        if options["staff_password"]:
            try:
                validate_password(options["staff_password"])
            except ValidationError as exc:
                raise CommandError(
                    _("--staff-password はパスワードの条件を満たしていません: %(reasons)s")
                    % {"reasons": " ".join(exc.messages)}
                ) from exc
            shared["staff_password"] = options["staff_password"]

        self.stdout.write(
            f"Seeding demo data for program {slug!r}: {count} seekers, seed {options['seed']}, "
            f"history up to {today.isoformat()}."
        )
        context = DemoContext(
            program=program,
            seekers=count,
            seed=options["seed"],
            log=self.stdout.write,
            shared=shared,
        )
        started = time.monotonic()
        with transaction.atomic():
            for seeder in seeders():
                seeder.func(context)
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
