"""Preset section ``events``: event kinds, their categories and per-area allocations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Self

from django.utils.translation import gettext as _
from pydantic import Field, PrivateAttr, Strict, ValidationInfo, model_validator

from secondcareer.programs.choices import CountPeriod, EventDelivery, EventFormat
from secondcareer.programs.preset_format.consultations import (
    VenueRefs,
    validated_venues,
)
from secondcareer.programs.preset_format.fields import (
    Code,
    Here,
    Loc,
    OneOf,
    PeriodValue,
    PresetModel,
    Problems,
    RequiredText,
    Text,
    UniqueCodes,
    missing_message,
)
from secondcareer.programs.preset_format.places import AreaRef

Capacity = Annotated[int, Strict(), Field(ge=1, le=10000)]
Count = Annotated[int, Strict(), Field(ge=0, le=1000)]
Minutes = Annotated[int, Strict(), Field(ge=1, le=1440)]
Themes = Annotated[int, Strict(), Field(ge=1, le=50)]
Days = Annotated[int, Strict(), Field(ge=1, le=365)]
EventDeliveryName = Annotated[str, OneOf(lambda: _("実施形態"), EventDelivery.values)]


class EventCategory(PresetModel):
    code: Code
    name: RequiredText
    description: Text = ""
    count: Count | None = None
    min_themes: Themes | None = None
    rotate_monthly: Annotated[bool, Strict()] = False
    asks_childcare: Annotated[bool, Strict()] = False
    capacity: Capacity | None = None
    delivery: EventDeliveryName = ""  # "" = the kind's
    duration_minutes: Minutes | None = None


class EventAllocation(PresetModel):
    """One area's plan: ``count`` events, or ``counts`` per category (with ``total``
    as a check) when the kind has categories."""

    area: AreaRef
    count_: Count | None = Field(None, alias="count")
    counts_: dict[Code, Count] | None = Field(None, alias="counts")
    total: Count | None = None
    capacity_: Capacity | None = Field(None, alias="capacity")
    venues: VenueRefs = ()
    childcare_note: Text = ""

    _kind_capacity: int | None = PrivateAttr(None)

    @property
    def counts(self) -> dict[str, int]:
        """Category code → count."""
        return dict(self.counts_ or {})

    @property
    def count(self) -> int:
        return sum(self.counts.values()) if self.counts_ is not None else (self.count_ or 0)

    @property
    def capacity(self) -> int | None:
        """The allocation's own capacity, else its kind's."""
        return self.capacity_ if self.capacity_ is not None else self._kind_capacity


class EventKind(PresetModel):
    code: Code
    name: RequiredText
    format: Annotated[str, OneOf(lambda: _("行事の形式"), EventFormat.values)]
    description: Text = ""
    delivery: EventDeliveryName = "in_person"
    count: Annotated[int, Strict(), Field(ge=0, le=10000)] | None = None
    count_period: Annotated[str, OneOf(lambda: _("期間"), CountPeriod.values)] = Field(
        "year", alias="per"
    )
    count_is_minimum: Annotated[bool, Strict()] = Field(False, alias="at_least")
    time: PeriodValue | None = None
    duration_minutes: Minutes | None = None
    max_duration_minutes: Minutes | None = None
    capacity: Capacity | None = None
    capacity_approximate: Annotated[bool, Strict()] = False
    companies_per_event: Annotated[int, Strict(), Field(ge=1, le=1000)] | None = None
    followup_consultations: Annotated[int, Strict(), Field(ge=1, le=100)] | None = None
    followup_minutes: Annotated[int, Strict(), Field(ge=1, le=480)] | None = None
    days_min: Days | None = None
    days_max: Days | None = None
    min_themes: Themes | None = None
    required_themes: tuple[RequiredText, ...] = ()
    no_repeat_in_adjacent_areas: Annotated[bool, Strict()] = False
    requires_booking: Annotated[bool, Strict()] = True
    venues: VenueRefs = ()
    venue_note: Text = ""
    note: Text = ""
    categories: Annotated[tuple[EventCategory, ...], UniqueCodes] = ()
    allocations: tuple[EventAllocation, ...] = ()

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        problems = Problems()
        time, duration = self.time, self.duration_minutes
        if time is not None and duration is not None and duration != time.minutes:
            problems.add(
                "duration_minutes",
                _("%(duration)s 分は時間帯 %(time)s（%(minutes)s 分）と合いません"),
                duration=duration,
                time=str(time),
                minutes=time.minutes,
            )
        days_min, days_max = self.days_min, self.days_max
        if days_min is not None and days_max is not None and days_min > days_max:
            problems.add(
                "days_max",
                _("%(max)s が days_min の %(min)s より小さくなっています"),
                max=days_max,
                min=days_min,
            )
        self._check_allocations(problems)
        if not problems.found:
            self._check_totals(problems)
            self._check_capacity(problems, info)
        problems.raise_any()
        for allocation in self.allocations:
            allocation._kind_capacity = self.capacity
        return self

    def _check_allocations(self, problems: Problems) -> None:
        categories = [c.code for c in self.categories]
        first: dict[str, int] = {}
        for index, a in enumerate(self.allocations):
            where: Loc = ("allocations", index)
            if a.area in first:
                problems.add(
                    (*where, "area"),
                    _("地域 %(area)r の計画はすでにあります（%(also)s）"),
                    area=a.area,
                    also=Here(("allocations", first[a.area])),
                )
            else:
                first[a.area] = index
            if categories:
                if a.counts_ is None:
                    problems.add((*where, "counts"), missing_message())
                if a.count_ is not None:
                    problems.add(
                        (*where, "count"),
                        _("区分のある行事では count でなく counts で区分ごとの回数を書きます"),
                    )
                for code in a.counts:
                    if code not in categories:
                        problems.add(
                            (*where, "counts", code),
                            _("区分 %(code)r はありません（この行事の区分: %(known)s）"),
                            code=code,
                            known=", ".join(categories),
                        )
                if a.total is not None and a.total != a.count:
                    problems.add(
                        (*where, "total"),
                        _("total %(total)s が区分ごとの回数の合計 %(sum)s と合いません"),
                        total=a.total,
                        sum=a.count,
                    )
            else:
                if a.count_ is None:
                    problems.add((*where, "count"), missing_message())
                if a.counts_ is not None:
                    problems.add(
                        (*where, "counts"),
                        _("counts は区分（categories）のある行事だけに書けます"),
                    )
                if a.total is not None:
                    problems.add(
                        (*where, "total"),
                        _("total は区分ごとの回数を書く計画だけに書けます"),
                    )

    def _check_totals(self, problems: Problems) -> None:
        if not self.allocations:
            return
        total = sum(a.count for a in self.allocations)
        if self.count is not None and not self.count_is_minimum and self.count != total:
            problems.add(
                "count",
                _("count %(count)s が地域ごとの計画の合計 %(total)s と合いません"),
                count=self.count,
                total=total,
            )
        for index, category in enumerate(self.categories):
            if category.count is None:
                continue
            planned = sum(a.counts.get(category.code, 0) for a in self.allocations)
            if planned != category.count:
                problems.add(
                    ("categories", index, "count"),
                    _(
                        "区分 %(code)r の回数 %(count)s が地域ごとの計画の合計 "
                        "%(planned)s と合いません"
                    ),
                    code=category.code,
                    count=category.count,
                    planned=planned,
                )

    def _check_capacity(self, problems: Problems, info: ValidationInfo) -> None:
        """An in-person event must fit the room where the venue declares its seats."""
        venues = validated_venues(info)
        if venues is None:
            return
        checks: list[tuple[Loc, int | None, str, Iterable[str]]] = [
            ((), self.capacity, self.delivery, self.venues)
        ]
        checks += [
            (
                ("categories", i),
                c.capacity or self.capacity,
                c.delivery or self.delivery,
                self.venues,
            )
            for i, c in enumerate(self.categories)
        ]
        checks += [
            (
                ("allocations", i),
                a.capacity_ if a.capacity_ is not None else self.capacity,
                self.delivery,
                a.venues,
            )
            for i, a in enumerate(self.allocations)
        ]
        for where, capacity, delivery, codes in checks:
            if capacity is None or delivery == EventDelivery.ONLINE:
                continue
            for code in codes:
                seats = venues[code].seats if code in venues else None
                if seats is not None and capacity > seats:
                    problems.add(
                        (*where, "capacity"),
                        _("%(capacity)s 人は会場 %(venue)r（%(seats)s 席）に入りません"),
                        capacity=capacity,
                        venue=code,
                        seats=seats,
                    )
        for index, a in enumerate(self.allocations):
            for code in a.venues:
                venue = venues.get(code)
                if venue is not None and venue.area != a.area:
                    problems.add(
                        ("allocations", index, "venues"),
                        _("会場 %(venue)r は地域 %(in)r にあり、%(area)r ではありません"),
                        venue=code,
                        **{"in": venue.area},
                        area=a.area,
                    )


EventKinds = Annotated[tuple[EventKind, ...], UniqueCodes]
