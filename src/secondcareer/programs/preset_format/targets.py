"""Preset sections about what is counted: ``kpis``, ``report`` and ``publications``.

KPI and report items nest their breakdown (うち…) in the file; :attr:`Kpis.specs` and
:attr:`Report.items` give them flat, each breakdown after its parent, as the loader
writes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Self

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field, Strict, model_validator

from secondcareer.programs.choices import CountPeriod, PublicationMedium
from secondcareer.programs.preset_format.consultations import KindRef, ServiceRef
from secondcareer.programs.preset_format.fields import (
    AtLeastOne,
    Code,
    Distinct,
    Here,
    Loc,
    OneOf,
    PresetModel,
    Problems,
    RefTo,
    RequiredText,
    Text,
    UniqueCodes,
    unique_codes,
)
from secondcareer.programs.rules import DueRule, DueSchedule, Roll

EventKindRef = Annotated[str, RefTo("event_kind", lambda: _("行事の種類"))]


class Scope(PresetModel):
    """What a KPI or report figure counts (see ``models.targets._Scoped``)."""

    services: Annotated[tuple[ServiceRef, ...], Distinct(lambda: _("相談サービス"))] = ()
    consultation_kinds: Annotated[tuple[KindRef, ...], Distinct(lambda: _("相談の種類"))] = Field(
        (), alias="kinds"
    )
    event_kinds: Annotated[tuple[EventKindRef, ...], Distinct(lambda: _("行事の種類"))] = ()
    age_from: Annotated[int, Strict(), Field(ge=0, le=120)] | None = None
    note: Text = ""

    @property
    def scope(self) -> Scope:
        return self


# --- kpis -----------------------------------------------------------------------------

Target = Annotated[int, Strict(), Field(ge=0, le=10_000_000)]
FiscalYear = Annotated[int, Strict(), Field(ge=2000, le=2100)]


class KpiBreakdown(Scope):
    """A part of a KPI (うち60歳以上); its unit defaults to the KPI's."""

    code: Code
    name: RequiredText
    unit: Text = ""
    target: Target
    by_year: dict[Annotated[int, Strict()], Annotated[int, Strict(), Field(ge=0)]] = Field(
        default_factory=dict
    )


class KpiItem(KpiBreakdown):
    unit: RequiredText
    breakdown: tuple[KpiBreakdown, ...] = ()


@dataclass(frozen=True)
class KpiSpec:
    code: str
    name: str
    unit: str
    targets: dict[int, int]  # fiscal year → value
    parent: str | None
    scope: Scope


def _years_once(value: tuple[int, ...]) -> tuple[int, ...]:
    problems = Problems()
    for index, year in enumerate(value):
        if year in value[:index]:
            problems.add(index, _("年度 %(year)s が2回書かれています"), year=year)
    problems.raise_any()
    return value


