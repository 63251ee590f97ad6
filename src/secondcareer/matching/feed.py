"""The database feed of the matching engine (docs/matching.md, "The database feed").

:func:`feed_for` reads a program's open postings of one day and builds the engine's
column arrays and its :class:`~secondcareer.matching.engine.Index` (the TF-IDF
vocabulary is fitted here); :func:`seekers_for` adds the program's matching profiles
(for the reverse direction, seekers for a posting). Both are cached per process in an
:class:`~secondcareer.matching.engine.IndexCache`, keyed by the program, under a
version read cheaply from the database at every call:

- postings: the day, then (count, max ``updated_at``, max id) of the program's
  postings — the Hello Work import and the jobs services stamp ``updated_at`` on every
  row they create, change or close — and (count, adjacency links) of its areas;
- profiles: the postings' version, then (count, max ``updated_at``) of the profiles
  and max ``updated_at`` of their seekers (a move changes the home area).

An edit made in another process is therefore seen at the next call, without a signal.

How Hello Work's fields become the engine's numbers:

- 就業時間 → hours a day: the first ``9時00分～13時00分`` / ``8:30~17:30`` range, less
  the break it states (休憩60分) or, without one, the legal minimum (45 minutes over
  6 hours, an hour over 8); unreadable: 8 hours. Its start gives the time of day.
- 週所定労働日数 missing: 5 days.
- 賃金 → yen per hour with the engine's ``to_hourly`` (a monthly wage over the hours of an
  average month); an open upper bound (「1,080円～」) counts as the lower one.
- 年齢 → the bounds (「64歳以下」「60歳以上」「18歳～64歳」), and without a figure but
  with 年齢制限, the 定年 less one; they apply only when 年齢制限 is set and its
  該当事由 is lawful (:func:`age_limit_is_lawful`).
- the employer's 身体的な負担 → 0 light, 1 medium, 2 heavy (unknown: light).
- areas: the program's areas in id order plus one "unknown" area that nothing reaches;
  the commute between two areas is estimated from the adjacency the preset gives:
  20 minutes within an area, 20 more per area crossed (programs holds no travel times).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from secondcareer.jobs.models import JobPosting, PostingStatus
from secondcareer.matching.engine import IndexCache, Postings, Seeker, to_hourly
from secondcareer.matching.engine.index import Index
from secondcareer.matching.engine.wages import WageKind
from secondcareer.matching.models import EMPLOYMENT_TYPES, SeekerProfile
from secondcareer.people.ages import age_on
from secondcareer.people.models import SeekerStatus
from secondcareer.programs.models import Area, Program

SAME_AREA_MINUTES = 20.0
MINUTES_PER_AREA = 20.0
DEFAULT_HOURS = 8.0
DEFAULT_DAYS = 5
LOADS = {"light": 0, "medium": 1, "heavy": 2}
_FORMS: dict[str, WageKind] = {"hourly": "hourly", "daily": "daily", "monthly": "monthly"}

FEEDS: IndexCache[Feed] = IndexCache()
SEEKER_INDEXES: IndexCache[SeekerIndex] = IndexCache()


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


# --- Hello Work's texts --------------------------------------------------------------------

_RANGE = re.compile(
    r"(\d{1,2})\s*(?:時|:)\s*(\d{1,2})?\s*分?\s*[~〜\-ー－―−から]+\s*(\d{1,2})\s*(?:時|:)\s*(\d{1,2})?"
)
_BREAK = re.compile(r"休憩\D{0,6}(\d{1,3})\s*分")
_BREAK_HOURS = re.compile(r"休憩\D{0,6}(\d)(?:\.(\d))?\s*時間")


@dataclass(frozen=True)
class WorkingHours:
    hours: float  # a working day, breaks excluded
    start: float  # hour of day the work starts (NaN: unknown)
    end: float


def working_hours(text: str) -> WorkingHours:
    """Hours of a working day and its start from a 就業時間 text (see the module)."""
    value = normalise(text)
    match = _RANGE.search(value)
    if not match:
        return WorkingHours(DEFAULT_HOURS, math.nan, math.nan)
    start = int(match[1]) + int(match[2] or 0) / 60
    end = int(match[3]) + int(match[4] or 0) / 60
    span = end - start if end > start else end + 24 - start
    if not 0 < span <= 24:
        return WorkingHours(DEFAULT_HOURS, math.nan, math.nan)
    stated = _BREAK.search(value)
    stated_hours = _BREAK_HOURS.search(value)
    if stated:
        rest = int(stated[1]) / 60
    elif stated_hours:
        rest = int(stated_hours[1]) + int(stated_hours[2] or 0) / 10
    elif span > 8:
        rest = 1.0
    elif span > 6:
        rest = 0.75
    else:
        rest = 0.0
    hours = max(span - rest, 0.5)
    return WorkingHours(round(hours, 2), start, end)


_AT_LEAST = re.compile(r"(\d{2})\s*歳\s*以上")
_AT_MOST = re.compile(r"(\d{2})\s*歳\s*(以下|まで)")
_UNDER = re.compile(r"(\d{2})\s*歳\s*未満")
_BETWEEN = re.compile(r"(\d{2})\s*歳?\s*[~〜\-ー－―−]\s*(\d{2})\s*歳")


def age_bounds(text: str, retirement_age: int | None = None) -> tuple[int | None, int | None]:
    """(lower, upper) of a 年齢 text; without a figure, the 定年 less one as the upper."""
    value = normalise(text)
    low = high = None
    if between := _BETWEEN.search(value):
        low, high = int(between[1]), int(between[2])
    else:
        if at_least := _AT_LEAST.search(value):
            low = int(at_least[1])
        if at_most := _AT_MOST.search(value):
            high = int(at_most[1])
        elif under := _UNDER.search(value):
            high = int(under[1]) - 1
    if low is None and high is None and retirement_age:
        high = retirement_age - 1
    return low, high


# 雇用対策法施行規則1条の3第1項: 1号 定年を上限, 2号 法令の規定, 3号イ 長期勤続による
# キャリア形成（若年者）, ロ 技能・ノウハウの継承, ハ 芸術・芸能, ニ 60歳以上の高年齢者
# または特定の年齢層の雇用を促進する国の施策の対象.
_LAWFUL = (
    "1号",
    "2号",
    "3号",
    "定年",
    "法令",
    "長期勤続",
    "キャリア形成",
    "技能",
    "ノウハウ",
    "芸術",
    "芸能",
    "高年齢者",
    "60歳以上",
    "国の施策",
    "雇用促進",
)


def age_limit_is_lawful(age_limited: bool, reason: str) -> bool:
    """Whether a posting's 年齢制限 applies: set, with a 該当事由 the law allows."""
    if not age_limited:
        return False
    value = normalise(reason)
    return any(word in value for word in _LAWFUL)


