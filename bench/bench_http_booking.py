"""HTTP booking on PostgreSQL under gunicorn, 32 concurrent clients, side by side with
a trivial view on the same server.

1. A throwaway PostgreSQL cluster (``secondcareer.devtools.testing.pgcluster``; Unix socket only).
2. ``http_app.setup``: migrate, load Kobe, 40 consultants on the online rota every day
   for 36 days (each online slot has 40 seats: about 15,600 seats, more than a run can
   book), one seeker per two seats (nobody reaches the policy's three open bookings, so
   a fast run does not turn into cheap "too many bookings" refusals), an API
   token for a receptionist (``secondcareer api-token``), and a shuffled plan of one
   booking per seat with mixed channels (line, phone, web) and methods; every tenth
   request asks for one of three popular hours, which fill up during the run, so the
   満席 (409) path and the seat counter are exercised under load too.
3. gunicorn on 127.0.0.1 (``http_app.wsgi``: the real settings in production mode and
   the real URLs, plus ``/bench/ok`` which returns "ok" without touching the database).
4. 32 client threads (a minimal socket client, keep-alive where the server allows) hammer ``GET /bench/ok`` for a while,
   then ``POST /api/reservations`` with ``Authorization: Bearer``, then the trivial view
   again; bounded by time and by the plan.
5. ``http_app.audit`` counts over-bookings in the database (must be 0).

Everything — gunicorn, PostgreSQL and the clients — shares the machine's cores, as it
would on a single small server. gunicorn and the cluster are always stopped.

Targets (issue 3): ≥ 300 successful bookings/s, ≥ 0.15 × the trivial view's rate,
p99 ≤ 300 ms, 0 over-bookings.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _support import cpu_seconds, free_port, percentile, wait_ready

HERE = Path(__file__).resolve().parent
CLIENTS = 32
# One sync worker per core measured best since a booking became cheap (2026-11-22, 2
# cores: 2 workers 294-312 bookings/s, 3 workers 286-289, 4 workers 270-290, 6 workers
# 254); gthread workers only add GIL contention to CPU-bound requests.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
TRIVIAL_SECONDS = float(os.environ.get("BENCH_TRIVIAL_SECONDS", "8"))
BOOKING_SECONDS = float(os.environ.get("BENCH_BOOKING_SECONDS", "20"))
WARMUP_SECONDS = 2.0
MAX_REQUESTS = 200_000
TARGETS = {"bookings_per_s": 300, "ratio": 0.15, "p99_ms": 300, "over_bookings": 0}


def _process_tree(root: int) -> list[int]:
    """``root`` and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _postmaster_pid(cluster: Any) -> int | None:
    try:
        return int((cluster.data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _cpu_snapshot(server_pid: int, postmaster: int | None) -> dict[str, float]:
    own = os.times()
    return {
        "gunicorn": cpu_seconds(_process_tree(server_pid)),
        "postgres": cpu_seconds(_process_tree(postmaster)) if postmaster else 0.0,
        "clients": own.user + own.system,
    }


class _Connection:
    """A minimal HTTP/1.1 client on a plain socket: keeps the connection while the
    server does (gunicorn's sync workers close it after each response) and reads the
    body by Content-Length. ``http.client`` cost the load generator ~0.3 ms of CPU per
    request on this machine — CPU the server under test then did not get."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def exchange(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed before the response headers")
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        head_lines = head.decode("latin-1").split("\r\n")
        status = int(head_lines[0].split(" ", 2)[1])
        fields = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in head_lines[1:])
        }
        length = int(fields.get("content-length", "0"))
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed before the end of the body")
            rest += chunk
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, rest[:length]


class Phase:
    """32 threads, each with its own keep-alive connection, sending requests produced
    by ``next_request`` until it returns None or the time is up."""

    def __init__(self, port: int, next_request: Callable[[], tuple[str, str, bytes | None] | None]):
        self.port = port
        self.next_request = next_request
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.error_codes: Counter[str] = Counter()
        self.failures = 0
        self.lock = threading.Lock()

    def _client(self, deadline: float, headers: dict[str, str], record: bool) -> None:
        connection = _Connection(self.port)
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        codes: Counter[str] = Counter()
        failures = 0
        while time.perf_counter() < deadline:
            request = self.next_request()
            if request is None:
                break
            method, path, body = request
            started = time.perf_counter()
            result: tuple[int, bytes] | None = None
            for attempt in (1, 2):
                try:
                    result = connection.exchange(method, path, body, headers)
                    break
                except OSError:
                    connection.close()
                    if attempt == 2:
                        failures += 1
            if result is None:
                continue
            status, payload = result
            if record:
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[status] += 1
                if status >= 400 and payload.startswith(b"{"):
                    codes[json.loads(payload).get("error", "?")] += 1
        connection.close()
        with self.lock:
            self.latencies += latencies
            self.statuses.update(statuses)
            self.error_codes.update(codes)
            self.failures += failures

    def run(self, seconds: float, headers: dict[str, str], *, record: bool = True) -> float:
        deadline = time.perf_counter() + seconds
        threads = [
            threading.Thread(target=self._client, args=(deadline, headers, record))
            for _ in range(CLIENTS)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    def summary(self, elapsed: float) -> dict[str, Any]:
        count = len(self.latencies)
        return {
            "requests": count,
            "seconds": round(elapsed, 2),
            "requests_per_s": round(count / elapsed, 1) if elapsed else 0,
            "p50_ms": round(statistics.median(self.latencies), 1) if count else None,
            "p99_ms": round(percentile(self.latencies, 0.99), 1) if count else None,
            "statuses": dict(sorted(self.statuses.items())),
            "error_codes": dict(self.error_codes),
            "transport_failures": self.failures,
        }


def _trivial_phase(port: int, seconds: float) -> dict[str, Any]:
    request = ("GET", "/bench/ok", None)
    counter = iter(range(MAX_REQUESTS))
    lock = threading.Lock()

    def next_request() -> tuple[str, str, bytes | None] | None:
        with lock:
            return request if next(counter, None) is not None else None

    Phase(port, next_request).run(WARMUP_SECONDS, {}, record=False)
    phase = Phase(port, next_request)
    return phase.summary(phase.run(seconds, {}))


def _booking_phase(port: int, token: str, plan: list[dict[str, Any]]) -> dict[str, Any]:
    bodies = iter([json.dumps(body).encode() for body in plan])
    lock = threading.Lock()

    def next_request() -> tuple[str, str, bytes | None] | None:
        with lock:
            body = next(bodies, None)
        return ("POST", "/api/reservations", body) if body is not None else None

    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    phase = Phase(port, next_request)
    result = phase.summary(phase.run(BOOKING_SECONDS, headers))
    created = phase.statuses.get(201, 0)
    with lock:
        # True if the run ended because the plan ran out rather than on time.
        result["plan_exhausted"] = next(bodies, None) is None
    result["successful_bookings"] = created
    result["successful_bookings_per_s"] = round(created / result["seconds"], 1)
    return result


def _python(module: str, env: dict[str, str]) -> dict[str, Any]:
    child = subprocess.run(
        [sys.executable, "-m", module],
        env=env,
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if child.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{child.stderr[-4000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run() -> dict[str, object]:
    from secondcareer.devtools.testing.pgcluster import PostgresUnavailable, start_cluster

    try:
        cluster = start_cluster()
    except PostgresUnavailable as exc:
        return {"skipped": f"PostgreSQL unavailable: {exc}"}
    server: subprocess.Popen[bytes] | None = None
    tmp = Path(tempfile.mkdtemp(prefix="sc-bench-http-"))
    log = tmp / "gunicorn.log"
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DATABASE_URL=cluster.url(),
            DATABASE_CONN_MAX_AGE="600",  # persistent connections, as in production
            SECONDCAREER_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(50),
            DEBUG="0",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; TLS ends at the proxy
            SECONDCAREER_VAR_DIR=str(tmp),
            DJANGO_SETTINGS_MODULE="http_app.settings",
            PYTHONPATH=os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        )
        setup = _python("http_app.setup", env)
        port = free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [
                    str(gunicorn),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(WORKERS),
                    "--worker-class",
                    WORKER_CLASS,
                    "--threads",
                    str(THREADS),
                    "--keep-alive",
                    "5",
                    "--pythonpath",
                    str(HERE),
                    "http_app.wsgi:application",
                ],
                env=env,
                cwd=HERE,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        wait_ready(port, server, log)
        load_before = os.getloadavg()[0]
        trivial = _trivial_phase(port, TRIVIAL_SECONDS)
        postmaster = _postmaster_pid(cluster)
        before = _cpu_snapshot(server.pid, postmaster)
        booking = _booking_phase(port, setup["token"], setup["plan"])
        after = _cpu_snapshot(server.pid, postmaster)
        requests = max(booking["requests"], 1)
        booking["cpu_ms_per_request"] = {
            part: round((after[part] - before[part]) * 1000 / requests, 2) for part in before
        }
        booking["cpu_busy_share"] = round(
            sum(after[p] - before[p] for p in before)
            / (booking["seconds"] * (os.cpu_count() or 1)),
            2,
        )
        trivial_after = _trivial_phase(port, TRIVIAL_SECONDS / 2)
        audit = _python("http_app.audit", env)
        server_errors = sum(n for status, n in booking["statuses"].items() if status >= 500)
        if server_errors:
            booking["server_log_tail"] = log.read_text(errors="replace")[-3000:]
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    trivial_rate = trivial["requests_per_s"]
    result: dict[str, object] = {
        "what": (
            f"POST /api/reservations (Kobe online, {setup['seats']} seats in {setup['slots']} "
            f"slots, {setup['consultants']} consultants, mixed channels) vs GET /bench/ok; "
            f"{CLIENTS} keep-alive clients; gunicorn {WORKERS} {WORKER_CLASS} workers x "
            f"{THREADS} threads; PostgreSQL on a Unix socket; all on this machine"
        ),
        "setup": {k: v for k, v in setup.items() if k not in {"token", "plan"}},
        "load_avg_1m_before": round(load_before, 2),
        "trivial": trivial,
        "booking": booking,
        "trivial_after": trivial_after,
        "ratio_requests": round(booking["requests_per_s"] / trivial_rate, 3)
        if trivial_rate
        else None,
        "ratio_successful_bookings": (
            round(booking["successful_bookings_per_s"] / trivial_rate, 3) if trivial_rate else None
        ),
        "audit": audit,
        "targets": TARGETS,
    }
    sys.stderr.write(
        f"http booking: {booking['successful_bookings_per_s']} bookings/s "
        f"(p50 {booking['p50_ms']} ms, p99 {booking['p99_ms']} ms), trivial "
        f"{trivial_rate} req/s, ratio {result['ratio_requests']}, "
        f"over-bookings {audit['over_bookings']}\n"
    )
    return result


if __name__ == "__main__":
    json.dump(run(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
