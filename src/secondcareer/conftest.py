"""The named fixtures every test reuses (STYLE.md): staff of each role in a program,
the same roles in a second program, and a seeker aged 66, so an access test is one line;
and the two real programs, ``kobe`` and ``saitama``, loaded from their presets.

``program``/``other_program`` are minimal rows, to keep tests fast; tests that need the
real venues, services and calendars take ``kobe`` or ``saitama``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from secondcareer.devtools.testing.servers import gunicorn_pair  # noqa: F401 - a shared fixture
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role, Seeker, User
from secondcareer.people.services import ConsentInput, seeker_register, staff_create
from secondcareer.programs.models import Area, AreaKind, Program
from secondcareer.programs.services import program_load_preset
from secondcareer.scheduling.selectors import schedule_cache_clear

TODAY = dt.date(2026, 11, 20)
PASSWORD = "correct-horse-battery-staple"


def _program(slug: str, name: str, prefix: str, area_name: str) -> Program:
    program = Program.objects.create(
        slug=slug, name=name, client=f"{name}の委託元", card_prefix=prefix
    )
    Area.objects.create(
        program=program, code=f"{slug}-area", name=area_name, kind=AreaKind.MUNICIPALITY
    )
    return program


@pytest.fixture
def program(db: None) -> Program:
    return _program("alpha", "アルファ市セカンドキャリア事業", "AL", "アルファ市")


@pytest.fixture
def other_program(db: None) -> Program:
    return _program("beta", "ベータ県セカンドキャリアセンター", "BE", "ベータ町")


def _preset(slug: str) -> Program:
    # A fresh start for what outlives a test's transaction: the rate limits and lockouts
    # in the shared cache, and the per-process slot caches.
    cache.clear()
    schedule_cache_clear()
    return program_load_preset(path_or_name=slug).program


@pytest.fixture
def kobe(db: None) -> Program:
    """神戸市's program from ``programs/presets/kobe.yaml``."""
    return _preset("kobe")


@pytest.fixture
def saitama(db: None) -> Program:
    """埼玉県's program from ``programs/presets/saitama.yaml``."""
    return _preset("saitama")


def _staff(program: Program, role: str, suffix: str = "") -> User:
    return staff_create(
        username=f"{program.slug}-{role}{suffix}", password=PASSWORD, program=program, role=role
    )


@pytest.fixture
def manager(program: Program) -> User:
    return _staff(program, Role.MANAGER)


@pytest.fixture
def consultant(program: Program) -> User:
    return _staff(program, Role.CONSULTANT)


@pytest.fixture
def consultant2(program: Program) -> User:
    return _staff(program, Role.CONSULTANT, "-2")


@pytest.fixture
def receptionist(program: Program) -> User:
    return _staff(program, Role.RECEPTION)


@pytest.fixture
def job_developer(program: Program) -> User:
    return _staff(program, Role.JOB_DEVELOPER)


@pytest.fixture
def municipality_viewer(program: Program) -> User:
    return _staff(program, Role.MUNICIPALITY)


@pytest.fixture
def staff_of(program: Program, other_program: Program):  # type: ignore[no-untyped-def]
    """``staff_of(role)`` in the first program, ``staff_of(role, other=True)`` in the second."""
    made: dict[tuple[str, bool], User] = {}

    def make(role: str, *, other: bool = False) -> User:
        key = (role, other)
        if key not in made:
            made[key] = _staff(other_program if other else program, role)
        return made[key]

    return make


@pytest.fixture
def preset_staff(kobe: Program, saitama: Program):  # type: ignore[no-untyped-def]
    """``preset_staff(role)``: a staff member with ``role`` in the Kobe preset (username
    ``kobe-<role>``); ``preset_staff(role, program=saitama)`` in Saitama's. For the API
    tests, which need both presets' services and venues."""

    def make(role: str, *, program: Program | None = None) -> User:
        program = program or kobe
        return staff_create(
            username=f"{program.slug}-{role}", password=None, program=program, role=role
        )

    return make


def register_seeker(
    program: Program,
    *,
    birth_date: dt.date,
    family: str = "山田",
    given: str = "太郎",
    family_kana: str = "ヤマダ",
    given_kana: str = "タロウ",
    phone: str = "090-1234-5678",
) -> Seeker:
    return seeker_register(
        program=program,
        actor=None,
        channel="phone",
        family_name=family,
        given_name=given,
        family_name_kana=family_kana,
        given_name_kana=given_kana,
        birth_date=birth_date,
        phone=phone,
        area=program.areas.first(),
        registered_on=TODAY,
        consents=[ConsentInput(kind="privacy", version="1", method="verbal_phone")],
    )


@pytest.fixture
def seeker(program: Program) -> Seeker:
    """山田 太郎, 66 on TODAY (born 1960-05-01)."""
    return register_seeker(program, birth_date=dt.date(1960, 5, 1))


@pytest.fixture
def other_seeker(other_program: Program) -> Seeker:
    return register_seeker(
        other_program,
        birth_date=dt.date(1958, 2, 3),
        family="佐藤",
        given="花子",
        family_kana="サトウ",
        given_kana="ハナコ",
        phone="080-2222-3333",
    )


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """``client_for(user)``: the test client signed in as ``user`` with both factors (a
    real django-otp device, the session verified as the sign-in pages leave it)."""

    def login(user: User) -> Client:
        return sign_in_staff(client, user)

    return login


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    """pytest-django's ``admin_client``, signed in with both factors (its own uses
    ``force_login``, a password-only session that the admin now refuses)."""
    return sign_in_staff(Client(), admin_user)