# --- the commute matrix ----------------------------------------------------------------------


def commute_matrix(area_ids: list[int], links: Iterable[tuple[int, int]]) -> np.ndarray:
    """Minutes between the areas (and a last, unknown area nothing reaches), from the
    adjacency: within an area :data:`SAME_AREA_MINUTES`, :data:`MINUTES_PER_AREA` more
    per area crossed, ∞ when not connected."""
    size = len(area_ids)
    row_of = {pk: i for i, pk in enumerate(area_ids)}
    neighbours: list[set[int]] = [set() for _ in range(size)]
    for a, b in links:
        if a in row_of and b in row_of:
            neighbours[row_of[a]].add(row_of[b])
            neighbours[row_of[b]].add(row_of[a])
    minutes = np.full((size + 1, size + 1), np.inf)
    for origin in range(size):
        hops = {origin: 0}
        queue = deque([origin])
        while queue:
            here = queue.popleft()
            for there in neighbours[here]:
                if there not in hops:
                    hops[there] = hops[here] + 1
                    queue.append(there)
        for there, count in hops.items():
            minutes[origin, there] = SAME_AREA_MINUTES + MINUTES_PER_AREA * count
    return minutes


# --- the feed ----------------------------------------------------------------------------------


@dataclass(eq=False)
class Feed:
    """A program's open postings of one day as the engine's index, with what maps the
    database's values onto the engine's codes."""

    program_id: int
    on: dt.date
    index: Index
    area_ids: tuple[int, ...]  # the engine's area i is Area ``area_ids[i]``; the last: unknown
    occupations: tuple[str, ...]  # occupation code → its normalised text
    type_codes: dict[str, int]  # 雇用形態 → code
    created: np.ndarray  # by row: the posting's created_at (POSIX seconds)
    starts: np.ndarray  # by row: hour of day the work starts (NaN: unknown)
    _wished: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def unknown_area(self) -> int:
        return len(self.area_ids)

    def area_row(self, area_id: int | None) -> int:
        """The engine's index of an area (the unknown area for None or another's)."""
        if area_id is None:
            return self.unknown_area
        return self._area_rows.get(area_id, self.unknown_area)

    def __post_init__(self) -> None:
        self._area_rows = {pk: i for i, pk in enumerate(self.area_ids)}

    def occupation_codes(self, wishes: Iterable[str]) -> frozenset[int]:
        """The codes of the postings' occupations that a wish names: one contains the
        other (「清掃」 wishes 清掃スタッフ and ビル清掃)."""
        codes: set[int] = set()
        for wish in wishes:
            key = normalise(wish)
            if not key:
                continue
            found = self._wished.get(key)
            if found is None:
                found = frozenset(
                    code
                    for code, name in enumerate(self.occupations)
                    if name and (key in name or name in key)
                )
                self._wished[key] = found
            codes |= found
        # a wish that names no posting's occupation still counts as a wish
        return frozenset(codes) if codes else frozenset({-1})


