"""Demo data for people: staff of every role and realistic synthetic seekers.

Run by ``secondcareer seed-demo`` (see :mod:`secondcareer.core.demodata`). Everything
is derived from the context's seeded generators and one reference date,
``ctx.shared["today"]`` (the command sets it; ``timezone.localdate()`` otherwise), so
the same program, seed, count and reference date give the same people, birth dates,
phones, consents and card numbers.

What the seeders leave in ``ctx.shared`` for later seeders:

- ``today``: the reference date;
- ``staff``: role → usernames, and ``consultants``, ``receptionists``,
  ``job_developers``, ``managers``, ``municipality_viewers`` (lists of usernames);
- ``seeker_ids``: ids of all the program's seekers, in id order.

Time: the history ends before the reference day begins. Everyone registered on one
of the 364 days before it, at a time of day that suits the channel (the desk and the
phone line in office hours), and gave their consents then, so nothing is dated later
than the moment the demo runs, whatever its hour (see ``seed-demo``).

Generation (pure, no ORM) is separate from the writes, which go through
:func:`~secondcareer.people.services.staff_create` and
:func:`~secondcareer.people.services.seekers_register_bulk` (every rule of a single
registration, a few statements for all of them).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jaconv
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.core.jpcalendar import TOKYO, is_business_day
from secondcareer.people.demo_data import (
    BUILDINGS,
    DEFAULT_CHANNELS,
    DEFAULT_HEARD_FROM,
    EMAIL_DOMAINS,
    FEMALE_GIVEN_NAMES,
    MALE_GIVEN_NAMES,
    PUBLIC_HOUSING,
    REGIONS,
    SURNAMES,
    AreaData,
    RegionData,
)
from secondcareer.people.models import (
    ConsentKind,
    ConsentMethod,
    Gender,
    RegistrationChannel,
    Role,
    Seeker,
    User,
)
from secondcareer.people.services import (
    ConsentInput,
    SeekerRegistration,
    membership_grant,
    seekers_register_bulk,
    staff_create,
)

CONSENT_VERSION = "1"
# Registrations spread over the year before the reference date: the 364 days before it,
# never the reference day itself (its hours may be still to come when the demo runs).
HISTORY_DAYS = 365

# Age on the registration date → relative weight. Users of these centres are mostly in
# their sixties (peak 63–68, just after mandatory retirement and the end of re-employment
# contracts), with a thin tail to 85 and a few who come before turning 60.
AGE_WEIGHTS: dict[int, float] = {
    58: 1.0,
    59: 2.0,
    60: 5.0,
    61: 6.0,
    62: 7.0,
    63: 9.0,
    64: 10.0,
    65: 11.0,
    66: 11.0,
    67: 10.0,
    68: 9.0,
    69: 7.0,
    70: 6.0,
    71: 5.0,
    72: 4.0,
    73: 3.0,
    74: 2.5,
    75: 2.0,
    76: 1.5,
    77: 1.2,
    78: 1.0,
    79: 0.8,
    80: 0.6,
    81: 0.4,
    82: 0.3,
    83: 0.2,
    84: 0.15,
    85: 0.1,
}

# (role, how many) per program; usernames are 「<program>-<role>-<n>」.
STAFF_PLAN: tuple[tuple[str, int], ...] = (
    (Role.MANAGER, 2),
    (Role.RECEPTION, 3),
    (Role.CONSULTANT, 6),
    (Role.JOB_DEVELOPER, 2),
    (Role.MUNICIPALITY, 1),
)
SHARED_STAFF_KEYS: dict[str, str] = {
    Role.MANAGER: "managers",
    Role.RECEPTION: "receptionists",
    Role.CONSULTANT: "consultants",
    Role.JOB_DEVELOPER: "job_developers",
    Role.MUNICIPALITY: "municipality_viewers",
}

CONSENT_METHOD_BY_CHANNEL: dict[str, str] = {
    RegistrationChannel.LINE: ConsentMethod.LINE_FORM,
    RegistrationChannel.WEB: ConsentMethod.WEB_FORM,
    RegistrationChannel.PHONE: ConsentMethod.VERBAL_PHONE,
    RegistrationChannel.WALK_IN: ConsentMethod.PAPER,
    RegistrationChannel.EVENT: ConsentMethod.PAPER,
    RegistrationChannel.STAFF: ConsentMethod.PAPER,
}
# Channels where a person registers in front of (or on the phone with) reception staff,
# who are recorded as the registering user; online channels are self-registrations.
STAFFED_CHANNELS = frozenset(
    {RegistrationChannel.PHONE, RegistrationChannel.WALK_IN, RegistrationChannel.EVENT}
)

MOBILE_PREFIXES: tuple[tuple[str, float], ...] = (("090", 55), ("080", 35), ("070", 10))


# --- Pure generation ------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaPlan:
    """Where seekers of one program area live: the area, and its town list if known."""

    area_id: int
    name: str
    data: AreaData | None


@dataclass(frozen=True)
class PersonSpec:
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    sex: str  # the sex the given name belongs to (male/female)
    gender: str  # what is stored: the sex, 「回答しない」 or blank
    birth_date: dt.date
    registered_on: dt.date
    registered_at: dt.datetime  # when they registered and consented (Asia/Tokyo)
    phone: str
    email: str
    postal_code: str
    address: str
    area_id: int | None
    channel: str
    heard_from: str
    consents: tuple[ConsentInput, ...]
    actor_pick: int | None  # which receptionist registered them (index modulo), if any


@dataclass(frozen=True)
class StaffSpec:
    username: str
    role: str
    display_name: str


class _Weighted:
    """A reusable weighted choice (precomputed cumulative weights)."""

    def __init__(self, items: Mapping[Any, float] | Sequence[tuple[Any, float]]) -> None:
        pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
        self.values = [value for value, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cum)[0]


def _area_stem(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).replace(" ", "").replace("　", "")
    for prefix in ("兵庫県", "埼玉県", "神戸市", "北足立郡"):
        text = text.removeprefix(prefix)
    if len(text) > 1 and text[-1] in "区市町村":
        text = text[:-1]
    return text


def plan_areas(areas: Sequence[tuple[int, str]]) -> tuple[RegionData | None, list[AreaPlan]]:
    """Match a program's areas (id, name) to the region whose names fit most of them.
    Areas without a town list get a plan with ``data=None`` (generic addresses)."""
    best: RegionData | None = None
    best_matches: dict[int, AreaData] = {}
    for region in REGIONS:
        by_stem = {_area_stem(alias): data for data in region.areas for alias in data.names}
        matches = {
            area_id: by_stem[_area_stem(name)]
            for area_id, name in areas
            if _area_stem(name) in by_stem
        }
        if len(matches) > len(best_matches):
            best, best_matches = region, matches
    plans = [
        AreaPlan(area_id=area_id, name=name, data=best_matches.get(area_id))
        for area_id, name in areas
    ]
    return best, plans


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def birth_date_for_age(rng: random.Random, age: int, on: dt.date) -> dt.date:
    """A birth date on which the person is exactly ``age`` (満年齢) on ``on``."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


