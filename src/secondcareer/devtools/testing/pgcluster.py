"""A throwaway PostgreSQL cluster for the test suite.

``initdb`` a fresh data directory in a temporary folder, start ``postgres`` on a Unix
socket in that folder (no TCP port, so parallel runs never collide), hand back a
``DATABASE_URL``, and remove everything on stop. When the process runs as root (CI
containers), the cluster runs as the ``postgres`` system user, since PostgreSQL refuses
to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


class PostgresUnavailable(RuntimeError):
    pass


def find_pg_bin() -> Path | None:
    """The directory holding initdb and pg_ctl: $PG_BIN, PATH, or Debian's layout."""
    candidates: list[Path] = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


@dataclass
class Cluster:
    bin_dir: Path
    root: Path
    run_as: str | None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@{quote(str(self.socket_dir), safe='')}/{dbname}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"{args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.server_start()

    def server_start(self) -> None:
        """Start the server on the existing data directory (after :meth:`server_stop`)."""
        options = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories={self.socket_dir}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
                "-c shared_buffers=128MB",
            ]
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def server_stop(self) -> None:
        """Stop the server as a restart does (``-m fast``: sessions are ended, data is
        kept); :meth:`server_start` brings it back."""
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60", "stop")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        except PostgresUnavailable:
            pass
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise PostgresUnavailable("initdb/pg_ctl not found (set PG_BIN or install PostgreSQL)")
    root = Path(tempfile.mkdtemp(prefix="sc-pg-"))
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres"
        try:
            entry = pwd.getpwnam(run_as)
        except KeyError as exc:
            shutil.rmtree(root, ignore_errors=True)
            raise PostgresUnavailable("running as root and there is no 'postgres' user") from exc
        os.chown(root, entry.pw_uid, entry.pw_gid)
        os.chmod(root, 0o755)  # noqa: S103 - root must reach the socket
    cluster = Cluster(bin_dir=bin_dir, root=root, run_as=run_as)
    try:
        cluster.start()
    except Exception:
        cluster.stop()
        raise
    return cluster