def postings_version(program: Program) -> Hashable:
    """The program's latest posting change and newest posting (two index look-ups:
    ``jobs_posting_changed`` and the primary key), and its areas and links. A deleted
    posting needs no new version: the selectors skip rows no longer in the database."""
    postings = JobPosting.objects.filter(program=program)
    last = postings.order_by("-updated_at").values_list("updated_at", flat=True).first()
    top = postings.order_by("-id").values_list("id", flat=True).first()
    areas = Area.objects.filter(program=program).aggregate(
        n=Count("id", distinct=True), links=Count("adjacent")
    )
    return (last, top, areas["n"], areas["links"])


def feed_for(program: Program, on: dt.date) -> Feed:
    """The program's open postings on ``on`` as an engine index, cached per process."""
    version = (on, postings_version(program))
    return FEEDS.get(("postings", program.pk), version, lambda: build_feed(program, on))


@dataclass(frozen=True, eq=False)
class FeedArrays:
    """What :func:`postings_arrays` reads: the engine's postings and commute matrix, and
    the maps from the database's values to the engine's codes."""

    postings: Postings
    commute: np.ndarray
    area_ids: tuple[int, ...]
    occupations: tuple[str, ...]
    type_codes: dict[str, int]
    created: np.ndarray
    starts: np.ndarray


def build_feed(program: Program, on: dt.date) -> Feed:
    """Read the open postings, build the arrays and fit the index (uncached)."""
    arrays = postings_arrays(program, on)
    return Feed(
        program_id=program.pk,
        on=on,
        index=Index.build(arrays.postings, arrays.commute),
        area_ids=arrays.area_ids,
        occupations=arrays.occupations,
        type_codes=arrays.type_codes,
        created=arrays.created,
        starts=arrays.starts,
    )


def postings_arrays(program: Program, on: dt.date) -> FeedArrays:
    """The program's open postings on ``on`` as the engine's column arrays (one query
    for the postings, two for the areas)."""
    area_ids = list(
        Area.objects.filter(program=program).order_by("id").values_list("id", flat=True)
    )
    through = Area.adjacent.through
    links = through.objects.filter(from_area__program=program).values_list(
        "from_area_id", "to_area_id"
    )
    commute = commute_matrix(area_ids, links)
    area_row = {pk: i for i, pk in enumerate(area_ids)}
    unknown = len(area_ids)
    rows = list(
        JobPosting.objects.filter(
            program=program, status=PostingStatus.OPEN, referral_deadline__gte=on
        )
        .order_by("id")
        .values_list(
            "id",
            "workplace_area_id",
            "occupation",
            "description",
            "requirements",
            "employment_type",
            "wage_from",
            "wage_to",
            "wage_type",
            "working_hours",
            "days_per_week",
            "age",
            "age_limited",
            "age_limit_reason",
            "retirement_age",
            "employer__physical_load",
            "created_at",
        )
    )
    return _arrays(rows, area_ids, area_row, unknown, commute)


