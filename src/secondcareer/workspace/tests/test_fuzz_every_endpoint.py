"""Every endpoint under junk never answers 5xx, on SQLite and on PostgreSQL.

:data:`ROUTES` lists each URL pattern of the project with the inputs its view reads
(path parameters, query parameters, form fields, JSON fields). The first test takes the
patterns from the URL resolver itself, so an endpoint added without an entry here fails
it. The fuzz then sends each one junk in every input it reads: NUL bytes, lone
surrogates, bidirectional controls, control characters, dates near year 1 and 9999,
long strings, numbers past 64 bits, wrong JSON types, JSON nested thousands deep,
bodies over the limits, wrong methods and content types, good and bad tokens, mixed
with values that are right (the real program, a bookable start, a real reservation),
so that the junk reaches the code behind the first check. API errors must come in the
API's JSON error shape.

Staff pages are fuzzed signed in (``client_for``); each request runs in a savepoint
that is rolled back and the client's cookies are put back, so every example starts
from the same data, signed in, whatever the one before did (sign-out included).

The run is bounded by the ``endpoint-fuzz`` Hypothesis profile: ``FUZZ_EXAMPLES``
examples per route (default 12) times the route's weight (8 for the API, 2 for the
public forms), no deadline: about 800 requests, 300 of them to the API. The webhook's signed-body fuzz is
``messaging/line/tests/test_webhook_fuzz.py``; here it gets unsigned junk.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from secondcareer.apitokens.services import api_token_create
from secondcareer.booking.feeds import feed_token
from secondcareer.booking.models import Channel as BookingChannel
from secondcareer.booking.selectors import availability, get_service
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.consultations.services import consultation_record_create
from secondcareer.devtools.fakeline import Channel as LineChannel
from secondcareer.jobs.services import employer_create, posting_create
from secondcareer.matching.services import profile_save
from secondcareer.messaging.chat_links import chat_token
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import LineUser
from secondcareer.messaging.services import (
    chat_message_post_seeker,
    chat_thread_open,
    inquiry_answer,
    inquiry_open,
)
from secondcareer.people.models import Role, User
from secondcareer.people.services import membership_grant, staff_create
from secondcareer.placements.internships.services import internship_create
from secondcareer.placements.services import placement_create, referral_create
from secondcareer.programs.models import Program
from secondcareer.programs.services import program_load_preset

pytestmark = pytest.mark.django_db

settings.register_profile(
    "endpoint-fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FUZZ = settings(settings.get_profile("endpoint-fuzz"))

# Patterns not fuzzed here, and why. Anything else the resolver knows must be in ROUTES.
NOT_FUZZED = {
    "^fakeline/(?P<path>.*)$": "the fake LINE platform of the demo and the tests, a 404 in "
    "production (FAKE_LINE_ENABLED off); tested in fakeline/tests",
}
NOT_FUZZED_PREFIXES = {
    "admin/": "Django's own admin, for superusers only (configuration across programs)",
}

# --- junk ---------------------------------------------------------------------------------

# fmt: off
NASTY_TEXT = [
    "\x00", "kobe\x00", "a\x00b", "\ud800", "\udfff\ud800", "x\udc00",  # NUL, surrogates
    "\u202e", "\u2066山田\u2069", "\u200e", "\u200f", "\u200b", "\ufeff",  # bidi, invisible
    "\x1b[31m", "\x08", "\x7f", "\ufffe",  # control characters, a non-character
    "", " ", "\u3000", "x" * 3000, "あ" * 400,  # empty, blank, long
    "-1", "0", "2147483648", "9223372036854775808", "1" * 40, "1e400", "NaN",  # numbers
    "true", "null", "[]", "{}", "<script>alert(1)</script>", "' OR '1'='1",
    "../../etc/passwd", "%00", "%ZZ", "\\", "１２３", "😀",
]
FAR_DATES = [
    "9999-12-31", "9999-12-30", "0001-01-01", "1899-12-31", "2101-01-01", "2026-13-45",
    "2026-02-30", "99991231", "2026-W53-7", "2026-12-03", "2100-12-31", "1900-01-01",
]
FAR_DATETIMES = [
    "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59", "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00", "2100-12-31T23:59:59-14:00", "2026-12-03T14:00",
    "2026-12-03T14:00:00+09:00", "2026-12-03 14:00", "T14:00", "14:00",
]
CODES = [
    "kobe", "alpha", "online", "in_person", "sannomiya_east", "video", "phone", "staff",
    "web", "line", "day", "week", "open", "all", "on", "attended", "no_show", "job_search",
]
JSON_ODD: list[Any] = [
    None, True, False, 0, -1, 1.5, 2**64, -(2**63) - 1, 10**30, 1e308,  # wrong types, sizes
    [], {}, [[[]]], {"a": {"b": None}}, "",
    *NASTY_TEXT[:16], *FAR_DATETIMES[:4],
]
# fmt: on


def text_values(good: list[str]) -> st.SearchStrategy[str]:
    return (
        st.sampled_from(good or CODES)
        | st.sampled_from(NASTY_TEXT + FAR_DATES + FAR_DATETIMES + CODES)
        | st.text(max_size=24)
    )


def quoted(value: str) -> str:
    """Percent-encoded as a browser would (a lone surrogate as its UTF-8 bytes)."""
    return quote(value, safe="", errors="surrogatepass")


def form_encoded(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quoted(k)}={quoted(v)}" for k, v in pairs).encode("ascii")


def nested_json(depth: int, opener: str = "[", closer: str = "]") -> bytes:
    return (opener * depth + "1" + closer * depth).encode()


# fmt: off
RAW_BODIES = [
    b"", b" ", b"{", b"}", b"null", b"[]", b'"text"', b"\xff\xfe\x00", b"\xed\xa0\x80",
    b'{"program": NaN}', b'{"program": "kobe", "seeker_id": 1e400}',
    b'{"seeker_id": ' + b"9" * 5000 + b"}",  # past Python's digit limit
    b'{"program": "\\u0000"}', b'{"program": "\\ud800"}', b'{"program": "kobe"} trailing',
    b"\xef\xbb\xbf{}", nested_json(33), nested_json(1000), nested_json(1000, '{"a":', "}"),
    b"[" * 100_000, b'{"topic": "' + b"x" * 70_000 + b'"}',  # cut short; over 64 KiB
    b"program=kobe&service=online",
]
# fmt: on

# --- the world the endpoints see ------------------------------------------------------------


@dataclass
class World:
    kobe: Program
    staff: User
    seeker_id: int
    reservation_id: int
    cancel_token: str
    open_inquiry_id: int
    answer_token: str
    feed_token: str
    api_token: str
    starts: list[str]
    id_token: Callable[[], str]
    case_id: int
    chat_thread_id: int
    chat_token: str

    # Set for each request: whether its path parameters are junk too, or the real ones.
    spoil_path: bool = True
    # The jobs app's rows: an employer with a contact, an own posting.
    employer_id: int = 0
    contact_id: int = 0
    posting_id: int = 0
    # The placements app's rows: a referral of the seeker, a placement and a follow-up.
    referral_id: int = 0
    placement_id: int = 0
    followup_id: int = 0
    # placements' internship (of the world's seeker at its employer).
    internship_id: int = 0

    def slugs(self) -> st.SearchStrategy[str]:
        if not self.spoil_path:
            return st.just("kobe")
        return st.sampled_from(["kobe", "kobe", "alpha", "beta", "nope", "k" * 300])

    def ids(self, *real: int) -> st.SearchStrategy[str]:
        mine = [str(pk) for pk in real]
        if not self.spoil_path:
            return st.sampled_from(mine)
        return st.sampled_from([*mine, "0", "1", "999999", str(2**31), str(2**63), "9" * 30])

    def tokens(self, real: str) -> st.SearchStrategy[str]:
        if not self.spoil_path:
            return st.just(real)
        return st.sampled_from([real]) | st.sampled_from(NASTY_TEXT) | st.text(max_size=40)

    def good(self, name: str) -> list[str]:
        today = timezone.localdate()
        days = [(today + dt.timedelta(days=n)).isoformat() for n in (0, 1, 7, 30, 200)]
        return {
            "program": ["kobe", "alpha"],
            "service": ["online", "in_person"],
            "venue": ["sannomiya_east", "nope"],
            "from": days,
            "to": days,
            "date": days,
            "day": days,
            "start": self.starts,
            "view": ["day", "week"],
            "target": ["service:online", f"consultant:{self.staff.pk}", "venue:x:y"],
            "q": ["山田", "やまだ", "090", "KB"],
            "method": ["phone", "video", "in_person"],
            "channel": ["phone", "staff", "web"],
            "topic": ["job_search", ""],
            "show": ["open", "all"],
            "id_token": [self.id_token()],
            "consultant": [str(self.staff.pk)],
            "reservation": [str(self.reservation_id)],
            "seeker_id": [str(self.seeker_id)],
            "family_name": ["山田", "山田\u202e"],
            "given_name": ["花子", "\u200b花子"],
            "family_name_kana": ["やまだ", "ヤマダ"],
            "given_name_kana": ["はなこ", "ハナコ"],
            "birth_year": ["1958", "9999", "0", "1"],
            "birth_month": ["4", "13", "0"],
            "birth_day": ["12", "31", "32"],
            "birth_date": ["1958-04-12", "昭和33年4月12日", "9999-01-01"],
            "birth_date_year": ["1958", "9999", "0", "99999999999999999999"],
            "birth_date_month": ["4", "13"],
            "birth_date_day": ["12", "31"],
            "phone": ["090-1111-2222", "0"],
            "consent": ["on"],
            "privacy": ["on"],
            "confirmed": ["on"],
            "outcome": ["attended", "no_show", "connected", "pending"],
            "reason": ["生活費の不足について相談あり。"],
            "referred_on": days,
            "outcome_on": days,
            "answer": ["区役所の窓口にご相談ください。"],
            "personal": ["on", ""],
            "username": [self.staff.get_username()],
            "password": ["wrong", "correct-horse-battery-staple"],
            "next": ["/staff/", "https://evil.example/", "//evil"],
            "code": ["ABCD1234", "123456"],
            "action": ["line", "code", "send", "save", "approve"],
            "body": ["来週お電話します。", "chuo_kurashi"],
            "result": ["working", "unreachable"],
            "done_on": [*days[:1], "2026-01-05"],
            "employer_note": ["所沢市内の清掃会社"],
            "due": ["1", ""],
            "review": ["due", ""],
            # the jobs screens and API
            "name": ["株式会社テスト", "山田 太郎"],
            "name_kana": ["てすと", "テスト"],
            "corporate_number": ["7123456789012", "1234567890123"],
            "office_number": ["1101-123456-1", "x"],
            "area": ["kobe-nishi", "chuo", ""],
            "industry": ["P", "Z", ""],
            "wage_type": ["hourly", "monthly", "weekly"],
            "wage_from": ["1100", "180000"],
            "wage_to": ["1300", "900"],
            "wage_min": ["1000", "1"],
            "days_max": ["3", "8"],
            "days_per_week": ["3", "8"],
            "source": ["own", "hellowork"],
            "state": ["open", "closed", "all"],
            "occupation": ["清掃", "介護"],
            "employment_type": ["パート労働者"],
            "referral_deadline": days,
            "received_on": days,
            "employer": [str(self.employer_id)],
            "employer_id": [str(self.employer_id)],
            "kind": ["visit", "call", "life_career", "observation", "work_experience"],
            "on": days[:1],
            "by": [str(self.staff.pk)],
            "appeal": ["シニアの短時間勤務"],
            "status": ["closed", "open", "cancelled", "done", "planned"],
            "party": ["participant", "employer"],
            "given_on": days,
            "start_on": days,
            "end_on": days,
            "coverage_start": days,
            "coverage_end": days,
            "offset": ["0", "50"],
            "limit": ["10", "500"],
            "top": ["1", "20", "100", "0", "101"],
            "choice": ["pin", "hide", "clear"],
            "hidden": ["1", ""],
            "spage": ["1", "2"],
            "ppage": ["1", "2"],
            "time_of_day": ["morning", "any"],
            "physical_limit": ["light", "heavy"],
            "min_wage_type": ["hourly", "daily", "monthly"],
        }.get(name, [])


@pytest.fixture
def world(manager: User, fake_line: Any, monkeypatch: pytest.MonkeyPatch) -> World:
    kobe = program_load_preset(path_or_name="kobe").program
    # Kobe's preset has no inactivity follow-up; give it Saitama's so that the follow-up
    # screens and API run past their "not configured" answer.
    Program.objects.filter(pk=kobe.pk).update(inactivity_followup_months=3)
    kobe.refresh_from_db()
    membership_grant(user=manager, program=kobe, role=Role.MANAGER)
    consultant = staff_create(
        username="kobe-fuzz-consultant", password=None, program=kobe, role=Role.CONSULTANT
    )
    seeker = register_seeker(kobe, birth_date=dt.date(1958, 4, 12))
    today = timezone.localdate()
    free = [
        a
        for a in availability(
            program=kobe,
            service_code="online",
            start=today + dt.timedelta(days=2),
            end=today + dt.timedelta(days=20),
        )
        if a.free > 0
    ]
    reservation = reservation_create(
        program=kobe,
        seeker=seeker,
        service=get_service(kobe, "online"),
        start=free[0].slot.start,
        method="video",
        channel=BookingChannel.STAFF,
        actor=manager,
    )
    monkeypatch.setenv("LINE_API_BASE_URL", fake_line.base_url)
    monkeypatch.setenv("LINE_API_DATA_BASE_URL", fake_line.base_url)
    channel = channel_for("kobe")
    fake_line.platform.add_channel(
        LineChannel(channel.channel_id, channel.access_token, channel.channel_secret)
    )
    line_id = "U" + "f0" * 16
    fake_line.platform.add_user(line_id)
    LineUser.objects.create(program=kobe, line_user_id=line_id, following=True)
    asked, _ = inquiry_open(program=kobe, question="年金のことを聞きたい", reason="fuzz")
    answered, _ = inquiry_open(
        program=kobe, question="履歴書の書き方", reason="fuzz", contact_key=line_id
    )
    answered = inquiry_answer(
        inquiry=answered,
        actor=manager,
        answer="次回の面談でお話しします。",
        personal=True,
    )
    case = consultation_record_create(
        program=kobe,
        seeker=seeker,
        actor=consultant,
        kind="life_career",
        method="in_person",
        minutes=45,
        consultant=consultant,
        start=timezone.now() - dt.timedelta(days=1),
    ).case
    assert case is not None
    thread = chat_thread_open(case=case, actor=consultant)
    chat_message_post_seeker(thread=thread, body="ご相談があります。")
    employer = employer_create(
        program=kobe, name="株式会社神戸清掃", contacts=[{"name": "採用 花子"}]
    )
    posting = posting_create(
        program=kobe,
        employer=employer,
        occupation="清掃スタッフ",
        wage_type="hourly",
        wage_from=1100,
        referral_deadline=today + dt.timedelta(days=30),
        workplace_area=seeker.area,  # where the seeker lives: a match for the screens
    )
    # The seeker's matching profile: the matching screens run past "no profile".
    profile_save(program=kobe, seeker=seeker, by=consultant, days_per_week=5, hours_per_day=8)
    world = World(
        kobe=kobe,
        staff=manager,
        seeker_id=seeker.pk,
        reservation_id=reservation.pk,
        cancel_token=reservation.cancel_token,
        open_inquiry_id=asked.pk,
        answer_token=answered.answer_token or "",
        feed_token=feed_token(consultant),
        api_token=api_token_create(user=manager, name="fuzz")[1],
        starts=[a.slot.start.isoformat() for a in free[1:4]]
        + [a.slot.start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M") for a in free[1:2]],
        id_token=lambda: fake_line.platform.issue_id_token(line_id, channel.channel_id),
        case_id=case.pk,
        chat_thread_id=thread.pk,
        chat_token=chat_token(thread.pk),
    )
    world.employer_id = employer.pk
    world.contact_id = employer.contacts.get().pk
    world.posting_id = posting.pk
    referral = referral_create(program=kobe, seeker=seeker, posting=posting, actor=consultant)
    placement = placement_create(
        program=kobe,
        seeker=seeker,
        employer=employer,
        actor=consultant,
        start_on=today - dt.timedelta(days=40),
        employment_type="non_regular",
        source="self_found",
    )
    world.referral_id = referral.pk
    world.placement_id = placement.pk
    world.followup_id = placement.followups.order_by("months").first().pk  # type: ignore[union-attr]
    world.internship_id = internship_create(
        program=kobe,
        kind="work_experience",
        employer=employer,
        participant=seeker,
        start_on=today + dt.timedelta(days=7),
        end_on=today + dt.timedelta(days=8),
        by=manager,
    ).pk
    return world


# --- the routes ------------------------------------------------------------------------------

PathBuilder = Callable[[World, st.DrawFn], str]


@dataclass(frozen=True)
class Route:
    pattern: str
    path: PathBuilder
    methods: tuple[str, ...] = ("GET",)
    query: tuple[str, ...] = ()
    form: tuple[str, ...] = ()
    json: tuple[str, ...] = ()
    staff: bool = False
    weight: int = 1  # examples: FUZZ_EXAMPLES x weight (the API and the public forms)
    # Before the fuzzed request, in the same savepoint: the public booking's confirm
    # step needs the details step's session.
    prepare: Callable[[World, Client, st.DrawFn], None] | None = None


def fixed(path: str) -> PathBuilder:
    return lambda w, draw: path


def booking(step: str) -> PathBuilder:
    return lambda w, draw: f"/book/{draw(w.slugs())}/{step}"


def staff_booking(tail: str) -> PathBuilder:
    def build(w: World, draw: st.DrawFn) -> str:
        values = {
            "seeker": draw(w.ids(w.seeker_id)),
            "pk": draw(w.ids(w.reservation_id)),
        }
        return f"/staff/booking/{draw(w.slugs())}/" + tail.format(**values)

    return build


def staff_cases(tail: str) -> PathBuilder:
    def build(w: World, draw: st.DrawFn) -> str:
        return f"/staff/cases/{draw(w.slugs())}/" + tail.format(case=draw(w.ids(1)))

    return build


def case_actions(tail: str) -> PathBuilder:
    """A case's sharing and referral actions, on the world's real case (or junk ids)."""

    def build(w: World, draw: st.DrawFn) -> str:
        case = draw(w.ids(w.case_id))
        return f"/staff/cases/{draw(w.slugs())}/{case}/" + tail.format(any=draw(w.ids(1)))

    return build


def staff_internships(tail: str) -> PathBuilder:
    """The internship screens, on the world's internship (or junk ids)."""

    def build(w: World, draw: st.DrawFn) -> str:
        internship = draw(w.ids(w.internship_id))
        return f"/staff/internships/{draw(w.slugs())}/" + tail.format(internship=internship)

    return build


