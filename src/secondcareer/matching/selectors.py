"""Reads of matching: a seeker's profile, the postings for a seeker, the seekers for a
posting, and the recommendation digest (docs/matching.md).

Every list comes from the engine over the database feed (:mod:`secondcareer.matching.feed`,
cached per process) with the program's weights; results carry the engine's reasons and
gaps in Japanese, plus what only the database knows (再雇用の上限, 研修, the time of day).
A consultant's pinned postings come first, hidden ones are left out (or, asked for,
shown last); a pinned posting that no longer passes a hard filter stays, its gaps say
which.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from secondcareer.jobs.models import JobPosting, WageType
from secondcareer.matching.engine import DEFAULT_WEIGHTS, Match, Seeker, Weights
from secondcareer.matching.feed import (
    Feed,
    engine_seeker,
    facts_of,
    feed_for,
    seekers_for,
)
from secondcareer.matching.models import (
    DigestMark,
    MatchChoice,
    MatchDecision,
    MatchingWeights,
    SeekerProfile,
    TimeOfDay,
)
from secondcareer.people.models import Seeker as Person
from secondcareer.programs.models import Program

__all__ = [
    "PostingMatch",
    "SeekerMatch",
    "digest_for",
    "matching_weights",
    "posting_matches",
    "postings_matches",
    "profile_for",
    "seeker_matches",
    "seekers_matches",
]


@dataclass(frozen=True)
class SeekerMatch:
    """A posting recommended to a seeker."""

    posting: JobPosting  # with employer and workplace_area loaded
    score: float  # 0–1
    reasons: list[str]
    gaps: list[str]
    decision: str | None = None  # "pin" | "hide" | None


@dataclass(frozen=True)
class PostingMatch:
    """A seeker who fits a posting (job developers, the matching meeting)."""

    seeker: Person
    score: float
    reasons: list[str]
    gaps: list[str] = field(default_factory=list)


def _on(on: dt.date | None) -> dt.date:
    return on if on is not None else timezone.localdate()


def profile_for(program: Program, seeker: Person) -> SeekerProfile | None:
    """The seeker's matching profile in the program, with its wished areas."""
    return (
        SeekerProfile.objects.filter(program=program, seeker=seeker)
        .select_related("seeker", "updated_by")
        .prefetch_related("wished_areas")
        .first()
    )


def matching_weights(program: Program) -> Weights:
    """The program's weights (preset ``matching.weights``), else the engine's defaults."""
    row = MatchingWeights.objects.filter(program=program).first()
    if row is None:
        return DEFAULT_WEIGHTS
    return Weights(wage=row.wage, commute=row.commute, occupation=row.occupation, text=row.text)


# --- what only the database knows -------------------------------------------------------------


def _employer_facts(posting: JobPosting, age: int) -> tuple[list[str], list[str]]:
    """The employer's senior-friendly facts as reasons, and as a gap a 定年 or 再雇用 upper
    age the seeker has already reached (the posting's own figures first)."""
    reasons: list[str] = []
    gaps: list[str] = []
    rehire = posting.rehire_max_age or posting.employer.rehire_max_age
    retirement = posting.retirement_age or posting.employer.retirement_age
    limit = rehire or retirement
    if limit and age >= limit:
        gaps.append(
            f"再雇用の上限（{limit}歳）に達しています"
            if rehire
            else f"定年（{limit}歳）に達しています"
        )
    elif rehire:
        reasons.append(f"{rehire}歳まで再雇用あり")
    elif retirement:
        reasons.append(f"定年{retirement}歳")
    if posting.employer.training:
        reasons.append("研修あり")
    return reasons, gaps


_TIME_LABELS = {
    TimeOfDay.MORNING: "午前",
    TimeOfDay.AFTERNOON: "午後",
    TimeOfDay.EVENING: "夕方・夜間",
}


def fits_time_of_day(wish: str, start: float) -> bool:
    """Whether work starting at hour ``start`` suits the wished time of day (unknown:
    yes). Morning: starts before 12:00; afternoon: 11:00–16:59; evening: from 16:00."""
    if wish == TimeOfDay.ANY or math.isnan(start):
        return True
    if wish == TimeOfDay.MORNING:
        return start < 12
    if wish == TimeOfDay.AFTERNOON:
        return 11 <= start < 17
    return start >= 16 or start < 4


def _time_gap(feed: Feed, row: int, wish: str) -> list[str]:
    start = float(feed.starts[row])
    if fits_time_of_day(wish, start):
        return []
    hour, minute = int(start), round((start - int(start)) * 60)
    return [
        f"希望の時間帯（{_TIME_LABELS[TimeOfDay(wish)]}）と異なります（{hour}時{minute:02d}分から）"
    ]