class Kpis(PresetModel):
    """``target`` applies to every fiscal year; ``by_year`` overrides some."""

    fiscal_years: Annotated[
        tuple[FiscalYear, ...],
        AtLeastOne(lambda: _("年度を1つ以上書いてください")),
        AfterValidator(_years_once),
    ]
    items: tuple[KpiItem, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = Problems()
        entries: list[tuple[Loc, str]] = []
        for i, item in enumerate(self.items):
            entries.append((("items", i), item.code))
            self._check_years(("items", i), item, problems)
            parent_targets = self._targets(item)
            for j, part in enumerate(item.breakdown):
                where: Loc = ("items", i, "breakdown", j)
                entries.append((where, part.code))
                self._check_years(where, part, problems)
                for year, amount in self._targets(part).items():
                    if amount > parent_targets.get(year, amount):
                        problems.add(
                            (*where, "target"),
                            _(
                                "%(amount)s が %(parent)r の %(year)s 年度の目標 %(target)s を超えています"
                            ),
                            amount=amount,
                            parent=item.code,
                            year=year,
                            target=parent_targets[year],
                        )
                        break
        unique_codes(entries, problems)
        problems.raise_any()
        return self

    def _check_years(self, where: Loc, entry: KpiBreakdown, problems: Problems) -> None:
        for year in entry.by_year:
            if year not in self.fiscal_years:
                problems.add(
                    (*where, "by_year", year),
                    _("年度 %(year)s は kpis.fiscal_years にありません"),
                    year=year,
                )

    def _targets(self, entry: KpiBreakdown) -> dict[int, int]:
        return {**dict.fromkeys(self.fiscal_years, entry.target), **entry.by_year}

    @property
    def specs(self) -> tuple[KpiSpec, ...]:
        """Every KPI, each breakdown after its parent."""
        found: list[KpiSpec] = []
        for item in self.items:
            found.append(KpiSpec(item.code, item.name, item.unit, self._targets(item), None, item))
            found += [
                KpiSpec(
                    part.code,
                    part.name,
                    part.unit or item.unit,
                    self._targets(part),
                    item.code,
                    part,
                )
                for part in item.breakdown
            ]
        return tuple(found)


# --- report ---------------------------------------------------------------------------

RollName = Annotated[str, OneOf(lambda: _("休日の扱い"), [r.value for r in Roll])]


class DueException(PresetModel):
    month: Annotated[int, Strict(), Field(ge=1, le=12)]
    day: Annotated[int, Strict(), Field(ge=1, le=31)]
    months_after: Annotated[int, Strict(), Field(ge=0, le=12)] = 1
    roll: RollName = Roll.NEXT_BUSINESS_DAY.value
    note: Text = ""

    def rule(self) -> DueRule:
        return DueRule(self.day, self.months_after, Roll(self.roll), self.month)


def _months_once(value: tuple[DueException, ...]) -> tuple[DueException, ...]:
    problems = Problems()
    first: dict[int, int] = {}
    for index, entry in enumerate(value):
        if entry.month in first:
            problems.add(
                (index, "month"),
                _("%(month)s 月の例外はすでにあります（%(also)s）"),
                month=entry.month,
                also=Here((first[entry.month],)),
            )
        else:
            first[entry.month] = index
    problems.raise_any()
    return value


class Due(PresetModel):
    """「翌月10日（土日祝日の場合は、翌営業日）」 is ``{day: 10}``; ``exceptions`` hold
    other rules for particular report months."""

    day: Annotated[int, Strict(), Field(ge=1, le=31)]
    months_after: Annotated[int, Strict(), Field(ge=0, le=12)] = 1
    roll: RollName = Roll.NEXT_BUSINESS_DAY.value
    note: Text = ""
    exceptions: Annotated[tuple[DueException, ...], AfterValidator(_months_once)] = ()


class ReportSubItem(Scope):
    code: Code
    name: RequiredText


class ReportItem(Scope):
    code: Code
    name: RequiredText
    number: Annotated[int, Strict(), Field(ge=1, le=99)]
    breakdown: tuple[ReportSubItem, ...] = ()


@dataclass(frozen=True)
class ReportItemSpec:
    code: str
    name: str
    number: int
    parent: str | None
    scope: Scope


class Report(PresetModel):
    schedule: Due = Field(alias="due")
    entries: tuple[ReportItem, ...] = Field(alias="items")
    note: Text = ""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = Problems()
        numbers: dict[int, int] = {}
        entries: list[tuple[Loc, str]] = []
        for i, item in enumerate(self.entries):
            entries.append((("items", i), item.code))
            entries += [
                (("items", i, "breakdown", j), p.code) for j, p in enumerate(item.breakdown)
            ]
            if item.number in numbers:
                problems.add(
                    ("items", i, "number"),
                    _("番号 %(number)s はすでに %(also)s で使われています"),
                    number=item.number,
                    also=Here(("items", numbers[item.number])),
                )
            else:
                numbers[item.number] = i
        unique_codes(entries, problems)
        problems.raise_any()
        return self

    @property
    def due(self) -> DueSchedule:
        due = self.schedule
        return DueSchedule(
            default=DueRule(due.day, due.months_after, Roll(due.roll)),
            exceptions=tuple(e.rule() for e in due.exceptions),
        )

    @property
    def due_notes(self) -> dict[int | None, str]:
        """Report month (None = the default rule) → the note on its due date."""
        exceptions: dict[int | None, str] = {e.month: e.note for e in self.schedule.exceptions}
        return {None: self.schedule.note, **exceptions}

    @property
    def items(self) -> tuple[ReportItemSpec, ...]:
        """Every report item, each breakdown after its parent and numbered within it."""
        found: list[ReportItemSpec] = []
        for item in self.entries:
            found.append(ReportItemSpec(item.code, item.name, item.number, None, item))
            found += [
                ReportItemSpec(part.code, part.name, number, item.code, part)
                for number, part in enumerate(item.breakdown, 1)
            ]
        return tuple(found)


# --- publications ---------------------------------------------------------------------


class Publication(PresetModel):
    code: Code
    name: RequiredText
    medium: Annotated[str, OneOf(lambda: _("媒体"), PublicationMedium.values)]
    format: Text = ""
    count: Annotated[int, Strict(), Field(ge=1, le=10000)] | None = None
    period: Annotated[str, OneOf(lambda: _("期間"), CountPeriod.values)] = Field(
        "year", alias="per"
    )
    every: Annotated[int, Strict(), Field(ge=1, le=52)] = 1
    approximate: Annotated[bool, Strict()] = False
    copies: Annotated[int, Strict(), Field(ge=1, le=1_000_000)] | None = None
    lead_time_months: Annotated[int, Strict(), Field(ge=0, le=24)] | None = None
    event_kind: EventKindRef | None = None
    note: Text = ""


Publications = Annotated[tuple[Publication, ...], UniqueCodes]