INTERNSHIP_JSON = (
    "kind",
    "employer_id",
    "participant_id",
    "host_contact_id",
    "start_on",
    "end_on",
    "content",
    "place",
    "schedule",
    "safety_notes",
    "harassment_notes",
    "travel_paid_by_employer",
    "travel_note",
)
INTERNSHIP_PATCH_JSON = (
    *INTERNSHIP_JSON,
    "status",
    "outcome",
    "outcome_note",
    "outcome_referral_id",
    "outcome_placement_id",
)
INSURANCE_FIELDS = ("policy_name", "insurer", "policy_number", "coverage_start", "coverage_end")


def staff_jobs(tail: str) -> PathBuilder:
    """The jobs screens, on the world's employer, contact and posting (or junk ids)."""

    def build(w: World, draw: st.DrawFn) -> str:
        values = {
            "employer": draw(w.ids(w.employer_id)),
            "contact": draw(w.ids(w.contact_id)),
            "posting": draw(w.ids(w.posting_id)),
        }
        return f"/staff/jobs/{draw(w.slugs())}/" + tail.format(**values)

    return build


EMPLOYER_FIELDS = (
    "name",
    "name_kana",
    "corporate_number",
    "office_number",
    "address",
    "area",
    "industry",
    "employees",
    "age_limit",
    "retirement_age",
    "rehire_max_age",
    "part_time_ok",
    "training",
    "physical_load",
)
POSTING_FIELDS = (
    "employer",
    "office_name",
    "occupation",
    "description",
    "received_on",
    "referral_deadline",
    "workplace_address",
    "workplace_area",
    "employment_type",
    "employment_period",
    "wage_type",
    "wage_from",
    "wage_to",
    "working_hours",
    "days_per_week",
    "holidays",
    "age",
    "age_limited",
    "age_limit_reason",
    "retirement_age",
    "rehire_max_age",
    "requirements",
    "insurance",
    "openings",
)
POSTING_QUERY = (
    "q",
    "area",
    "occupation",
    "employment_type",
    "wage_type",
    "wage_min",
    "days_max",
    "source",
    "state",
)
POSTING_JSON = tuple(f if f != "employer" else "employer_id" for f in POSTING_FIELDS)