def _hard_gaps(feed: Feed, seeker: Seeker, row: int) -> list[str]:
    """What a posting outside the hard filters breaks (shown for pinned or hidden ones)."""
    p = feed.index.postings
    gaps = []
    area = int(p.area[row])
    minutes = float(feed.index.commute[seeker.home_area, area])
    if area not in seeker.wished_areas and not minutes <= seeker.max_commute_minutes:
        gaps.append("希望の地域・通勤時間の範囲外です")
    if bool(p.age_limit_lawful[row]):
        low, high = float(p.age_min[row]), float(p.age_max[row])
        if (not math.isnan(low) and seeker.age < low) or (
            not math.isnan(high) and seeker.age > high
        ):
            gaps.append("求人の年齢制限に当てはまりません")
    days = int(p.days_per_week[row])
    if days > seeker.max_days_per_week:
        gaps.append(f"週{days}日の勤務で、希望（週{seeker.max_days_per_week}日まで）より多い")
    hours = float(p.hours_per_day[row])
    if hours > seeker.max_hours_per_day:
        gaps.append(
            f"1日{hours:g}時間の勤務で、希望（{seeker.max_hours_per_day:g}時間まで）より長い"
        )
    if float(p.wage_to[row]) < seeker.min_hourly_wage:
        gaps.append("賃金の上限が希望の時給に届きません")
    if seeker.employment_types and int(p.employment_type[row]) not in seeker.employment_types:
        gaps.append("希望の雇用形態ではありません")
    if int(p.physical_load[row]) > seeker.physical_limit:
        gaps.append("身体的な負担が希望より重い仕事です")
    return gaps


def _explained(
    feed: Feed,
    seeker: Seeker,
    time_of_day: str,
    row: int,
    posting: JobPosting,
    *,
    passes: bool,
) -> tuple[list[str], list[str]]:
    reasons, gaps = feed.index.explain(seeker, row)
    reasons_out = list(reasons)
    gaps_out = list(gaps)
    if not passes:
        hard = _hard_gaps(feed, seeker, row)
        # the engine's sentences for days and hours assume the filters passed
        if any(g.startswith("週") for g in hard):
            reasons_out = [r for r in reasons_out if not r.startswith("週")]
        if any(g.startswith("1日") for g in hard):
            reasons_out = [r for r in reasons_out if not r.startswith("1日")]
        gaps_out = hard + gaps_out
    reasons_out, gaps_out = _wage_words(posting, reasons_out, gaps_out)
    facts, facts_gaps = _employer_facts(posting, seeker.age)
    reasons_out.extend(facts)
    gaps_out.extend(facts_gaps)
    gaps_out.extend(_time_gap(feed, row, time_of_day))
    return reasons_out, gaps_out


_HOURLY_REASON = re.compile(r"^時給([\d,]+)円からで希望以上$")
_HOURLY_GAP = re.compile(r"^時給が希望より([\d,]+)円低い（上限[\d,]+円）$")


def _wage_words(
    posting: JobPosting, reasons: list[str], gaps: list[str]
) -> tuple[list[str], list[str]]:
    """The engine compares hourly figures; a 日給 or 月給 posting's sentences say the
    posting's own wage and the hourly figure it was compared as."""
    if posting.wage_type not in (WageType.DAILY, WageType.MONTHLY):
        return reasons, gaps
    label = WageType(posting.wage_type).label
    stated = f"{label}{posting.wage_from:,}円"
    if posting.wage_to and posting.wage_to != posting.wage_from:
        stated += f"～{posting.wage_to:,}円"
    out_reasons = []
    for reason in reasons:
        match = _HOURLY_REASON.match(reason)
        out_reasons.append(
            f"{label}{posting.wage_from:,}円から（時給に直すと約{match.group(1)}円）で希望以上"
            if match
            else reason
        )
    out_gaps = []
    for gap in gaps:
        match = _HOURLY_GAP.match(gap)
        out_gaps.append(
            f"時給に直すと希望より約{match.group(1)}円低い（{stated}）" if match else gap
        )
    return out_reasons, out_gaps


def _postings(ids: Iterable[int]) -> dict[int, JobPosting]:
    return {
        p.pk: p
        for p in JobPosting.objects.filter(pk__in=list(ids)).select_related(
            "employer", "workplace_area"
        )
    }


# --- postings for a seeker ----------------------------------------------------------------------


def seeker_matches(
    *,
    program: Program,
    seeker: Person,
    top: int = 20,
    include_hidden: bool = False,
    on: dt.date | None = None,
) -> list[SeekerMatch]:
    """The best ``top`` open postings for the seeker, best first: pinned ones first
    (by score), then the engine's ranking without the hidden ones; with
    ``include_hidden``, the hidden ones after them, flagged. Empty without a profile."""
    found = seekers_matches(
        program=program, seekers=[seeker], top=top, include_hidden=include_hidden, on=on
    )
    return found.get(seeker.pk, [])


