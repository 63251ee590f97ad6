"""The case fixtures of the consultations tests (staff of the Saitama preset, frozen
time), for the staff home's tests."""

from secondcareer.consultations.tests.conftest import (  # noqa: F401 - pytest fixtures
    frozen,
    st_consultant,
    st_consultant2,
    st_manager,
)