RECORD_FIELDS = (
    "reservation",
    "seeker",
    "attendance",
    "kind",
    "method",
    "channel",
    "consultant",
    "start",
    "minutes",
    "topics",
    "notes",
    "next_action",
    "next_contact_on",
)

DETAILS_FIELDS = (
    "service",
    "venue",
    "start",
    "method",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_year",
    "birth_month",
    "birth_day",
    "phone",
    "consent",
    "website",
)
REGISTER_FIELDS = (
    "id_token",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date_year",
    "birth_date_month",
    "birth_date_day",
    "phone",
    "area",
    "heard_from",
    "privacy",
    "line_notices",
)
NEW_SEEKER_FIELDS = tuple(
    f"new-{name}"
    for name in (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "phone",
        "postal_code",
        "address",
        "area",
        "privacy_consent",
    )
)
BOOKING_FIELDS = ("service", "venue", "start", "method", "kind", "topic")
MATCHING_PROFILE_FIELDS = (
    "wished_occupations",
    "areas",
    "max_commute_minutes",
    "days_per_week",
    "hours_per_day",
    "time_of_day",
    "min_hourly_wage",
    "employment_types",
    "physical_limit",
    "licences",
    "skills",
    "career_history",
    "tags",
)


def filled_details(w: World, client: Client, draw: st.DrawFn) -> None:
    """A details step that went through (so the session holds a booking to confirm)."""
    if not w.starts or not draw(st.booleans()):
        return
    client.post(
        "/book/kobe/details/",
        {
            "service": "online",
            "start": w.starts[0],
            "method": "video",
            "family_name": "山田",
            "given_name": "花子",
            "family_name_kana": "やまだ",
            "given_name_kana": "はなこ",
            "birth_year": "1958",
            "birth_month": "4",
            "birth_day": "12",
            "phone": "090-1111-2222",
            "consent": "on",
        },
    )