@lru_cache(maxsize=256)
def _given_name_picker(sex: str, birth_year: int) -> _Weighted:
    names = MALE_GIVEN_NAMES if sex == Gender.MALE else FEMALE_GIVEN_NAMES
    return _Weighted(
        [
            ((kanji, kana), math.exp(-(((birth_year - peak) / 7.0) ** 2)))
            for kanji, kana, peak in names
        ]
    )


def _surname_picker(region: RegionData | None) -> _Weighted:
    boost = region.surname_boost if region else {}
    return _Weighted(
        [
            ((kanji, kana), boost.get(kanji, 1.0) / (rank + 5) ** 0.7)
            for rank, (kanji, kana) in enumerate(SURNAMES)
        ]
    )


_ROMAJI = re.compile(r"[^a-z]")


def romaji(kana: str) -> str:
    return _ROMAJI.sub("", jaconv.kana2alphabet(jaconv.kata2hira(kana)).lower())


class PeopleGenerator:
    """Generates :class:`PersonSpec`s one after another from one generator: the first
    ``k`` people are the same whatever the total, which is what topping up relies on."""

    def __init__(
        self,
        rng: random.Random,
        *,
        today: dt.date,
        region: RegionData | None,
        areas: Sequence[AreaPlan],
    ) -> None:
        self.rng = rng
        self.today = today
        self.region = region
        self.areas = list(areas)
        self.area_picker = _Weighted(
            [(plan, plan.data.weight if plan.data else 20.0) for plan in self.areas]
        )
        self.surnames = _surname_picker(region)
        self.ages = _Weighted(AGE_WEIGHTS)
        self.channels = _Weighted(region.channels if region else DEFAULT_CHANNELS)
        self.heard_from = _Weighted(region.heard_from if region else DEFAULT_HEARD_FROM)
        self.mobile = _Weighted(MOBILE_PREFIXES)
        self.email_domains = _Weighted(EMAIL_DOMAINS)
        self.emails: set[str] = set()

    def people(self, count: int) -> list[PersonSpec]:
        return [self.person() for _ in range(count)]

    def person(self) -> PersonSpec:
        rng = self.rng
        region = self.region
        age = self.ages.pick(rng)
        channel = self.channels.pick(rng)
        if channel == RegistrationChannel.LINE and age >= 75 and rng.random() < 0.5:
            channel = RegistrationChannel.PHONE  # the oldest users phone rather than chat
        registered_on = self._registration_date(channel)
        registered_at = self._registration_time(channel, registered_on)
        birth_date = birth_date_for_age(rng, age, registered_on)

        sex = (
            Gender.MALE if rng.random() < (region.male_share if region else 0.55) else Gender.FEMALE
        )
        given_name, given_kana = _given_name_picker(sex, birth_date.year).pick(rng)
        family_name, family_kana = self.surnames.pick(rng)
        answer = rng.random()
        gender = sex if answer < 0.88 else (Gender.UNANSWERED if answer < 0.95 else "")

        plan: AreaPlan | None = self.area_picker.pick(rng) if self.areas else None
        postal_code, address = self._address(plan)
        phone = self._phone(plan, age)
        email = self._email(age, family_kana, given_kana, birth_date)

        heard_from = self.heard_from.pick(rng)
        if channel == RegistrationChannel.EVENT and rng.random() < 0.6:
            heard_from = "seminar"
        if rng.random() < 0.04:
            heard_from = ""

        method = CONSENT_METHOD_BY_CHANNEL[channel]
        kinds = [ConsentKind.PRIVACY]
        if rng.random() < 0.93:
            kinds.append(ConsentKind.DATA_SHARING_CLIENT)
        if rng.random() < 0.85:
            kinds.append(ConsentKind.JOB_REFERRAL)
        line_share = (
            0.9
            if channel == RegistrationChannel.LINE
            else (region.line_notices_without_line if region else 0)
        )
        if rng.random() < line_share:
            kinds.append(ConsentKind.LINE_NOTICES)
        if email and rng.random() < (region.mail_magazine_share if region else 0.5):
            kinds.append(ConsentKind.MAIL_MAGAZINE)
        consents = tuple(
            ConsentInput(kind=kind, version=CONSENT_VERSION, method=method) for kind in kinds
        )
        actor_pick = rng.randrange(1000) if channel in STAFFED_CHANNELS else None

        return PersonSpec(
            family_name=family_name,
            given_name=given_name,
            family_name_kana=family_kana,
            given_name_kana=given_kana,
            sex=sex,
            gender=gender,
            birth_date=birth_date,
            registered_on=registered_on,
            registered_at=registered_at,
            phone=phone,
            email=email,
            postal_code=postal_code,
            address=address,
            area_id=plan.area_id if plan else None,
            channel=channel,
            heard_from=heard_from,
            consents=consents,
            actor_pick=actor_pick,
        )

    def _registration_date(self, channel: str) -> dt.date:
        """A day of the year before the reference date, never the reference day."""
        first = self.today - dt.timedelta(days=HISTORY_DAYS - 1)
        day = self.today - dt.timedelta(days=1 + self.rng.randrange(HISTORY_DAYS - 1))
        if channel in STAFFED_CHANNELS:
            # The desk and the phone line are staffed on business days only.
            step = dt.timedelta(days=-1)
            while not is_business_day(day):
                if day + step < first:
                    step = dt.timedelta(days=1)
                day += step
        return day

    def _registration_time(self, channel: str, day: dt.date) -> dt.datetime:
        """When on ``day`` they registered: the desk and the phone line are staffed
        09:00–17:00; the LINE form and the web from early morning to late evening."""
        rng = self.rng
        if channel in STAFFED_CHANNELS or channel == RegistrationChannel.STAFF:
            minutes = 9 * 60 + rng.randrange(8 * 60 - 15)
        else:
            minutes = 7 * 60 + rng.randrange(16 * 60 - 1)
        return dt.datetime.combine(
            day, dt.time(minutes // 60, minutes % 60, rng.randrange(60)), tzinfo=TOKYO
        )

    def _address(self, plan: AreaPlan | None) -> tuple[str, str]:
        rng = self.rng
        if plan is None:
            return "", ""
        if plan.data is None or self.region is None:
            return "", f"{plan.name}{rng.randint(1, 30)}-{rng.randint(1, 20)}"
        postal, town, has_chome = rng.choice(plan.data.towns)
        if has_chome:
            street = f"{town}{rng.randint(1, 3)}丁目{rng.randint(1, 28)}-{rng.randint(1, 24)}"
        else:
            street = f"{town}{rng.randint(1, 1800)}-{rng.randint(1, 15)}"
        building = ""
        roll = rng.random()
        floor, room = rng.randint(1, 5), rng.randint(1, 8)
        if roll < 0.06:
            housing = PUBLIC_HOUSING.get(self.region.key, "公営住宅")
            building = f" {housing}{rng.randint(1, 12)}号棟{floor}{room:02d}号"
        elif roll < 0.24:
            building = f" {rng.choice(BUILDINGS)}{floor}{room:02d}"
        address = f"{self.region.prefecture}{plan.data.city}{street}{building}"
        return f"{postal[:3]}-{postal[3:]}", address

    def _phone(self, plan: AreaPlan | None, age: int) -> str:
        rng = self.rng
        landline_share = 0.25 if age < 70 else (0.4 if age < 75 else 0.55)
        if plan is not None and plan.data is not None and rng.random() < landline_share:
            exchange = rng.choice(plan.data.exchanges)
            return f"{plan.data.area_code}-{exchange}-{rng.randrange(10000):04d}"
        prefix = self.mobile.pick(rng)
        return f"{prefix}-{rng.randint(1, 9)}{rng.randrange(1000):03d}-{rng.randrange(10000):04d}"

    def _email(self, age: int, family_kana: str, given_kana: str, birth_date: dt.date) -> str:
        rng = self.rng
        share = 0.5 if age < 68 else (0.36 if age < 75 else 0.18)
        if rng.random() >= share:
            return ""
        family, given = romaji(family_kana), romaji(given_kana)
        yy = f"{birth_date.year % 100:02d}"
        pattern = rng.randrange(5)
        if pattern == 0:
            local = f"{given}.{family}"
        elif pattern == 1:
            local = f"{family}.{given}{yy}"
        elif pattern == 2:
            local = f"{given[0]}-{family}{birth_date.month:02d}{birth_date.day:02d}"
        elif pattern == 3:
            local = f"{family}{yy}"
        else:
            local = f"{given}{family[0]}{rng.randint(1, 99)}"
        domain = self.email_domains.pick(rng)
        email = f"{local}@{domain}"
        while email in self.emails:
            email = f"{local}{rng.randint(1, 999)}@{domain}"
        self.emails.add(email)
        return email


def staff_specs(rng: random.Random, *, slug: str, region: RegionData | None) -> list[StaffSpec]:
    """The program's staff: every role, Japanese names of working-age people."""
    surnames = _surname_picker(region)
    specs = []
    for role, count in STAFF_PLAN:
        for number in range(1, count + 1):
            sex = Gender.MALE if rng.random() < 0.5 else Gender.FEMALE
            given, _ = _given_name_picker(sex, rng.randint(1962, 1995)).pick(rng)
            family, _ = surnames.pick(rng)
            specs.append(
                StaffSpec(
                    username=f"{slug}-{role.replace('_', '-')}-{number}",
                    role=role,
                    display_name=f"{family} {given}",
                )
            )
    return specs


# --- Seeders ------------------------------------------------------------------------------


def reference_date(ctx: DemoContext) -> dt.date:
    """The date the demo history ends on (``ctx.shared["today"]``, set if missing)."""
    today = ctx.shared.get("today")
    if not isinstance(today, dt.date):
        today = timezone.localdate(timezone=TOKYO)
        ctx.shared["today"] = today
    return today


def _program_areas(ctx: DemoContext) -> tuple[RegionData | None, list[AreaPlan]]:
    areas = list(ctx.program.areas.order_by("id").values_list("id", "name"))
    return plan_areas(areas)


@demo_seeder(order=10, name="people.staff")
def seed_staff(ctx: DemoContext) -> None:
    """Staff of every role. Existing usernames are kept as they are (idempotent)."""
    reference_date(ctx)
    region, _ = _program_areas(ctx)
    specs = staff_specs(ctx.rng("people.staff"), slug=ctx.program.slug, region=region)
    password = ctx.shared.get("staff_password")
    # Hash the demo password once: the default hasher takes a noticeable time per call.
    encoded = make_password(password) if password else None
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=[s.username for s in specs])
    }
    created = 0
    by_role: dict[str, list[str]] = {role: [] for role, _ in STAFF_PLAN}
    for spec in specs:
        user = existing.get(spec.username)
        if user is None:
            user = staff_create(
                username=spec.username,
                password=None,
                program=ctx.program,
                role=spec.role,
                display_name=spec.display_name,
            )
            if encoded:
                user.password = encoded
                user.save(update_fields=["password"])
            created += 1
        else:
            membership_grant(user=user, program=ctx.program, role=spec.role)
        by_role[spec.role].append(spec.username)
    ctx.shared["staff"] = by_role
    for role, key in SHARED_STAFF_KEYS.items():
        ctx.shared[key] = by_role[role]
    ctx.log(f"people.staff: {len(specs)} staff in {len(by_role)} roles ({created} new)")


