"""The SQLite version check names what is missing instead of failing at the first
booking with a syntax error."""

from __future__ import annotations

from secondcareer.booking.checks import check_sqlite_version, sqlite_too_old


def test_sqlite_before_3_35_is_refused_and_newer_is_accepted() -> None:
    assert sqlite_too_old((3, 34, 1))
    assert sqlite_too_old((3, 31, 0))
    assert not sqlite_too_old((3, 35, 0))
    assert not sqlite_too_old((3, 40, 1))


def test_this_machines_database_passes_the_check() -> None:
    assert check_sqlite_version() == []