ROUTES = [
    Route("", fixed("/"), ("GET",)),
    Route("healthz", fixed("/healthz"), ("GET",)),
    # --- the API
    Route(
        "api/availability",
        fixed("/api/availability"),
        ("GET",),
        query=("program", "service", "venue", "from", "to"),
        weight=8,
    ),
    Route(
        "api/reservations",
        fixed("/api/reservations"),
        ("GET", "POST"),
        query=("program", "from", "to", "seeker_id"),
        json=(
            "program",
            "seeker_id",
            "service",
            "start",
            "venue",
            "method",
            "channel",
            "topic",
            "consultant_id",
        ),
        weight=8,
    ),
    Route(
        "api/reservations/<int:reservation_id>",
        lambda w, draw: f"/api/reservations/{draw(w.ids(w.reservation_id))}",
        ("GET",),
        weight=4,
    ),
    Route(
        "api/reservations/<int:reservation_id>/cancel",
        lambda w, draw: f"/api/reservations/{draw(w.ids(w.reservation_id))}/cancel",
        ("POST",),
        json=("channel",),
        weight=8,
    ),
    Route("api/openapi.json", fixed("/api/openapi.json"), ("GET",)),
    Route("api/docs", fixed("/api/docs"), ("GET",), staff=True),
    Route("api/", fixed("/api/"), ("GET",)),
    Route(
        "api/seekers",
        fixed("/api/seekers"),
        ("GET", "POST"),
        query=("program", "q", "limit"),
        json=(
            "program",
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "birth_date",
            "phone",
            "email",
            "postal_code",
            "address",
            "area",
            "gender",
            "heard_from",
            "registered_on",
            "channel",
            "consents",
        ),
        weight=8,
    ),
    Route(
        "api/consultations",
        fixed("/api/consultations"),
        ("GET", "POST"),
        query=("program", "seeker_id", "case_id", "from", "to", "limit"),
        json=(
            "program",
            "seeker_id",
            "kind",
            "method",
            "start",
            "minutes",
            "topics",
            "notes",
            "next_action",
            "next_contact_on",
            "channel",
            "attendance",
            "reservation_id",
        ),
        weight=8,
    ),
    Route("api/reviews", fixed("/api/reviews"), ("GET",), query=("program", "due_before")),
    Route(
        "api/inactivity-checks",
        fixed("/api/inactivity-checks"),
        ("GET", "POST"),
        query=("program", "seeker_id", "limit"),
        json=(
            "program",
            "seeker_id",
            "method",
            "result",
            "done_on",
            "employer_note",
            "next_action",
        ),
        weight=8,
    ),
    Route("api/cases", fixed("/api/cases"), ("GET",), query=("program", "open")),
    Route(
        "api/cases/<int:case_id>/plans",
        lambda w, draw: f"/api/cases/{draw(w.ids(1))}/plans",
        ("GET",),
    ),
    Route(
        "api/cases/<int:case_id>/referrals",
        lambda w, draw: f"/api/cases/{draw(w.ids(w.case_id))}/referrals",
        ("GET", "POST"),
        json=("body", "reason", "referred_on"),
        weight=4,
    ),
    Route(
        "api/employers",
        fixed("/api/employers"),
        ("GET", "POST"),
        query=("program", "q", "corporate_number", "area", "industry", "limit", "offset"),
        json=("program", *EMPLOYER_FIELDS, "contacts"),
        weight=8,
    ),
    Route(
        "api/employers/<int:employer_id>",
        lambda w, draw: f"/api/employers/{draw(w.ids(w.employer_id))}",
        ("GET", "PATCH"),
        json=EMPLOYER_FIELDS,
        weight=4,
    ),
    Route(
        "api/postings",
        fixed("/api/postings"),
        ("GET", "POST"),
        query=("program", *POSTING_QUERY, "employer_id", "limit", "offset"),
        json=("program", "number", *POSTING_JSON),
        weight=8,
    ),
    Route(
        "api/postings/<int:posting_id>",
        lambda w, draw: f"/api/postings/{draw(w.ids(w.posting_id))}",
        ("GET", "PATCH"),
        json=(*POSTING_JSON, "status"),
        weight=4,
    ),
    Route(
        "api/seekers/<int:seeker_id>",
        lambda w, draw: f"/api/seekers/{draw(w.ids(w.seeker_id))}",
        ("GET",),
        weight=4,
    ),
    # --- matching
    Route(
        "api/seekers/<int:seeker_id>/matches",
        lambda w, draw: f"/api/seekers/{draw(w.ids(w.seeker_id))}/matches",
        ("GET",),
        query=("program", "top"),
        weight=4,
    ),
    Route(
        "api/postings/<int:posting_id>/matches",
        lambda w, draw: f"/api/postings/{draw(w.ids(w.posting_id))}/matches",
        ("GET",),
        query=("program", "top"),
        weight=4,
    ),
    Route(
        "api/seekers/<int:seeker_id>/profile",
        lambda w, draw: f"/api/seekers/{draw(w.ids(w.seeker_id))}/profile",
        ("GET", "PUT"),
        query=("program",),
        json=(
            "wished_occupations",
            "wished_areas",
            "max_commute_minutes",
            "days_per_week",
            "hours_per_day",
            "time_of_day",
            "min_hourly_wage",
            "min_wage",
            "min_wage_type",
            "employment_types",
            "physical_limit",
            "licences",
            "skills",
            "career_history",
            "tags",
        ),
        weight=8,
    ),
    Route(
        "api/seekers/<int:seeker_id>/matches/<int:posting_id>/decision",
        lambda w, draw: (
            f"/api/seekers/{draw(w.ids(w.seeker_id))}/matches/{draw(w.ids(w.posting_id))}/decision"
        ),
        ("POST",),
        query=("program",),
        json=("choice",),
        weight=4,
    ),
    # --- placements
    Route(
        "api/referrals",
        fixed("/api/referrals"),
        ("GET", "POST"),
        query=("program", "seeker_id", "posting_id", "status", "open", "limit"),
        json=("program", "seeker_id", "posting_id", "referred_on", "note"),
        weight=8,
    ),
    Route(
        "api/referrals/<int:referral_id>",
        lambda w, draw: f"/api/referrals/{draw(w.ids(w.referral_id))}",
        ("GET", "PATCH"),
        json=("status", "note", "on", "placement"),
        weight=6,
    ),
    Route(
        "api/referrals/<int:referral_id>/support",
        lambda w, draw: f"/api/referrals/{draw(w.ids(w.referral_id))}/support",
        ("POST",),
        json=("kind", "minutes", "on", "note"),
        weight=4,
    ),
    Route(
        "api/placements",
        fixed("/api/placements"),
        ("GET", "POST"),
        query=("program", "seeker_id", "from", "to", "limit"),
        json=(
            "program",
            "seeker_id",
            "employer_id",
            "posting_id",
            "source",
            "start_on",
            "employment_type",
            "weekly_hours",
            "wage",
            "wage_type",
            "confirmed_by",
            "confirmed_on",
        ),
        weight=8,
    ),
    Route(
        "api/placements/<int:placement_id>",
        lambda w, draw: f"/api/placements/{draw(w.ids(w.placement_id))}",
        ("GET",),
        weight=4,
    ),
    Route(
        "api/followups",
        fixed("/api/followups"),
        ("GET",),
        query=("program", "due_before", "overdue", "done", "seeker_id", "limit"),
        weight=6,
    ),
    Route(
        "api/followups/<int:followup_id>",
        lambda w, draw: f"/api/followups/{draw(w.ids(w.followup_id))}",
        ("PATCH",),
        json=(
            "outcome",
            "done_on",
            "topics",
            "note",
            "left_on",
            "left_reason",
            "interview_minutes",
            "interview_method",
        ),
        weight=6,
    ),
    # --- public booking
    Route("book/", fixed("/book/"), ("GET",)),
    Route(
        "book/cancel/<str:token>/",
        lambda w, draw: f"/book/cancel/{quoted(draw(w.tokens(w.cancel_token)))}/",
        ("GET", "POST"),
    ),
    Route(
        "book/r/<str:token>/",
        lambda w, draw: f"/book/r/{quoted(draw(w.tokens(w.cancel_token)))}/",
        ("GET",),
    ),
    Route("book/<slug:program_slug>/", booking(""), ("GET",)),
    Route("book/<slug:program_slug>/venue/", booking("venue/"), ("GET",), query=("service",)),
    Route(
        "book/<slug:program_slug>/date/",
        booking("date/"),
        ("GET",),
        query=("service", "venue", "from"),
    ),
    Route(
        "book/<slug:program_slug>/time/",
        booking("time/"),
        ("GET",),
        query=("service", "venue", "date"),
    ),
    Route(
        "book/<slug:program_slug>/details/",
        booking("details/"),
        ("GET", "POST"),
        query=("service", "venue", "start"),
        form=DETAILS_FIELDS,
        weight=2,
    ),
    Route(
        "book/<slug:program_slug>/confirm/",
        booking("confirm/"),
        ("GET", "POST"),
        form=("start",),
        prepare=filled_details,
        weight=2,
    ),
    Route("book/<slug:program_slug>/done/", booking("done/"), ("GET",)),
    Route(
        "calendar/<str:token>.ics",
        lambda w, draw: f"/calendar/{quoted(draw(w.tokens(w.feed_token)))}.ics",
        ("GET",),
    ),
    # --- LINE pages
    Route(
        "line/<slug:program_slug>/webhook",
        lambda w, draw: f"/line/{draw(w.slugs())}/webhook",
        ("POST",),
        json=("destination", "events"),
    ),
    Route(
        "line/<slug:program_slug>/register/",
        lambda w, draw: f"/line/{draw(w.slugs())}/register/",
        ("GET", "POST"),
        form=REGISTER_FIELDS,
        weight=2,
    ),
    Route(
        "line/<slug:program_slug>/link/",
        lambda w, draw: f"/line/{draw(w.slugs())}/link/",
        ("GET", "POST"),
        form=("id_token", "code", "birth_date_year", "birth_date_month", "birth_date_day"),
        weight=2,
    ),
    Route(
        "line/<slug:program_slug>/privacy/",
        lambda w, draw: f"/line/{draw(w.slugs())}/privacy/",
        ("GET",),
    ),
    Route(
        "line/<slug:program_slug>/answer/<str:token>/",
        lambda w, draw: f"/line/{draw(w.slugs())}/answer/{quoted(draw(w.tokens(w.answer_token)))}/",
        ("GET", "POST"),
        form=("id_token",),
    ),
    Route(
        "chat/<str:token>/",
        lambda w, draw: f"/chat/{quoted(draw(w.tokens(w.chat_token)))}/",
        ("GET", "POST"),
        form=("action", "id_token", "code", "body"),
    ),
    Route(
        "staff/chat/<slug:program>/<int:thread_id>/",
        lambda w, draw: f"/staff/chat/{draw(w.slugs())}/{draw(w.ids(w.chat_thread_id))}/",
        ("GET", "POST"),
        form=("action", "body"),
        staff=True,
    ),
    Route(
        "staff/chat/<slug:program>/case/<int:case_pk>/",
        lambda w, draw: f"/staff/chat/{draw(w.slugs())}/case/{draw(w.ids(w.case_id))}/",
        ("POST",),
        staff=True,
    ),
    Route(
        "line/simulator/<slug:program_slug>/",
        lambda w, draw: f"/line/simulator/{draw(w.slugs())}/",
        ("GET",),
        staff=True,
    ),
    # --- staff pages, signed in
    Route("staff/", fixed("/staff/"), ("GET",), staff=True),
    Route(
        "staff/login/",
        fixed("/staff/login/"),
        ("GET", "POST"),
        query=("next",),
        form=("username", "password", "next"),
    ),
    # The second-factor steps: anonymous (no password step yet) and signed in.
    Route(
        "staff/login/second-factor/",
        fixed("/staff/login/second-factor/"),
        ("GET", "POST"),
        form=("code",),
    ),
    Route(
        "staff/login/second-factor/setup/",
        fixed("/staff/login/second-factor/setup/"),
        ("GET", "POST"),
        form=("code",),
    ),
    Route("staff/recovery-codes/", fixed("/staff/recovery-codes/"), ("POST",), staff=True),
    Route("staff/logout/", fixed("/staff/logout/"), ("POST",), staff=True),
    Route("staff/seekers/", fixed("/staff/seekers/"), ("GET",), query=("q", "program"), staff=True),
    Route(
        "staff/seekers/<int:pk>/",
        lambda w, draw: f"/staff/seekers/{draw(w.ids(w.seeker_id))}/",
        ("GET",),
        staff=True,
    ),
    Route(
        "staff/seekers/<int:pk>/card.pdf",
        lambda w, draw: f"/staff/seekers/{draw(w.ids(w.seeker_id))}/card.pdf",
        ("GET",),
        staff=True,
    ),
    Route(
        "staff/inquiries/", fixed("/staff/inquiries/"), ("GET",), query=("show", "page"), staff=True
    ),
    Route(
        "staff/inquiries/<int:pk>/",
        lambda w, draw: f"/staff/inquiries/{draw(w.ids(w.open_inquiry_id))}/",
        ("GET", "POST"),
        form=("answer", "personal"),
        staff=True,
    ),
    # --- case screens (consultations)
    Route(
        "staff/cases/<slug:program>/",
        staff_cases(""),
        ("GET",),
        query=("status", "mine", "page", "review"),
        staff=True,
    ),
    Route(
        "staff/cases/<slug:program>/records/new/",
        staff_cases("records/new/"),
        ("GET", "POST"),
        query=("reservation", "seeker"),
        form=RECORD_FIELDS,
        staff=True,
        weight=2,
    ),
    Route(
        "staff/cases/<slug:program>/records/group/",
        staff_cases("records/group/"),
        ("GET", "POST"),
        form=("kind", "start", "minutes", "attended", "no_show", "topics"),
        staff=True,
    ),
    Route("staff/cases/<slug:program>/<int:pk>/", staff_cases("{case}/"), ("GET",), staff=True),
    Route(
        "staff/cases/<slug:program>/<int:pk>/plan/",
        staff_cases("{case}/plan/"),
        ("GET", "POST"),
        form=("goals", "steps", "target_on", "action"),
        staff=True,
    ),
    Route(
        "staff/cases/<slug:program>/<int:pk>/plan/<int:plan_pk>/approve/",
        staff_cases("{case}/plan/{case}/approve/"),
        ("POST",),
        staff=True,
    ),
    Route(
        "staff/cases/<slug:program>/<int:pk>/reviews/<int:review_pk>/",
        staff_cases("{case}/reviews/{case}/"),
        ("POST",),
        form=("outcome", "on"),
        staff=True,
    ),
    Route(
        "staff/cases/<slug:program>/<int:pk>/assign/",
        staff_cases("{case}/assign/"),
        ("POST",),
        form=("consultant", "note"),
        staff=True,
    ),
    # --- the inactivity follow-up (consultations)
    Route(
        "staff/followup/<slug:program>/",
        lambda w, draw: f"/staff/followup/{draw(w.slugs())}/",
        ("GET",),
        query=("due", "page"),
        staff=True,
    ),
    Route(
        "staff/followup/<slug:program>/labels.pdf",
        lambda w, draw: f"/staff/followup/{draw(w.slugs())}/labels.pdf",
        ("GET",),
        staff=True,
    ),
    Route(
        "staff/followup/<slug:program>/<int:seeker>/check/",
        lambda w, draw: f"/staff/followup/{draw(w.slugs())}/{draw(w.ids(w.seeker_id))}/check/",
        ("GET", "POST"),
        form=("method", "result", "done_on", "employer_note", "next_action"),
        staff=True,
        weight=2,
    ),
    Route(
        "staff/cases/<slug:program>/<int:pk>/shares/",
        case_actions("shares/"),
        ("POST",),
        form=("consultant", "reason"),
        staff=True,
    ),
    Route(
        "staff/cases/<slug:program>/<int:pk>/shares/<int:share_pk>/revoke/",
        case_actions("shares/{any}/revoke/"),
        ("POST",),
        staff=True,
    ),
    Route(
        "staff/cases/<slug:program>/<int:pk>/referrals/",
        case_actions("referrals/"),
        ("POST",),
        form=("body", "reason", "referred_on"),
        staff=True,
    ),
    Route(
        "staff/cases/<slug:program>/<int:pk>/referrals/<int:referral_pk>/outcome/",
        case_actions("referrals/{any}/outcome/"),
        ("POST",),
        form=("outcome", "outcome_on", "note"),
        staff=True,
    ),
    # --- the jobs screens
    Route(
        "staff/jobs/<slug:program>/postings/",
        staff_jobs("postings/"),
        ("GET",),
        query=(*POSTING_QUERY, "employer", "page"),
        staff=True,
    ),
    Route(
        "staff/jobs/<slug:program>/postings/new/",
        staff_jobs("postings/new/"),
        ("GET", "POST"),
        query=("employer",),
        form=("number", *POSTING_FIELDS),
        staff=True,
        weight=2,
    ),
    Route(
        "staff/jobs/<slug:program>/postings/<int:pk>/",
        staff_jobs("postings/{posting}/"),
        ("GET",),
        staff=True,
    ),
    Route(
        "staff/jobs/<slug:program>/postings/<int:pk>/edit/",
        staff_jobs("postings/{posting}/edit/"),
        ("GET", "POST"),
        form=POSTING_FIELDS,
        staff=True,
        weight=2,
    ),
    Route(
        "staff/jobs/<slug:program>/postings/<int:pk>/close/",
        staff_jobs("postings/{posting}/close/"),
        ("POST",),
        staff=True,
    ),
    Route(
        "staff/jobs/<slug:program>/employers/",
        staff_jobs("employers/"),
        ("GET",),
        query=("q", "corporate_number", "area", "industry", "page"),
        staff=True,
    ),
    Route(
        "staff/jobs/<slug:program>/employers/new/",
        staff_jobs("employers/new/"),
        ("GET", "POST"),
        form=EMPLOYER_FIELDS,
        staff=True,
        weight=2,
    ),
    Route(
        "staff/jobs/<slug:program>/employers/<int:pk>/",
        staff_jobs("employers/{employer}/"),
        ("GET",),
        staff=True,
    ),
    Route(
        "staff/jobs/<slug:program>/employers/<int:pk>/edit/",
        staff_jobs("employers/{employer}/edit/"),
        ("GET", "POST"),
        form=EMPLOYER_FIELDS,
        staff=True,
    ),
    Route(
        "staff/jobs/<slug:program>/employers/<int:pk>/activities/",
        staff_jobs("employers/{employer}/activities/"),
        ("POST",),
        form=("kind", "on", "by", "appeal", "outcome"),
        staff=True,
        weight=2,
    ),
    Route(
        "staff/jobs/<slug:program>/employers/<int:pk>/contacts/",
        staff_jobs("employers/{employer}/contacts/"),
        ("POST",),
        form=("contact-name", "contact-role", "contact-phone", "contact-email"),
        staff=True,
    ),
    Route(
        "staff/jobs/<slug:program>/employers/<int:pk>/contacts/<int:contact_pk>/",
        staff_jobs("employers/{employer}/contacts/{contact}/"),
        ("GET", "POST"),
        form=("name", "role", "phone", "email"),
        staff=True,
    ),
    # --- the matching screens (matching)
    Route(
        "staff/matching/<slug:program>/meeting/",
        lambda w, draw: f"/staff/matching/{draw(w.slugs())}/meeting/",
        ("GET",),
        query=("date", "spage", "ppage"),
        staff=True,
    ),
    Route(
        "staff/matching/<slug:program>/meeting.xlsx",
        lambda w, draw: f"/staff/matching/{draw(w.slugs())}/meeting.xlsx",
        ("GET",),
        query=("date",),
        staff=True,
    ),
    Route(
        "staff/matching/<slug:program>/seekers/<int:seeker_id>/",
        lambda w, draw: f"/staff/matching/{draw(w.slugs())}/seekers/{draw(w.ids(w.seeker_id))}/",
        ("GET",),
        query=("hidden",),
        staff=True,
    ),
    Route(
        "staff/matching/<slug:program>/seekers/<int:seeker_id>/profile/",
        lambda w, draw: (
            f"/staff/matching/{draw(w.slugs())}/seekers/{draw(w.ids(w.seeker_id))}/profile/"
        ),
        ("GET", "POST"),
        form=MATCHING_PROFILE_FIELDS,
        staff=True,
        weight=2,
    ),
    Route(
        "staff/matching/<slug:program>/seekers/<int:seeker_id>/postings/<int:posting_id>/decision/",
        lambda w, draw: (
            f"/staff/matching/{draw(w.slugs())}/seekers/{draw(w.ids(w.seeker_id))}"
            f"/postings/{draw(w.ids(w.posting_id))}/decision/"
        ),
        ("POST",),
        form=("choice", "hidden"),
        staff=True,
    ),
    Route(
        "staff/matching/<slug:program>/postings/<int:posting_id>/",
        lambda w, draw: f"/staff/matching/{draw(w.slugs())}/postings/{draw(w.ids(w.posting_id))}/",
        ("GET",),
        staff=True,
    ),
    Route("staff/booking/", fixed("/staff/booking/"), ("GET",), staff=True),
    Route(
        "staff/booking/<slug:program>/calendar/",
        staff_booking("calendar/"),
        ("GET",),
        query=("view", "date", "target"),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/calls/",
        staff_booking("calls/"),
        ("GET",),
        query=("day", "consultant"),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/phone/",
        staff_booking("phone/"),
        ("GET", "POST"),
        query=("q",),
        form=NEW_SEEKER_FIELDS,
        staff=True,
        weight=2,
    ),
    Route(
        "staff/booking/<slug:program>/phone/<int:seeker>/",
        staff_booking("phone/{seeker}/"),
        ("GET",),
        query=("service", "venue", "from", "topic", "method"),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/phone/<int:seeker>/confirm/",
        staff_booking("phone/{seeker}/confirm/"),
        ("GET", "POST"),
        query=BOOKING_FIELDS,
        form=BOOKING_FIELDS,
        staff=True,
        weight=2,
    ),
    Route(
        "staff/booking/<slug:program>/reservations/<int:pk>/",
        staff_booking("reservations/{pk}/"),
        ("GET",),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/reservations/<int:pk>/booked/",
        staff_booking("reservations/{pk}/booked/"),
        ("GET",),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/reservations/<int:pk>/cancel/",
        staff_booking("reservations/{pk}/cancel/"),
        ("POST",),
        form=("confirmed",),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/reservations/<int:pk>/reschedule/",
        staff_booking("reservations/{pk}/reschedule/"),
        ("GET", "POST"),
        query=("venue", "from"),
        form=("venue", "start"),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/reservations/<int:pk>/outcome/",
        staff_booking("reservations/{pk}/outcome/"),
        ("POST",),
        form=("outcome",),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/absence/",
        staff_booking("absence/"),
        ("GET", "POST"),
        query=("consultant", "day"),
        form=("consultant", "day", "note"),
        staff=True,
    ),
    Route(
        "staff/booking/<slug:program>/absence/reassign/",
        staff_booking("absence/reassign/"),
        ("POST",),
        form=("reservation", "consultant"),
        staff=True,
    ),
    # --- placements: internships
    Route(
        "api/internships",
        fixed("/api/internships"),
        ("GET", "POST"),
        query=("program", "status", "limit", "offset"),
        json=("program", *INTERNSHIP_JSON),
        weight=8,
    ),
    Route(
        "api/internships/<int:internship_id>",
        lambda w, draw: f"/api/internships/{draw(w.ids(w.internship_id))}",
        ("GET", "PATCH"),
        json=INTERNSHIP_PATCH_JSON,
        weight=4,
    ),
    Route(
        "api/internships/<int:internship_id>/consents",
        lambda w, draw: f"/api/internships/{draw(w.ids(w.internship_id))}/consents",
        ("POST",),
        json=("party", "given_on", "given_by"),
        weight=4,
    ),
    Route(
        "api/internships/<int:internship_id>/insurance",
        lambda w, draw: f"/api/internships/{draw(w.ids(w.internship_id))}/insurance",
        ("POST",),
        json=INSURANCE_FIELDS,
        weight=4,
    ),
    Route(
        "api/internships/<int:internship_id>/confirm",
        lambda w, draw: f"/api/internships/{draw(w.ids(w.internship_id))}/confirm",
        ("POST",),
        weight=2,
    ),
    Route(
        "staff/internships/<slug:program>/",
        staff_internships(""),
        ("GET",),
        query=("status", "page"),
        staff=True,
    ),
    Route(
        "staff/internships/<slug:program>/new/",
        staff_internships("new/"),
        ("GET", "POST"),
        form=(
            "kind",
            "card_number",
            "employer",
            "start_on",
            "end_on",
            "place",
            "content",
            "schedule",
            "safety_notes",
            "harassment_notes",
            "travel_paid_by_employer",
        ),
        staff=True,
        weight=2,
    ),
    Route(
        "staff/internships/<slug:program>/<int:pk>/",
        staff_internships("{internship}/"),
        ("GET",),
        staff=True,
    ),
    Route(
        "staff/internships/<slug:program>/<int:pk>/consents/",
        staff_internships("{internship}/consents/"),
        ("POST",),
        form=("party", "given_on", "given_by"),
        staff=True,
        weight=2,
    ),
    Route(
        "staff/internships/<slug:program>/<int:pk>/insurance/",
        staff_internships("{internship}/insurance/"),
        ("POST",),
        form=INSURANCE_FIELDS,
        staff=True,
        weight=2,
    ),
    Route(
        "staff/internships/<slug:program>/<int:pk>/confirm/",
        staff_internships("{internship}/confirm/"),
        ("POST",),
        staff=True,
    ),
    Route(
        "staff/internships/<slug:program>/<int:pk>/plan.pdf",
        staff_internships("{internship}/plan.pdf"),
        ("GET",),
        staff=True,
    ),
]
ROUTES_BY_PATTERN = {route.pattern: route for route in ROUTES}
OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def resolver_patterns() -> set[str]:
    def walk(patterns: list[Any], prefix: str) -> Any:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return set(walk(get_resolver().url_patterns, ""))