def _arrays(
    rows: list[tuple[Any, ...]],
    area_ids: list[int],
    area_row: dict[int, int],
    unknown: int,
    commute: np.ndarray,
) -> FeedArrays:
    size = len(rows)
    ids = np.empty(size, dtype=np.int64)
    area = np.empty(size, dtype=np.int32)
    age_min = np.full(size, np.nan)
    age_max = np.full(size, np.nan)
    lawful = np.zeros(size, dtype=bool)
    days = np.empty(size, dtype=np.int16)
    hours = np.empty(size)
    wage_from = np.empty(size)
    wage_to = np.empty(size)
    types = np.empty(size, dtype=np.int16)
    load = np.empty(size, dtype=np.int16)
    occupation = np.empty(size, dtype=np.int64)
    created = np.empty(size)
    starts = np.empty(size)
    texts: list[str] = []
    type_codes = {name: code for code, name in enumerate(EMPLOYMENT_TYPES)}
    occupation_codes: dict[str, int] = {}
    shifts: dict[str, WorkingHours] = {}
    ages: dict[tuple[str, int | None], tuple[int | None, int | None]] = {}
    reasons: dict[tuple[bool, str], bool] = {}
    for i, (
        pk,
        area_id,
        job,
        description,
        requirements,
        kind,
        low,
        high,
        wage_type,
        shift_text,
        day_count,
        age_text,
        limited,
        reason,
        retirement,
        physical,
        created_at,
    ) in enumerate(rows):
        ids[i] = pk
        area[i] = area_row.get(area_id, unknown) if area_id is not None else unknown
        shift = shifts.get(shift_text)
        if shift is None:
            shift = shifts[shift_text] = working_hours(shift_text)
        hours[i] = shift.hours
        starts[i] = shift.start
        days[i] = day_count or DEFAULT_DAYS
        kind_key = normalise(kind)
        code = type_codes.get(kind_key)
        if code is None:
            code = type_codes[kind_key] = len(type_codes)
        types[i] = code
        job_key = normalise(job)
        occ = occupation_codes.get(job_key)
        if occ is None:
            occ = occupation_codes[job_key] = len(occupation_codes)
        occupation[i] = occ
        form: WageKind = _FORMS.get(wage_type, "hourly")
        wage_from[i] = to_hourly(low, form, hours_per_day=shift.hours, days_per_week=days[i])
        wage_to[i] = (
            wage_from[i]
            if high is None
            else to_hourly(high, form, hours_per_day=shift.hours, days_per_week=days[i])
        )
        key = (bool(limited), reason)
        ok = reasons.get(key)
        if ok is None:
            ok = reasons[key] = age_limit_is_lawful(bool(limited), reason)
        lawful[i] = ok
        if ok:
            bounds = ages.get((age_text, retirement))
            if bounds is None:
                bounds = ages[(age_text, retirement)] = age_bounds(age_text, retirement)
            if bounds[0] is not None:
                age_min[i] = bounds[0]
            if bounds[1] is not None:
                age_max[i] = bounds[1]
        load[i] = LOADS.get(physical or "", 0)
        created[i] = created_at.timestamp()
        texts.append(f"{job}\n{description}\n{requirements}")
    postings = Postings(
        ids=ids,
        area=area,
        age_min=age_min,
        age_max=age_max,
        age_limit_lawful=lawful,
        days_per_week=days,
        hours_per_day=hours,
        wage_from=wage_from,
        wage_to=wage_to,
        employment_type=types,
        physical_load=load,
        occupation=occupation,
        texts=texts,
    )
    occupations = [""] * len(occupation_codes)
    for name, code in occupation_codes.items():
        occupations[code] = name
    return FeedArrays(
        postings=postings,
        commute=commute,
        area_ids=tuple(area_ids),
        occupations=tuple(occupations),
        type_codes=type_codes,
        created=created,
        starts=starts,
    )


# --- profiles → the engine's seekers ------------------------------------------------------------


@dataclass(frozen=True)
class ProfileFacts:
    """What the engine needs of a profile and its seeker (read in bulk or one by one)."""

    seeker_id: int
    birth_date: dt.date
    home_area_id: int | None
    wished_area_ids: tuple[int, ...]
    max_commute_minutes: int
    days_per_week: int
    hours_per_day: float
    min_hourly_wage: int
    employment_types: tuple[str, ...]
    physical_limit: str
    wished_occupations: tuple[str, ...]
    career_text: str


def career_text(career_history: str, skills: str, licences: str) -> str:
    return "\n".join(part for part in (career_history, skills, licences) if part)