def seekers_matches(
    *,
    program: Program,
    seekers: Collection[Person],
    top: int = 20,
    include_hidden: bool = False,
    on: dt.date | None = None,
) -> dict[int, list[SeekerMatch]]:
    """:func:`seeker_matches` for many seekers at once (the matching meeting), by seeker
    id: the profiles, the decisions and the postings shown are read once for all of
    them, so the queries do not grow with the number of seekers. Seekers without a
    profile are left out."""
    day = _on(on)
    if top <= 0 or not seekers:
        return {}
    profiles = {
        p.seeker_id: p
        for p in SeekerProfile.objects.filter(
            program=program, seeker_id__in=[s.pk for s in seekers]
        )
        .select_related("seeker", "updated_by")
        .prefetch_related("wished_areas")
    }
    if not profiles:
        return {}
    feed = feed_for(program, day)
    weights = matching_weights(program)
    decisions: dict[int, dict[int, str]] = {pk: {} for pk in profiles}
    for seeker_id, posting_id, choice in MatchDecision.objects.filter(
        program=program, seeker_id__in=list(profiles)
    ).values_list("seeker_id", "posting_id", "choice"):
        decisions[seeker_id][posting_id] = choice
    planned = []
    for seeker in seekers:
        profile = profiles.get(seeker.pk)
        if profile is None:
            continue
        target = engine_seeker(feed, facts_of(profile), day)
        chosen, survivors = _chosen(
            feed, target, decisions[seeker.pk], top, include_hidden, weights
        )
        planned.append((seeker.pk, profile, target, chosen, survivors))
    ids = feed.index.postings.ids
    loaded = _postings({int(ids[row]) for *_, chosen, _ in planned for row, _, _ in chosen})
    out: dict[int, list[SeekerMatch]] = {}
    for seeker_id, profile, target, chosen, survivors in planned:
        matches = []
        for row, score, decision in chosen:
            posting = loaded.get(int(ids[row]))
            if posting is None:  # deleted since the feed was built
                continue
            passes = decision is None or row in survivors
            reasons, gaps = _explained(
                feed, target, profile.time_of_day, row, posting, passes=passes
            )
            matches.append(SeekerMatch(posting, score, reasons, gaps, decision))
        out[seeker_id] = matches
    return out


def _chosen(
    feed: Feed,
    target: Seeker,
    decisions: dict[int, str],
    top: int,
    include_hidden: bool,
    weights: Weights,
) -> tuple[list[tuple[int, float, str | None]], set[int]]:
    """A seeker's rows to show (row, score, decision), pinned first, and the rows that
    pass the hard filters (asked only when a pinned or hidden one needs it)."""
    row_of = feed.index.row_of
    pinned = [row_of[pk] for pk, c in decisions.items() if c == MatchChoice.PIN and pk in row_of]
    hidden = [row_of[pk] for pk, c in decisions.items() if c == MatchChoice.HIDE and pk in row_of]
    left_out = set(pinned) | set(hidden)
    rows, scores = feed.index.top_posting_rows(target, top + len(left_out), weights)
    ranked = [
        (int(r), float(s))
        for r, s in zip(rows.tolist(), scores.tolist(), strict=True)
        if r not in left_out
    ]
    survivors = set(feed.index.survivor_rows(target).tolist()) if left_out else set()
    chosen: list[tuple[int, float, str | None]] = []
    chosen.extend(
        (row, score, MatchChoice.PIN.value) for row, score in _scored(feed, target, pinned, weights)
    )
    chosen.extend((row, score, None) for row, score in ranked[: max(top - len(pinned), 0)])
    if include_hidden:
        chosen.extend(
            (row, score, MatchChoice.HIDE.value)
            for row, score in _scored(feed, target, hidden, weights)
        )
    return chosen, survivors


def _scored(
    feed: Feed, seeker: Seeker, rows: list[int], weights: Weights
) -> list[tuple[int, float]]:
    """Rows with their pair scores, best first (ties by posting id)."""
    if not rows:
        return []
    scores = feed.index.pair_scores(seeker, np.asarray(rows, dtype=np.int64), weights)
    ids = feed.index.postings.ids
    pairs = [(row, float(score)) for row, score in zip(rows, scores.tolist(), strict=True)]
    return sorted(pairs, key=lambda pair: (-pair[1], int(ids[pair[0]])))


# --- seekers for a posting ----------------------------------------------------------------------


