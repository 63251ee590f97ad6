"""``secondcareer demo``: everything a newcomer needs, then serve.

Migrates the database, loads both program presets, seeds demo data once, makes a
staff login with a fresh random password (printed, never stored in the repository) and
serves the platform on http://127.0.0.1:8000.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from secondcareer.people.models import Membership, User
from secondcareer.people.services import membership_grant
from secondcareer.programs.models import Program

DEMO_PROGRAMS = ("kobe", "saitama")
DEMO_USERNAME = "demo-admin"


class Command(BaseCommand):
    help = "デモ環境を準備して起動します（移行・プリセット読込・デモデータ・ログイン作成・起動）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--seekers", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-serve", action="store_true", help="準備だけして起動しない（テスト・CI用）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("データベースを最新の状態にしました。")
        for slug in DEMO_PROGRAMS:
            call_command("load-program", slug, verbosity=0)
            call_command(
                "seed-demo",
                program=slug,
                seekers=options["seekers"],
                seed=options["seed"],
                stdout=self.stdout,
            )
        password = self._staff_login()
        host = options["addrport"]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("デモの準備ができました。"))
        self.stdout.write(f"  管理画面:     http://{host}/admin/")
        self.stdout.write(f"  利用者一覧:   http://{host}/staff/seekers/")
        self.stdout.write(f"  ヘルスチェック: http://{host}/healthz")
        self.stdout.write(f"  スタッフログイン: ユーザー名 {DEMO_USERNAME} / パスワード {password}")
        self.stdout.write("  （パスワードは起動のたびに新しくなります）")
        if options["no_serve"]:
            return
        call_command("runserver", host, use_reloader=False)

    def _staff_login(self) -> str:
        """A superuser with the manager role in both demo programs."""
        user, _ = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"last_name": "デモ", "first_name": "管理者"}
        )
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = True
        user.is_superuser = True
        user.save()
        for program in Program.objects.filter(slug__in=DEMO_PROGRAMS):
            if not Membership.objects.filter(user=user, program=program).exists():
                membership_grant(user=user, program=program, role="manager")
        return password