@demo_seeder(order=20, name="people.seekers")
def seed_seekers(ctx: DemoContext) -> None:
    """Tops the program up to ``ctx.seekers`` seekers: the program's existing seekers
    count as the first ones, and only the people after them are registered."""
    today = reference_date(ctx)
    program = ctx.program
    existing = Seeker.objects.filter(program=program).count()
    if existing < ctx.seekers:
        region, areas = _program_areas(ctx)
        generator = PeopleGenerator(
            ctx.rng("people.seekers"), today=today, region=region, areas=areas
        )
        people = generator.people(ctx.seekers)[existing:]
        receptionists = list(
            User.objects.filter(username__in=ctx.shared.get("receptionists", [])).order_by(
                "username"
            )
        )
        areas_by_id = {area.pk: area for area in program.areas.all()}
        # Card numbers follow the moment of registration, as they would have been issued.
        people.sort(key=lambda p: p.registered_at)
        seekers_register_bulk(
            program=program,
            registrations=[
                SeekerRegistration(
                    actor=(
                        receptionists[person.actor_pick % len(receptionists)]
                        if person.actor_pick is not None and receptionists
                        else None
                    ),
                    channel=person.channel,
                    family_name=person.family_name,
                    given_name=person.given_name,
                    family_name_kana=person.family_name_kana,
                    given_name_kana=person.given_name_kana,
                    birth_date=person.birth_date,
                    phone=person.phone,
                    email=person.email,
                    postal_code=person.postal_code,
                    address=person.address,
                    area=areas_by_id.get(person.area_id) if person.area_id is not None else None,
                    gender=person.gender,
                    heard_from=person.heard_from,
                    registered_on=person.registered_on,
                    consents=person.consents,
                    consented_at=person.registered_at,
                )
                for person in people
            ],
        )
        created = len(people)
    else:
        created = 0
    ids = list(Seeker.objects.filter(program=program).order_by("id").values_list("id", flat=True))
    ctx.shared["seeker_ids"] = ids
    ctx.log(
        f"people.seekers: {created} registered, {len(ids)} in the program (asked for {ctx.seekers})"
    )
