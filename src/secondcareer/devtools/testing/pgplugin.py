"""pytest plugin (loaded with ``-p`` from pyproject): chooses the test database.

``TEST_DB=sqlite`` (default) uses SQLite. ``TEST_DB=postgres`` starts a throwaway
cluster before Django reads its settings and stops it at the end. When the PostgreSQL
binaries are missing, the run says so loudly and stops without running anything on
PostgreSQL (the SQLite run has its own pass), unless ``REQUIRE_POSTGRES=1``, which makes
a missing PostgreSQL a failure.
"""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Generator
from pathlib import Path

import pytest

from secondcareer.devtools.testing.pgcluster import Cluster, PostgresUnavailable, start_cluster

_cluster: Cluster | None = None


def _loud(message: str) -> None:
    bar = "!" * 78
    sys.stderr.write(f"\n{bar}\n{message}\n{bar}\n\n")


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> Generator[None, None, None]:
    global _cluster
    os.environ.setdefault("SECONDCAREER_ENV", "test")
    wanted = os.environ.get("TEST_DB", "sqlite").lower()
    if wanted in {"postgres", "postgresql", "pg"} and not os.environ.get("DATABASE_URL"):
        try:
            _cluster = start_cluster()
        except PostgresUnavailable as exc:
            if os.environ.get("REQUIRE_POSTGRES") == "1":
                raise pytest.UsageError(
                    f"REQUIRE_POSTGRES=1 but PostgreSQL cannot start: {exc}"
                ) from exc
            _loud(f"PostgreSQL is NOT available, so this run tests SQLite only.\n{exc}")
            os.environ["SECONDCAREER_PG_SKIPPED"] = "1"
        else:
            os.environ["DATABASE_URL"] = _cluster.url()
            # Parallel workers (pytest-xdist) inherit the environment: they find the
            # cluster the controller started through these, and never stop it.
            os.environ["SECONDCAREER_PG_CLUSTER"] = os.pathsep.join(
                [str(_cluster.bin_dir), str(_cluster.root), _cluster.run_as or ""]
            )
            # pytest_unconfigure stops it; atexit covers a run that ends before pytest
            # is configured (a usage error in the arguments, say).
            atexit.register(_stop)
    return (yield)


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "restarts_database: stops and starts the shared PostgreSQL server, so it runs "
        "only when no other test process shares it (make test runs these after the "
        "parallel pass, without -n)",
    )


def _parallel(config: pytest.Config) -> bool:
    workers = getattr(config.option, "numprocesses", None)
    return bool(workers) or "PYTEST_XDIST_WORKER" in os.environ


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("SECONDCAREER_PG_SKIPPED") == "1":
        skip = pytest.mark.skip(reason="PostgreSQL binaries missing; SQLite run covers these")
        for item in items:
            item.add_marker(skip)
    elif _parallel(config):
        alone = pytest.mark.skip(
            reason="restarts the PostgreSQL server other test processes use: run without -n"
        )
        for item in items:
            if item.get_closest_marker("restarts_database"):
                item.add_marker(alone)


@pytest.fixture(scope="session")
def pg_cluster() -> Cluster:
    """The throwaway cluster this run started, for tests that stop and start the server
    (a database restart). Skipped when there is none (SQLite, or a DATABASE_URL given
    from outside, which a test must not restart). Whoever stops it starts it again and
    closes this process's connections (``django.db.connections.close_all()``)."""
    if _cluster is not None:
        return _cluster
    shared = os.environ.get("SECONDCAREER_PG_CLUSTER")
    if not shared:
        pytest.skip("needs the throwaway PostgreSQL cluster of TEST_DB=postgres")
    bin_dir, root, run_as = shared.split(os.pathsep)
    return Cluster(bin_dir=Path(bin_dir), root=Path(root), run_as=run_as or None)


def _stop() -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None


def pytest_unconfigure(config: pytest.Config) -> None:
    _stop()