def posting_matches(
    *,
    program: Program,
    posting: JobPosting,
    top: int = 20,
    on: dt.date | None = None,
    among: Collection[int] | None = None,
) -> list[PostingMatch]:
    """The best ``top`` seekers (active, with a profile) for an open posting, best first,
    with the same hard filters and pair score as :func:`seeker_matches`; a pair a
    consultant hid is left out. ``among``: only these seeker ids (a consultant's
    caseload). Empty for a posting that is not open on ``on``."""
    found = postings_matches(program=program, postings=[posting], top=top, on=on, among=among)
    return found.get(posting.pk, [])


def postings_matches(
    *,
    program: Program,
    postings: Collection[JobPosting],
    top: int = 20,
    on: dt.date | None = None,
    among: Collection[int] | None = None,
) -> dict[int, list[PostingMatch]]:
    """:func:`posting_matches` for many postings at once (the matching meeting), by
    posting id: the hidden pairs and the seekers shown are read once for all of them.
    Postings not open on ``on`` (or of another program) are left out."""
    day = _on(on)
    postings = [p for p in postings if p.program_id == program.pk]
    if top <= 0 or not postings:
        return {}
    feed = feed_for(program, day)
    postings = [p for p in postings if p.pk in feed.index.row_of]
    if not postings:
        return {}
    indexed = seekers_for(program, feed)
    weights = matching_weights(program)
    hidden: dict[int, set[int]] = {p.pk: set() for p in postings}
    for posting_id, seeker_id in MatchDecision.objects.filter(
        program=program, posting_id__in=list(hidden), choice=MatchChoice.HIDE
    ).values_list("posting_id", "seeker_id"):
        hidden[posting_id].add(seeker_id)
    index = indexed.index
    found: dict[int, list[Match]] = {}
    for posting in postings:
        left_out = hidden[posting.pk]
        # ids and scores first (cheap), explanations only for the ones kept
        size = len(index.seekers.records) if among is not None else top + len(left_out)
        rows, scores = index.top_seeker_rows(posting.pk, size, weights)
        posting_row = index.row_of[posting.pk]
        kept: list[Match] = []
        for r, score in zip(rows.tolist(), scores.tolist(), strict=True):
            record = index.seekers.records[r]
            if record.id in left_out or (among is not None and record.id not in among):
                continue
            engine_reasons, engine_gaps = index.explain(record, posting_row)
            reasons, gaps = _wage_words(posting, list(engine_reasons), list(engine_gaps))
            facts, facts_gaps = _employer_facts(posting, record.age)
            kept.append(Match(record.id, float(score), (*reasons, *facts), (*gaps, *facts_gaps)))
            if len(kept) == top:
                break
        found[posting.pk] = kept
    people = {
        s.pk: s
        for s in Person.objects.filter(
            pk__in={m.id for kept in found.values() for m in kept}
        ).select_related("area")
    }
    return {
        posting_id: [
            PostingMatch(people[m.id], m.score, list(m.reasons), list(m.gaps))
            for m in kept
            if m.id in people
        ]
        for posting_id, kept in found.items()
    }


# --- the digest ---------------------------------------------------------------------------------


def digest_for(
    *,
    program: Program,
    seeker: Person,
    top: int = 5,
    now: dt.datetime | None = None,
) -> list[SeekerMatch]:
    """The best ``top`` open postings for the seeker that are new since their last
    digest (:func:`~secondcareer.matching.services.digest_mark`): registered after it
    and not in it; hidden ones never. Without an earlier digest every open posting is new."""
    moment = now if now is not None else timezone.now()
    day = timezone.localdate(moment)
    profile = profile_for(program, seeker)
    if profile is None or top <= 0:
        return []
    feed = feed_for(program, day)
    target = engine_seeker(feed, facts_of(profile), day)
    weights = matching_weights(program)
    mark = DigestMark.objects.filter(program=program, seeker=seeker).first()
    hidden = set(
        MatchDecision.objects.filter(
            program=program, seeker=seeker, choice=MatchChoice.HIDE
        ).values_list("posting_id", flat=True)
    )
    rows = feed.index.survivor_rows(target)
    ids = feed.index.postings.ids
    if mark is not None:
        rows = rows[feed.created[rows] > mark.at.timestamp()]
        sent = set(mark.posting_ids or ())
        hidden |= sent
    if hidden:
        rows = rows[~np.isin(ids[rows], np.fromiter(hidden, np.int64, len(hidden)))]
    best = _scored(feed, target, rows.tolist(), weights)[:top]
    loaded = _postings(int(ids[row]) for row, _ in best)
    out = []
    for row, score in best:
        posting = loaded.get(int(ids[row]))
        if posting is None:
            continue
        reasons, gaps = _explained(feed, target, profile.time_of_day, row, posting, passes=True)
        out.append(SeekerMatch(posting, score, reasons, gaps, None))
    return out