def test_every_url_pattern_of_the_project_is_fuzzed() -> None:
    patterns = {
        p
        for p in resolver_patterns()
        if p not in NOT_FUZZED and not p.startswith(tuple(NOT_FUZZED_PREFIXES))
    }
    missing = sorted(patterns - ROUTES_BY_PATTERN.keys())
    assert not missing, f"add these endpoints to ROUTES, with the inputs they read: {missing}"
    stale = sorted(ROUTES_BY_PATTERN.keys() - patterns)
    assert not stale, f"ROUTES names patterns that no longer exist: {stale}"


# --- one request -------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    url: str
    body: bytes
    content_type: str
    headers: dict[str, str]
    signed_in: bool

    def describe(self) -> str:
        who = "signed in" if self.signed_in else "anonymous"
        return f"{self.method} {self.url[:300]} ({who}, {self.content_type}, {self.headers}) {self.body[:300]!r}"


@dataclass(frozen=True)
class Junk:
    """How much of one request is junk: ``none`` (every input right, so the view's own
    code runs), ``one`` (every input right but ``victim``), ``many`` (any input)."""

    mode: str
    victim: str = ""

    def spoils(self, name: str) -> bool:
        return self.mode == "many" or (self.mode == "one" and name == self.victim)


JUNK_ONLY = st.sampled_from(NASTY_TEXT + FAR_DATES + FAR_DATETIMES) | st.text(max_size=24)


