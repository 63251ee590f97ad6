"""インターンシップ参加者数 (Saitama 2(1): ≥ 100) for any program and date range, with
the records behind the figure (issue 14 item 7).

An internship counts when it was confirmed (確定) or done (実施済み) and one of its days
falls in the range; planned (調整中) and cancelled (中止) ones do not. The contract counts
人 (people): a participant with two internships in the range is one person and two
internships. One query, whatever the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from secondcareer.placements.internship_models import Internship, InternshipStatus
from secondcareer.programs.models import Program

COUNTED_STATUSES = (InternshipStatus.CONFIRMED, InternshipStatus.DONE)


@dataclass(frozen=True)
class InternshipParticipants:
    """``people`` (人, distinct participants) and ``internships`` (件), with the ids
    behind them: ``by_seeker`` maps each participant to their internships' ids."""

    people: int
    internships: int
    by_seeker: dict[int, list[int]]

    @property
    def seeker_ids(self) -> list[int]:
        return sorted(self.by_seeker)

    @property
    def internship_ids(self) -> list[int]:
        return sorted(i for ids in self.by_seeker.values() for i in ids)


def counted_internships(program: Program, start: dt.date, end: dt.date) -> QuerySet[Internship]:
    """The drill-down: the internships behind the figure, with their participant and
    employer, in date order."""
    return (
        Internship.objects.filter(
            program=program,
            status__in=COUNTED_STATUSES,
            start_on__lte=end,
            end_on__gte=start,
        )
        .select_related("participant", "employer")
        .order_by("start_on", "id")
    )


def internship_participants(
    program: Program, start: dt.date, end: dt.date
) -> InternshipParticipants:
    """The participants of ``program``'s internships with a day from ``start`` to
    ``end`` (both included). One query."""
    by_seeker: dict[int, list[int]] = {}
    rows = counted_internships(program, start, end).values_list("participant_id", "id")
    for seeker_id, internship_id in rows:
        by_seeker.setdefault(seeker_id, []).append(internship_id)
    return InternshipParticipants(
        people=len(by_seeker),
        internships=sum(len(ids) for ids in by_seeker.values()),
        by_seeker=by_seeker,
    )