def facts_of(profile: SeekerProfile) -> ProfileFacts:
    """One profile's facts (its ``seeker`` and ``wished_areas`` loaded or fetched)."""
    return ProfileFacts(
        seeker_id=profile.seeker_id,
        birth_date=profile.seeker.birth_date,
        home_area_id=profile.seeker.area_id,
        wished_area_ids=tuple(a.pk for a in profile.wished_areas.all()),
        max_commute_minutes=profile.max_commute_minutes,
        days_per_week=profile.days_per_week,
        hours_per_day=profile.hours_per_day,
        min_hourly_wage=profile.min_hourly_wage,
        employment_types=tuple(profile.employment_types or ()),
        physical_limit=profile.physical_limit,
        wished_occupations=tuple(profile.wished_occupations or ()),
        career_text=career_text(profile.career_history, profile.skills, profile.licences),
    )


def engine_seeker(feed: Feed, facts: ProfileFacts, on: dt.date) -> Seeker:
    """A profile as the engine's seeker, in the feed's codes."""
    types = frozenset(
        feed.type_codes.get(normalise(t), len(feed.type_codes) + 100)
        for t in facts.employment_types
    )
    wished = (
        feed.occupation_codes(facts.wished_occupations) if facts.wished_occupations else frozenset()
    )
    try:
        age = age_on(facts.birth_date, on)
    except ValueError:
        age = 0
    return Seeker(
        id=facts.seeker_id,
        age=age,
        home_area=feed.area_row(facts.home_area_id),
        max_commute_minutes=float(facts.max_commute_minutes),
        max_days_per_week=int(facts.days_per_week),
        max_hours_per_day=float(facts.hours_per_day),
        min_hourly_wage=float(facts.min_hourly_wage),
        physical_limit=LOADS.get(facts.physical_limit, 2),
        wished_areas=frozenset(
            row for a in facts.wished_area_ids if (row := feed.area_row(a)) != feed.unknown_area
        ),
        employment_types=types,
        wished_occupations=wished,
        career_text=facts.career_text,
    )


_PROFILE_FIELDS = (
    "id",
    "seeker_id",
    "seeker__birth_date",
    "seeker__area_id",
    "max_commute_minutes",
    "days_per_week",
    "hours_per_day",
    "min_hourly_wage",
    "employment_types",
    "physical_limit",
    "wished_occupations",
    "career_history",
    "skills",
    "licences",
)


def indexed_profiles(program: Program) -> list[ProfileFacts]:
    """The facts of every profile of the program whose seeker is being supported
    (status active, not anonymised), in two queries."""
    rows = list(
        SeekerProfile.objects.filter(
            program=program,
            seeker__status=SeekerStatus.ACTIVE,
            seeker__anonymised_on__isnull=True,
        )
        .order_by("seeker_id")
        .values_list(*_PROFILE_FIELDS)
    )
    through = SeekerProfile.wished_areas.through
    wished: dict[int, list[int]] = {}
    for profile_id, area_id in through.objects.filter(seekerprofile__program=program).values_list(
        "seekerprofile_id", "area_id"
    ):
        wished.setdefault(profile_id, []).append(area_id)
    return [
        ProfileFacts(
            seeker_id=seeker_id,
            birth_date=birth_date,
            home_area_id=home,
            wished_area_ids=tuple(wished.get(pk, ())),
            max_commute_minutes=commute,
            days_per_week=days,
            hours_per_day=hours,
            min_hourly_wage=wage,
            employment_types=tuple(types or ()),
            physical_limit=physical,
            wished_occupations=tuple(occupations or ()),
            career_text=career_text(history, skills, licences),
        )
        for (
            pk,
            seeker_id,
            birth_date,
            home,
            commute,
            days,
            hours,
            wage,
            types,
            physical,
            occupations,
            history,
            skills,
            licences,
        ) in rows
    ]


@dataclass(frozen=True, eq=False)
class SeekerIndex:
    """The feed's index with the program's profiles indexed as seekers."""

    feed: Feed
    index: Index


def profiles_version(program: Program) -> Hashable:
    found = SeekerProfile.objects.filter(program=program).aggregate(
        n=Count("id"), last=Max("updated_at"), moved=Max("seeker__updated_at")
    )
    return (found["n"], found["last"], found["moved"])


def seekers_for(program: Program, feed: Feed) -> SeekerIndex:
    """The feed with the program's profiles as the index's seekers, cached per process."""
    version = (id(feed), feed.on, profiles_version(program))

    def build() -> SeekerIndex:
        seekers = [engine_seeker(feed, facts, feed.on) for facts in indexed_profiles(program)]
        return SeekerIndex(feed=feed, index=feed.index.rebuild(seekers=seekers))

    return SEEKER_INDEXES.get(("seekers", program.pk), version, build)


def today() -> dt.date:
    return timezone.localdate()
