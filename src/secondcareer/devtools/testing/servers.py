"""Real web processes for tests: N gunicorn processes (one worker each, own port) on
one fresh, migrated database, for behaviour that must hold *across* processes (rate
limits, sign-in lockouts, anything kept in the shared cache or the database).

- SQLite: a new ``SECONDCAREER_VAR_DIR`` in a temporary folder, so a new file database.
- PostgreSQL (``DATABASE_URL`` set, as on the ``TEST_DB=postgres`` run): a new database
  in the same cluster, dropped afterwards.

``secondcareer migrate`` runs in a subprocess, every process is started with the same
environment, and the group is handed back once every ``/healthz`` answers 200 (polled
with a deadline). ``group.manage(...)`` runs any other ``secondcareer`` command against
that database; :class:`Browser` is a small cookie-keeping HTTP client that sends
Django's CSRF token and can come from any loopback address (127.0.0.x), so tests can
look like several clients.

Fixture: ``gunicorn_pair`` (two processes, one per test session, shared by the tests
that use it: each creates its own users or programs).
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

STARTUP_SECONDS = 60.0
REQUEST_SECONDS = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fresh_postgres_database(url: str) -> tuple[str, str]:
    """A new database next to the one ``url`` names: (its URL, its name)."""
    import psycopg

    name = f"sc_servers_{secrets.token_hex(4)}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _drop_postgres_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class ServerGroup:
    urls: list[str]
    env: dict[str, str]
    logs: list[Path] = field(default_factory=list)

    def manage(self, *args: str, timeout: float = 120) -> str:
        """``secondcareer <args>`` against the group's database; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "secondcareer", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"secondcareer {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def python(self, code: str) -> str:
        """Run Python with Django set up (``secondcareer shell -c``)."""
        return self.manage("shell", "-c", code)

    def log_tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}" for p in self.logs
        )


def _base_env(var_dir: Path) -> dict[str, str]:
    env = os.environ.copy()
    env["SECONDCAREER_ENV"] = "test"
    env["SECONDCAREER_VAR_DIR"] = str(var_dir)
    if env.get("CACHE_URL", "") == "locmem":  # a per-process cache would defeat the point
        env["CACHE_URL"] = "db"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _wait_for_health(
    url: str, process: subprocess.Popen[bytes], log: Path, deadline: float
) -> None:
    parts = urlsplit(url)
    while True:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn at {url} exited:\n{log.read_text(errors='replace')}")
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        if time.monotonic() > deadline:
            raise AssertionError(f"{url}/healthz did not answer in time:\n{log.read_text()}")
        try:  # the pause between polls doubles as the check that it is still alive
            process.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def running_servers(count: int = 2, *, env: dict[str, str] | None = None) -> Iterator[ServerGroup]:
    """``count`` gunicorn processes on one fresh migrated database."""
    root = Path(tempfile.mkdtemp(prefix="sc-servers-"))
    group_env = _base_env(root)
    group_env.update(env or {})
    pg: tuple[str, str] | None = None
    base_url = group_env.get("DATABASE_URL", "")
    if base_url:
        fresh_url, name = _fresh_postgres_database(base_url)
        pg = (base_url, name)
        group_env["DATABASE_URL"] = fresh_url
    processes: list[subprocess.Popen[bytes]] = []
    group = ServerGroup(urls=[], env=group_env)
    try:
        # The processes start (import Django and the apps) while the database is
        # migrated; they are asked for /healthz only once it is.
        deadline = time.monotonic() + STARTUP_SECONDS
        for n in range(count):
            port = _free_port()
            log = root / f"gunicorn-{n}.log"
            with log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "gunicorn",
                            "secondcareer.config.wsgi",
                            "--workers",
                            "1",
                            "--bind",
                            f"127.0.0.1:{port}",
                            "--timeout",
                            "60",
                        ],
                        env=group_env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        cwd=root,
                    )
                )
            group.urls.append(f"http://127.0.0.1:{port}")
            group.logs.append(log)
        group.manage("migrate", "--no-input", "-v0")
        for url, process, log in zip(group.urls, processes, group.logs, strict=True):
            _wait_for_health(url, process, log, deadline)
        yield group
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if pg is not None:
            _drop_postgres_database(*pg)
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


class Browser:
    """One client: keeps cookies across every server of a group (like one browser
    behind a load balancer), sends the CSRF token with each POST, connects from
    ``source_ip`` (any 127.0.0.x works on Linux) and never follows redirects."""

    def __init__(self, source_ip: str = "127.0.0.1") -> None:
        self.source_ip = source_ip
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, data: dict[str, str] | None = None) -> Response:
        parts = urlsplit(url)
        headers = {"Host": f"{parts.hostname}:{parts.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            fields = dict(data or {})
            if "csrftoken" in self.cookies:
                fields.setdefault("csrfmiddlewaretoken", self.cookies["csrftoken"])
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1",
            parts.port,
            timeout=REQUEST_SECONDS,
            source_address=(self.source_ip, 0),
        )
        try:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            text = answer.read().decode("utf-8", errors="replace")
            for header, value in answer.getheaders():
                if header.lower() == "set-cookie":
                    cookie: SimpleCookie = SimpleCookie()
                    cookie.load(value)
                    for name, morsel in cookie.items():
                        if morsel["max-age"] == "0" or not morsel.value:
                            self.cookies.pop(name, None)
                        else:
                            self.cookies[name] = morsel.value
            return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, text)
        finally:
            conn.close()

    def get(self, url: str) -> Response:
        return self.request("GET", url)

    def post(self, url: str, data: dict[str, str] | None = None) -> Response:
        return self.request("POST", url, data)


@pytest.fixture(scope="session")
def gunicorn_pair() -> Iterator[ServerGroup]:
    """Two gunicorn processes on one fresh migrated database (see the module)."""
    with running_servers(2) as group:
        yield group