def draw_pairs(
    w: World, draw: st.DrawFn, names: tuple[str, ...], junk: Junk
) -> list[tuple[str, str]]:
    pairs = []
    for name in names:
        good = w.good(name)
        if junk.spoils(name):
            if draw(st.integers(0, 9)) < 8:
                pairs.append((name, draw(text_values(good) if junk.mode == "many" else JUNK_ONLY)))
        elif good or draw(st.booleans()):
            pairs.append((name, draw(st.sampled_from(good or CODES))))
    if junk.mode == "many":
        for _ in range(draw(st.integers(0, 2))):
            extra = draw(st.sampled_from(["x", "\x00", "\u202e", "program", *names]))
            pairs.append((extra, draw(text_values([]))))
    return pairs


def json_value(w: World, name: str, junk: Junk) -> st.SearchStrategy[Any]:
    good: list[Any] = list(w.good(name))
    if name in {"seeker_id", "consultant_id"}:
        good = [w.seeker_id, w.staff.pk]
    if name == "employer_id":
        good = [w.employer_id]
    if name == "participant_id":
        good = [w.seeker_id]
    if name in {"wage_from", "wage_to", "days_per_week", "employees", "retirement_age"}:
        good = [1100, 3, 65]
    if not junk.spoils(name):
        return st.sampled_from(good or CODES)
    return st.sampled_from(good or CODES) | st.sampled_from(JSON_ODD) | st.text(max_size=16)


