"""The matching meeting's agenda (マッチング会議, Saitama 2(2)ア(イ)): the seekers to
discuss with their best postings, then the postings to discuss with their best seekers.
The page, its print and its Excel file show the same agenda.

- **Seekers to discuss** on a date: those being supported (status active, not
  anonymised) with a matching profile and an open case (within the user's scope: a
  consultant's caseload), those with a pinned posting
  first, then the most recently updated profiles; each with their top 3 postings open
  on that date.
- **Postings to discuss**: the postings open on that date, the centre's own (開拓求人)
  first, then the newest received; each with its top 3 seekers.

Both lists are paged (:data:`PAGE_SIZE` each) on the page; the Excel file takes up to
:data:`EXPORT_LIMIT` of each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as When_
from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils.translation import gettext as _

from secondcareer.consultations.models import Case
from secondcareer.core.jpcalendar import format_date_ja
from secondcareer.core.xlsx import Sheet, workbook_bytes
from secondcareer.jobs.models import JobPosting, PostingSource
from secondcareer.jobs.selectors import open_postings
from secondcareer.matching.models import MatchChoice, MatchDecision, SeekerProfile
from secondcareer.matching.screens import (
    area_name,
    caseload_ids,
    in_scope,
    is_new,
    percent,
    wage_text,
)
from secondcareer.matching.selectors import (
    PostingMatch,
    SeekerMatch,
    postings_matches,
    seekers_matches,
)
from secondcareer.people.models import Seeker, SeekerStatus
from secondcareer.programs.models import Program

TOP = 3
PAGE_SIZE = 20
EXPORT_LIMIT = 100


@dataclass(frozen=True)
class SeekerItem:
    seeker: Seeker
    matches: list[SeekerMatch]
    pinned: bool


@dataclass(frozen=True)
class PostingItem:
    posting: JobPosting
    matches: list[PostingMatch]
    new: bool


def seekers_to_discuss(program: Program, user: Any) -> QuerySet[Seeker]:
    """The seekers of the agenda, in order (no matches computed yet)."""
    profiles = SeekerProfile.objects.filter(program=program, seeker_id=OuterRef("pk"))
    open_case = Case.objects.open().filter(program=program, seeker_id=OuterRef("pk"))
    pinned = MatchDecision.objects.filter(
        program=program, seeker_id=OuterRef("pk"), choice=MatchChoice.PIN
    )
    seekers = (
        Seeker.objects.filter(
            program=program, status=SeekerStatus.ACTIVE, anonymised_on__isnull=True
        )
        .filter(Exists(profiles), Exists(open_case))
        .annotate(
            has_pin=Exists(pinned),
            profile_updated=Subquery(profiles.values("updated_at")[:1]),
        )
        .select_related("area")
        .order_by(F("has_pin").desc(), F("profile_updated").desc(nulls_last=True), "pk")
    )
    return in_scope(seekers, user, program)


def postings_to_discuss(program: Program, on: dt.date) -> QuerySet[JobPosting]:
    """The open postings of the agenda, in order: the centre's own first, newest first."""
    own_first = When_(
        When(source=PostingSource.OWN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        open_postings(program, on)
        .annotate(own_first=own_first)
        .order_by("own_first", F("received_on").desc(nulls_last=True), "-pk")
    )


def seeker_items(program: Program, seekers: list[Seeker], on: dt.date) -> list[SeekerItem]:
    found = seekers_matches(program=program, seekers=seekers, top=TOP, on=on)
    return [
        SeekerItem(
            seeker=s,
            matches=found.get(s.pk, []),
            pinned=bool(getattr(s, "has_pin", False)),
        )
        for s in seekers
    ]


def posting_items(
    program: Program, postings: list[JobPosting], on: dt.date, user: Any
) -> list[PostingItem]:
    among = caseload_ids(user, program)
    found = postings_matches(program=program, postings=postings, top=TOP, on=on, among=among)
    return [
        PostingItem(posting=p, matches=found.get(p.pk, []), new=is_new(p, on)) for p in postings
    ]


def seekers_shown(seekers: list[SeekerItem], postings: list[PostingItem]) -> list[Seeker]:
    """Every seeker the agenda names (for the audit), each once, in order."""
    found: dict[int, Seeker] = {}
    for item in seekers:
        found.setdefault(item.seeker.pk, item.seeker)
    for posting in postings:
        for match in posting.matches:
            found.setdefault(match.seeker.pk, match.seeker)
    return list(found.values())


def _lines(items: list[str]) -> str:
    return "\n".join(items)


def meeting_xlsx(
    program: Program, on: dt.date, seekers: list[SeekerItem], postings: list[PostingItem]
) -> bytes:
    """The agenda as an Excel workbook: a sheet of seekers (a row per seeker and
    posting), a sheet of postings (a row per posting and seeker)."""
    seeker_rows: list[list[Any]] = []
    for item in seekers:
        s = item.seeker
        who = [s.card_number, s.full_name, s.area.name if s.area else ""]
        if not item.matches:
            seeker_rows.append([*who, None, "", "", "", "", "", None, _("該当する求人なし"), ""])
        for rank, m in enumerate(item.matches, start=1):
            p = m.posting
            seeker_rows.append(
                [
                    *who,
                    rank,
                    p.number,
                    p.office_name or p.employer.name,
                    p.occupation,
                    area_name(p),
                    wage_text(p),
                    percent(m.score),
                    _lines(m.reasons),
                    _lines(m.gaps),
                ]
            )
    posting_rows: list[list[Any]] = []
    for pitem in postings:
        p = pitem.posting
        what = [
            p.number,
            p.office_name or p.employer.name,
            p.occupation,
            area_name(p),
            wage_text(p),
            PostingSource(p.source).label if p.source in PostingSource.values else "",
        ]
        if not pitem.matches:
            posting_rows.append([*what, None, "", "", None, _("候補者なし"), ""])
        for rank, sm in enumerate(pitem.matches, start=1):
            posting_rows.append(
                [
                    *what,
                    rank,
                    sm.seeker.card_number,
                    sm.seeker.full_name,
                    percent(sm.score),
                    _lines(sm.reasons),
                    _lines(sm.gaps),
                ]
            )
    title = _("%(program)s マッチング会議") % {"program": program.name}
    subtitle = _("%(day)s 現在") % {"day": format_date_ja(on)}
    return workbook_bytes(
        title=title,
        subtitle=subtitle,
        sheets=[
            Sheet(
                _("利用者"),
                [
                    _("カード番号"),
                    _("氏名"),
                    _("地域"),
                    _("順位"),
                    _("求人番号"),
                    _("事業所名"),
                    _("職種"),
                    _("就業場所"),
                    _("賃金"),
                    _("適合度（%）"),
                    _("合う点"),
                    _("合わない点"),
                ],
                seeker_rows,
                widths=(12, 14, 12, 6, 16, 22, 20, 14, 20, 8, 40, 36),
            ),
            Sheet(
                _("求人"),
                [
                    _("求人番号"),
                    _("事業所名"),
                    _("職種"),
                    _("就業場所"),
                    _("賃金"),
                    _("出所"),
                    _("順位"),
                    _("カード番号"),
                    _("氏名"),
                    _("適合度（%）"),
                    _("合う点"),
                    _("合わない点"),
                ],
                posting_rows,
                widths=(16, 22, 20, 14, 20, 12, 6, 12, 14, 8, 40, 36),
            ),
        ],
    )
