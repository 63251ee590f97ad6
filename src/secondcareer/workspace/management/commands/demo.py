"""``secondcareer demo``: everything a newcomer needs, then serve.

Migrates the database, loads both program presets, seeds demo data once, makes a
staff login with a fresh random password (printed, never stored in the repository) and
serves the platform on http://127.0.0.1:8000.

Next to the web server it runs the task worker (``db_worker``, a subprocess stopped
with the server) that answers LINE messages, and a background thread that installs the
rich menus on the in-process fake LINE platform once the server is up and every minute
re-queues LINE events left pending (``line-process-pending``). The LINE simulator pages
(``/line/simulator/<program>/``) talk to the real webhook through that fake platform.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from secondcareer.people.models import Membership, User
from secondcareer.people.services import membership_grant
from secondcareer.people.twofactor import DemoLogin, demo_second_factor
from secondcareer.programs.models import Program

DEMO_PROGRAMS = ("kobe", "saitama")
DEMO_USERNAME = "demo-admin"
PENDING_CHECK_SECONDS = 60

log = logging.getLogger(__name__)


def _self_url(addrport: str) -> str:
    host, _colon, port = addrport.rpartition(":")
    if host in {"", "0.0.0.0", "::", "[::]"}:  # noqa: S104 - reaching ourselves, not binding
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _point_line_at(site: str) -> None:
    """Outside the default address, tell links, the fake's webhooks and the LINE client
    (here and in the worker, through the environment) where the server is."""
    if "SECONDCAREER_SITE_URL" not in os.environ:
        settings.SECONDCAREER_SITE_URL = site
        os.environ["SECONDCAREER_SITE_URL"] = site
    os.environ.setdefault("LINE_API_BASE_URL", f"{site}/fakeline")


def _check_port(addrport: str) -> None:
    host, _colon, port = addrport.rpartition(":")
    try:
        socket.create_server((host.strip("[]") or "127.0.0.1", int(port))).close()
    except OSError as exc:
        raise CommandError(
            _("%(addrport)s は使用中です（%(exc)s）。--addrport で別のポートを指定してください。")
            % {"addrport": addrport, "exc": exc}
        ) from exc


def _start_worker() -> subprocess.Popen[bytes]:
    """django-tasks' database worker: processes LINE webhook events and other tasks."""
    command = [sys.executable, "-m", "secondcareer", "db_worker", "--no-reload", "--interval", "1"]
    return subprocess.Popen(command, env=os.environ.copy())  # noqa: S603 - our own command


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _line_housekeeping(site: str, stop: threading.Event) -> None:
    """Once the server answers: rich menus on the fake LINE platform; then every minute,
    re-queue LINE events still pending (crash recovery)."""
    for _attempt in range(120):
        try:
            with urllib.request.urlopen(f"{site}/healthz", timeout=2):  # noqa: S310 - ourselves
                break
        except OSError:
            if stop.wait(0.5):
                return
    else:
        return
    from secondcareer.messaging.line.config import channel_for

    for slug in DEMO_PROGRAMS:
        if channel_for(slug).api_base_url != f"{site}/fakeline":
            continue  # a real LINE channel: set it up with line-setup deliberately
        try:
            call_command("line-setup", program=[slug], stdout=io.StringIO())
        except Exception:
            log.exception("rich menu for %s not installed", slug)
    connections.close_all()
    while not stop.wait(PENDING_CHECK_SECONDS):
        try:
            call_command("line-process-pending", older_than=PENDING_CHECK_SECONDS)
        except Exception:
            log.exception("line-process-pending failed")
        finally:
            connections.close_all()


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    sys.exit(0)  # unwinds runserver so that the worker is stopped too


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
        if settings.ENVIRONMENT == "production":
            raise CommandError(
                _(
                    "本番環境（SECONDCAREER_ENV=production）ではデモを実行できません。"
                    "デモ用のログインとデータを作るためのコマンドです。"
                )
            )
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
        password, second_factor = self._staff_login()
        host = options["addrport"]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("デモの準備ができました。"))
        self.stdout.write(f"  スタッフのホーム: http://{host}/staff/")
        self.stdout.write(f"  支援ケース:   http://{host}/staff/cases/saitama/")
        self.stdout.write(f"  管理画面:     http://{host}/admin/")
        self.stdout.write(f"  利用者一覧:   http://{host}/staff/seekers/")
        self.stdout.write(f"  ヘルスチェック: http://{host}/healthz")
        self.stdout.write(f"  スタッフログイン: ユーザー名 {DEMO_USERNAME} / パスワード {password}")
        self.stdout.write(
            "  確認コード（デモ専用・本番では使えません・1つ1回）: " + " ".join(second_factor.codes)
        )
        self.stdout.write(
            f"  認証アプリで試す場合の秘密鍵（デモ専用）: {second_factor.totp_secret}"
        )
        self.stdout.write("  （パスワードと確認コードは起動のたびに新しくなります）")
        site = _self_url(host)
        for program in Program.objects.filter(slug__in=DEMO_PROGRAMS).order_by("slug"):
            self.stdout.write(
                f"  LINEシミュレーター（{program.name}）: {site}/line/simulator/{program.slug}/"
            )
        if options["no_serve"]:
            return
        if site != settings.SECONDCAREER_SITE_URL:
            _point_line_at(site)
        _check_port(host)
        self.stdout.write("  LINEの返信は作業プロセス（db_worker）が送ります。一緒に起動します。")
        worker = _start_worker()
        stop = threading.Event()
        threading.Thread(
            target=_line_housekeeping, args=(site, stop), daemon=True, name="line-housekeeping"
        ).start()
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            call_command("runserver", host, use_reloader=False)
        finally:
            stop.set()
            signal.signal(signal.SIGTERM, previous)
            _stop_worker(worker)

    def _staff_login(self) -> tuple[str, DemoLogin]:
        """A superuser with the manager role in both demo programs: a fresh random
        password, a TOTP device already enrolled and a few single-use demo-only codes
        (refused whenever SECONDCAREER_ENV=production)."""
        user, _created = User.objects.get_or_create(
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
        return password, demo_second_factor(user=user)