def draw_json_body(w: World, draw: st.DrawFn, names: tuple[str, ...], junk: Junk) -> bytes:
    kind = "object" if junk.mode != "many" else draw(st.sampled_from(["object", "raw", "deep"]))
    if kind == "raw":
        return draw(st.sampled_from(RAW_BODIES))
    if kind == "deep":
        depth = draw(st.sampled_from([31, 33, 64, 500, 1000, 5000]))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"program":', "}")]))
        return nested_json(depth, opener, closer)
    body = {
        name: draw(json_value(w, name, junk))
        for name in names
        if not junk.spoils(name) or draw(st.integers(0, 9)) < 8
    }
    if junk.mode == "many" and draw(st.booleans()):
        body[draw(st.sampled_from(["extra", "\x00", "\ud800", "program\u202e"]))] = draw(
            st.sampled_from(JSON_ODD)
        )
    return json.dumps(body, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@st.composite
def requests(draw: st.DrawFn, route: Route, w: World) -> Request:
    inputs = ("<path>", *route.query, *route.form, *route.json)
    mode = draw(st.sampled_from(["none", "one", "one", "many", "many"]))
    junk = Junk(mode, draw(st.sampled_from(inputs)) if mode == "one" else "")
    w.spoil_path = junk.spoils("<path>")
    wrong_method = mode == "many" and draw(st.integers(0, 4)) == 0
    method = draw(st.sampled_from(OTHER_METHODS if wrong_method else route.methods))
    url = route.path(w, draw)
    query = draw_pairs(w, draw, route.query, junk) if route.query else []
    if query:
        url += "?" + form_encoded(query).decode()
    body, content_type = b"", "application/octet-stream"
    if method in {"POST", "PUT", "PATCH", "DELETE"}:
        if route.json:
            body, content_type = draw_json_body(w, draw, route.json, junk), "application/json"
        elif route.form:
            body = form_encoded(draw_pairs(w, draw, route.form, junk))
            content_type = "application/x-www-form-urlencoded"
        if junk.mode == "many" and draw(st.integers(0, 4)) == 0:
            body = draw(st.sampled_from(RAW_BODIES))
            content_type = draw(
                st.sampled_from(
                    [
                        "application/json",
                        "text/plain",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "",
                    ]
                )
            )
    headers: dict[str, str] = {}
    signed_in = route.staff
    if url.startswith("/api/"):
        auth = draw(
            st.sampled_from(
                ["token", "token", "session", "none", "junk", "basic", "empty"]
                if junk.mode == "many"
                else ["token", "token", "session"]
            )
        )
        headers.update(
            {
                "token": {"authorization": f"Bearer {w.api_token}"},
                "session": {},
                "none": {},
                "junk": {"authorization": "Bearer sc_" + "0" * 40},
                "basic": {"authorization": "Basic dXNlcjpwYXNz"},
                "empty": {"authorization": "Bearer "},
            }[auth]
        )
        signed_in = auth == "session"
    if draw(st.integers(0, 4)) == 0:
        headers["accept"] = draw(st.sampled_from(["application/json", "text/html", "*/*"]))
    return Request(method, url, body, content_type, headers, signed_in)


def send(client: Client, request: Request, prepare: Any = None) -> Any:
    """The request in a savepoint that is rolled back; the client's cookies are put back,
    so the next example starts from the same data and the same sign-in."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if prepare is not None:
                prepare()
            response = client.generic(
                request.method,
                request.url,
                data=request.body,
                content_type=request.content_type,
                headers=request.headers,
            )
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


def assert_no_server_error(response: Any, request: Request) -> None:
    assert response.status_code < 500, f"{response.status_code} for {request.describe()}"
    if request.url.startswith("/api/") and response.status_code >= 400 and request.method != "HEAD":
        assert response["Content-Type"].startswith("application/json"), request.describe()
        body = json.loads(response.content)
        assert {"error", "message"} <= body.keys() <= {"error", "message", "fields", "details"}


# --- the fuzz ----------------------------------------------------------------------------------


@pytest.fixture
def clients(world: World, client_for: Any) -> dict[str, Client]:
    staff: Client = client_for(world.staff)
    staff.raise_request_exception = False
    return {"staff": staff, "anonymous": Client(raise_request_exception=False)}


def fuzz_route(route: Route, w: World, clients: dict[str, Client]) -> None:
    @settings(FUZZ, max_examples=FUZZ.max_examples * route.weight)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        request = data.draw(requests(route, w), label="request")
        client = clients["staff"] if request.signed_in else clients["anonymous"]
        prepare = None
        if route.prepare is not None:
            hook = route.prepare

            def prepare() -> None:
                hook(w, client, data.draw)

        response = send(client, request, prepare)
        event(f"{request.method} {response.status_code}")  # --hypothesis-show-statistics
        assert_no_server_error(response, request)

    run()


GROUPS = {
    "api": [r for r in ROUTES if r.pattern.startswith("api/")],
    "public booking": [r for r in ROUTES if r.pattern.startswith(("book/", "calendar/"))],
    "line": [r for r in ROUTES if r.pattern.startswith(("line/", "chat/"))],
    "staff": [r for r in ROUTES if r.pattern.startswith("staff/")],
    "other": [r for r in ROUTES if r.pattern in {"", "healthz"}],
}


def test_the_groups_hold_every_route() -> None:
    assert sorted(r.pattern for g in GROUPS.values() for r in g) == sorted(ROUTES_BY_PATTERN)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_no_endpoint_answers_a_server_error_to_junk(
    group: str, world: World, clients: dict[str, Client]
) -> None:
    for route in GROUPS[group]:
        fuzz_route(route, world, clients)
