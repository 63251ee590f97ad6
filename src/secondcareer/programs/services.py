"""Writes for program configuration: loading a preset.

:func:`program_load_preset` is the only code that writes the configuration models from
a preset; the ``load-program`` command, the demo and tests call it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from secondcareer.core.errors import DomainError
from secondcareer.programs.models import (
    Area,
    Closure,
    ConsultationKind,
    EventAllocation,
    EventAllocationCount,
    EventCategory,
    EventKind,
    Kpi,
    KpiTarget,
    OpeningPeriod,
    Program,
    Publication,
    ReportDueRule,
    ReportItem,
    Service,
    SubstituteDate,
    Venue,
    VenueDay,
)
from secondcareer.programs.preset_format import (
    ProgramPreset,
    Scope,
    hours_as_json,
    parse_preset_file,
)

M = TypeVar("M", bound=models.Model)

_PRESET_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def preset_path(path_or_name: str | Path) -> Path:
    """``kobe`` / ``saitama`` (a shipped preset) or the path of a YAML file."""
    name = str(path_or_name)
    shipped = Path(settings.PROGRAM_PRESET_DIR)
    if _PRESET_NAME.match(name) and (shipped / f"{name}.yaml").is_file():
        return shipped / f"{name}.yaml"
    if Path(path_or_name).is_file():
        return Path(path_or_name)
    available = ", ".join(sorted(p.stem for p in shipped.glob("*.yaml")))
    raise DomainError(
        _(
            "プリセット「%(name)s」が見つかりません。"
            "同梱のプリセット（%(available)s）の名前か、YAMLファイルのパスを指定してください。"
        )
        % {"name": name, "available": available},
        code="not_found",
        status=404,
    )


@dataclass
class LoadResult:
    program: Program
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        """``created 3, updated 1, deleted 0`` (rows and changed link sets)."""
        return ", ".join(
            f"{label} {sum(counter.values())}"
            for label, counter in (
                ("created", self.created),
                ("updated", self.updated),
                ("deleted", self.deleted),
            )
        )


class _Sync:
    """Creates, updates in place, and (at the end) deletes rows by natural key, so that
    loading the same preset twice changes nothing and keeps every id.

    Field values name foreign keys by id (``area_id``) so comparing them costs no query."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self._stale: list[list[models.Model]] = []
        self._new: set[tuple[str, Any]] = set()

    def row(
        self, model: type[M], current: dict[Hashable, M], key: Hashable, values: dict[str, Any]
    ) -> M:
        """The row of ``current`` with ``key`` (taken out of it), updated to ``values``;
        a new row when there is none."""
        label = model._meta.label
        obj = current.pop(key, None)
        if obj is None:
            obj = model._default_manager.create(**values)
            self.result.created[label] += 1
            self._new.add((label, obj.pk))
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            self.result.updated[label] += 1
        return obj

    def stale(self, objs: Iterable[models.Model]) -> None:
        """Rows to delete at the end, after every row registered later than them."""
        self._stale.append(list(objs))

    def rows(
        self,
        model: type[M],
        existing: Iterable[M],
        key: Callable[[M], Hashable],
        wanted: Iterable[tuple[Hashable, dict[str, Any]]],
    ) -> dict[Hashable, M]:
        """Make the rows of ``existing`` match ``wanted`` (natural key → field values)."""
        current = {key(obj): obj for obj in existing}
        kept = {k: self.row(model, current, k, values) for k, values in wanted}
        self.stale(current.values())
        return kept

    def links(self, obj: models.Model, attr: str, targets: Iterable[models.Model]) -> None:
        """Set a many-to-many relation, touching only the links that differ."""
        manager = getattr(obj, attr)
        wanted = {target.pk for target in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            if (obj._meta.label, obj.pk) not in self._new:
                self.result.updated[f"{obj._meta.label}.{attr}"] += 1

    def delete_stale(self) -> None:
        """Delete rows no longer in the preset, children before parents. If anything
        protects one of them, refuse the whole load (the caller's transaction rolls
        back everything done so far)."""
        blocked: list[str] = []
        for batch in reversed(self._stale):
            for obj in batch:
                try:
                    _count, per_model = obj.delete()
                except (ProtectedError, RestrictedError) as exc:
                    blocked.append(_describe_blocked(obj, exc.args[1]))
                    continue
                for label, number in per_model.items():
                    if number:
                        self.result.deleted[label] += number
        if blocked:
            raise DomainError(
                _(
                    "プリセットにない設定を削除できないため、読み込みを中止しました"
                    "（データベースは変更していません）。%(details)s"
                )
                % {"details": " ".join(blocked)},
                code="conflict",
                status=409,
            )


# The sync a preset writer gets: ``rows()``/``row()``/``links()`` create, update and (at
# the end of the load) delete rows by natural key, like the sections above.
PresetSync = _Sync
PresetWriter = Callable[[PresetSync, Program, ProgramPreset], None]

# Writers of the apps above programs that keep their own preset section as rows of
# their own (consultations: ``consultation_topics``), by app label.
_PRESET_WRITERS: dict[str, PresetWriter] = {}


def register_preset_writer(app_label: str, writer: PresetWriter) -> None:
    """Have ``writer`` write ``app_label``'s rows of every preset load, in its
    transaction (called from the app's ``ready()``; calling again replaces it). Rows
    it leaves out of ``sync`` are deleted with the others; a protected one refuses the
    whole load."""
    _PRESET_WRITERS[app_label] = writer


def _describe_blocked(obj: models.Model, protected: Iterable[models.Model]) -> str:
    by_model: Counter[str] = Counter(str(p._meta.verbose_name) for p in protected)
    refs = "、".join(f"{name} {count}件" for name, count in sorted(by_model.items()))
    return _("%(kind)s「%(name)s」は %(refs)s から参照されています。") % {
        "kind": obj._meta.verbose_name,
        "name": obj,
        "refs": refs,
    }


@transaction.atomic
def _apply(preset: ProgramPreset) -> LoadResult:
    info = preset.program
    program_values = {
        "name": info.name,
        "client": info.client,
        "card_prefix": info.card_prefix,
        "description": info.description,
        "specification": info.specification,
        "spec_fiscal_year": info.spec_fiscal_year,
        "office_name": info.office_name,
        "office_address": info.office_address,
        "senior_age_from": preset.policies.senior_age_from,
        "age_bands": [
            {"code": b.code, "name": b.name, "min": b.min_age, "max": b.max_age}
            for b in preset.policies.age_bands
        ],
        "assigned_consultant": preset.policies.assigned_consultant,
        "plan_review_months": list(preset.policies.plan_review_months),
        "inactivity_followup_months": preset.policies.inactivity_followup_months,
        "retention_followup_months": preset.policies.retention_followup_months,
        "retention_followup_offsets": list(preset.retention.followup_months),
        "contract_ends_on": preset.contract.ends_on,
        "inquiry_reply_hours": preset.policies.inquiry_reply_hours,
        "chatbot_booking_always_open": preset.booking.chatbot_always_open,
        "phone_line_hours": hours_as_json(preset.booking.phone_line_hours),
        "contact_phone": preset.contact.phone,
        "contact_hours": preset.contact.hours,
        "video_room_url": preset.video.room_url,
        "staffing": preset.staffing.as_json(),
        "report_note": preset.report.note,
    }
    existing = Program.objects.select_for_update().filter(slug=info.slug).first()
    result = LoadResult(program=existing or Program(slug=info.slug))
    sync = _Sync(result)
    current: dict[Hashable, Program] = {info.slug: existing} if existing else {}
    program = sync.row(Program, current, info.slug, {"slug": info.slug, **program_values})
    result.program = program

    # Areas and adjacency.
    areas = sync.rows(
        Area,
        program.areas.all(),
        lambda a: a.code,
        [
            (
                a.code,
                {
                    "program_id": program.pk,
                    "code": a.code,
                    "name": a.name,
                    "kind": a.kind,
                    "note": a.note,
                },
            )
            for a in preset.areas
        ],
    )
    neighbours: dict[Hashable, set[str]] = {code: set() for code in areas}
    for a, b in preset.adjacency:
        neighbours[a].add(b)
        neighbours[b].add(a)
    for code, area in areas.items():
        sync.links(area, "adjacent", [areas[n] for n in neighbours[code]])

    kinds = sync.rows(
        ConsultationKind,
        program.consultation_kinds.all(),
        lambda k: k.code,
        [
            (
                k.code,
                {
                    "program_id": program.pk,
                    "code": k.code,
                    "name": k.name,
                    "description": k.description,
                },
            )
            for k in preset.consultation_kinds
        ],
    )

    # Venues and the weekdays they are used.
    venues = sync.rows(
        Venue,
        program.venues.all(),
        lambda v: v.code,
        [
            (
                v.code,
                {
                    "program_id": program.pk,
                    "code": v.code,
                    "name": v.name,
                    "formal_name": v.formal_name,
                    "address": v.address,
                    "area_id": areas[v.area].pk,
                    "booths": v.booths,
                    "seats": v.seats,
                    "note": v.note,
                },
            )
            for v in preset.venues
        ],
    )
    sync.rows(
        VenueDay,
        VenueDay.objects.filter(venue__program=program),
        lambda d: (d.venue_id, d.weekday),
        [
            (
                (venues[v.code].pk, day.weekday),
                {
                    "venue_id": venues[v.code].pk,
                    "weekday": day.weekday,
                    "nth": list(day.nth) if day.nth is not None else None,
                },
            )
            for v in preset.venues
            for day in v.days
        ],
    )

    # Services and their opening hours.
    services = sync.rows(
        Service,
        program.services.all(),
        lambda s: s.code,
        [
            (
                s.code,
                {
                    "program_id": program.pk,
                    "code": s.code,
                    "name": s.name,
                    "description": s.description,
                    "methods": list(s.methods),
                    "delivery": s.delivery,
                    "slot_minutes": s.slot_minutes,
                    "session_minutes": s.session_minutes,
                    "booking_required": s.booking_required,
                },
            )
            for s in preset.services
        ],
    )
    for s in preset.services:
        sync.links(services[s.code], "kinds", [kinds[k] for k in s.kinds])
        sync.links(services[s.code], "venues", [venues[v] for v in s.venues])
    sync.rows(
        OpeningPeriod,
        OpeningPeriod.objects.filter(service__program=program),
        lambda p: (p.service_id, p.day_type, p.start),
        [
            (
                (services[s.code].pk, day_type, period.start),
                {
                    "service_id": services[s.code].pk,
                    "day_type": day_type,
                    "start": period.start,
                    "end": period.end,
                },
            )
            for s in preset.services
            for day_type, periods in s.hours.items()
            for period in periods
        ],
    )

    # Closures and substitute dates.
    sync.rows(
        Closure,
        program.closures.all(),
        lambda c: c.code,
        [
            (
                c.code,
                {
                    "program_id": program.pk,
                    "code": c.code,
                    "name": c.name,
                    "kind": c.kind,
                    "start_month": c.start_md[0] if c.start_md else None,
                    "start_day": c.start_md[1] if c.start_md else None,
                    "end_month": c.end_md[0] if c.end_md else None,
                    "end_day": c.end_md[1] if c.end_md else None,
                    "start_date": c.start_date,
                    "end_date": c.end_date,
                    "service_id": services[c.service].pk if c.service else None,
                    "venue_id": venues[c.venue].pk if c.venue else None,
                    "substitutable": c.substitutable,
                    "note": c.note,
                },
            )
            for c in preset.closures
        ],
    )
    sync.rows(
        SubstituteDate,
        program.substitute_dates.all(),
        lambda d: (d.venue_id, d.original_date),
        [
            (
                (venues[d.venue].pk if d.venue else None, d.original_date),
                {
                    "program_id": program.pk,
                    "venue_id": venues[d.venue].pk if d.venue else None,
                    "original_date": d.original_date,
                    "held_on": d.held_on,
                    "note": d.note,
                },
            )
            for d in preset.substitute_dates
        ],
    )

    event_kinds = _sync_events(sync, program, preset, areas, venues)
    _sync_targets(sync, program, preset, services, kinds, event_kinds)
    for writer in _PRESET_WRITERS.values():
        writer(sync, program, preset)
    sync.delete_stale()
    return result


def _sync_events(
    sync: _Sync,
    program: Program,
    preset: ProgramPreset,
    areas: dict[Hashable, Area],
    venues: dict[Hashable, Venue],
) -> dict[Hashable, EventKind]:
    event_kinds = sync.rows(
        EventKind,
        program.event_kinds.all(),
        lambda k: k.code,
        [
            (
                e.code,
                {
                    "program_id": program.pk,
                    "code": e.code,
                    "name": e.name,
                    "description": e.description,
                    "format": e.format,
                    "delivery": e.delivery,
                    "count": e.count,
                    "count_period": e.count_period,
                    "count_is_minimum": e.count_is_minimum,
                    "start_time": e.time.start if e.time else None,
                    "end_time": e.time.end if e.time else None,
                    "duration_minutes": e.duration_minutes,
                    "max_duration_minutes": e.max_duration_minutes,
                    "capacity": e.capacity,
                    "capacity_approximate": e.capacity_approximate,
                    "companies_per_event": e.companies_per_event,
                    "followup_consultations": e.followup_consultations,
                    "followup_minutes": e.followup_minutes,
                    "days_min": e.days_min,
                    "days_max": e.days_max,
                    "min_themes": e.min_themes,
                    "required_themes": list(e.required_themes),
                    "no_repeat_in_adjacent_areas": e.no_repeat_in_adjacent_areas,
                    "requires_booking": e.requires_booking,
                    "venue_note": e.venue_note,
                    "note": e.note,
                },
            )
            for e in preset.events
        ],
    )
    for e in preset.events:
        sync.links(event_kinds[e.code], "venues", [venues[v] for v in e.venues])
    categories = sync.rows(
        EventCategory,
        EventCategory.objects.filter(event_kind__program=program),
        lambda c: (c.event_kind_id, c.code),
        [
            (
                (event_kinds[e.code].pk, c.code),
                {
                    "event_kind_id": event_kinds[e.code].pk,
                    "code": c.code,
                    "name": c.name,
                    "description": c.description,
                    "count": c.count,
                    "min_themes": c.min_themes,
                    "rotate_monthly": c.rotate_monthly,
                    "asks_childcare": c.asks_childcare,
                    "capacity": c.capacity,
                    "delivery": c.delivery,
                    "duration_minutes": c.duration_minutes,
                },
            )
            for e in preset.events
            for c in e.categories
        ],
    )
    allocations = sync.rows(
        EventAllocation,
        EventAllocation.objects.filter(event_kind__program=program),
        lambda a: (a.event_kind_id, a.area_id),
        [
            (
                (event_kinds[e.code].pk, areas[a.area].pk),
                {
                    "event_kind_id": event_kinds[e.code].pk,
                    "area_id": areas[a.area].pk,
                    "count": a.count,
                    "capacity": a.capacity,
                    "childcare_note": a.childcare_note,
                },
            )
            for e in preset.events
            for a in e.allocations
        ],
    )
    for e in preset.events:
        for a in e.allocations:
            allocation = allocations[(event_kinds[e.code].pk, areas[a.area].pk)]
            sync.links(allocation, "venues", [venues[v] for v in a.venues])
    sync.rows(
        EventAllocationCount,
        EventAllocationCount.objects.filter(allocation__event_kind__program=program),
        lambda c: (c.allocation_id, c.category_id),
        [
            (
                (allocation.pk, category.pk),
                {"allocation_id": allocation.pk, "category_id": category.pk, "count": number},
            )
            for e in preset.events
            for a in e.allocations
            for code, number in a.counts.items()
            for allocation in [allocations[(event_kinds[e.code].pk, areas[a.area].pk)]]
            for category in [categories[(event_kinds[e.code].pk, code)]]
        ],
    )
    return event_kinds


def _sync_targets(
    sync: _Sync,
    program: Program,
    preset: ProgramPreset,
    services: dict[Hashable, Service],
    kinds: dict[Hashable, ConsultationKind],
    event_kinds: dict[Hashable, EventKind],
) -> None:
    def scope_values(scope: Scope) -> dict[str, Any]:
        return {"age_from": scope.age_from, "note": scope.note}

    def scope_links(obj: Kpi | ReportItem, scope: Scope) -> None:
        sync.links(obj, "services", [services[c] for c in scope.services])
        sync.links(obj, "consultation_kinds", [kinds[c] for c in scope.consultation_kinds])
        sync.links(obj, "event_kinds", [event_kinds[c] for c in scope.event_kinds])

    # A breakdown comes after its parent in the preset, so one pass can point at it.
    current_kpis: dict[Hashable, Kpi] = {k.code: k for k in program.kpis.all()}
    kpis: dict[str, Kpi] = {}
    for k in preset.kpis:
        kpis[k.code] = sync.row(
            Kpi,
            current_kpis,
            k.code,
            {
                "program_id": program.pk,
                "code": k.code,
                "name": k.name,
                "unit": k.unit,
                "parent_id": kpis[k.parent].pk if k.parent else None,
                **scope_values(k.scope),
            },
        )
        scope_links(kpis[k.code], k.scope)
    sync.stale(current_kpis.values())
    sync.rows(
        KpiTarget,
        KpiTarget.objects.filter(kpi__program=program),
        lambda t: (t.kpi_id, t.fiscal_year),
        [
            (
                (kpis[k.code].pk, year),
                {"kpi_id": kpis[k.code].pk, "fiscal_year": year, "value": value},
            )
            for k in preset.kpis
            for year, value in sorted(k.targets.items())
        ],
    )

    current_items: dict[Hashable, ReportItem] = {i.code: i for i in program.report_items.all()}
    items: dict[str, ReportItem] = {}
    for item in preset.report.items:
        items[item.code] = sync.row(
            ReportItem,
            current_items,
            item.code,
            {
                "program_id": program.pk,
                "code": item.code,
                "name": item.name,
                "number": item.number,
                "parent_id": items[item.parent].pk if item.parent else None,
                **scope_values(item.scope),
            },
        )
        scope_links(items[item.code], item.scope)
    sync.stale(current_items.values())

    due = preset.report.due
    sync.rows(
        ReportDueRule,
        program.due_rules.all(),
        lambda r: r.month,
        [
            (
                rule.month,
                {
                    "program_id": program.pk,
                    "month": rule.month,
                    "months_after": rule.months_after,
                    "day": rule.day,
                    "roll": rule.roll.value,
                    "note": preset.report.due_notes.get(rule.month, ""),
                },
            )
            for rule in (due.default, *due.exceptions)
        ],
    )
    sync.rows(
        Publication,
        program.publications.all(),
        lambda p: p.code,
        [
            (
                p.code,
                {
                    "program_id": program.pk,
                    "code": p.code,
                    "name": p.name,
                    "medium": p.medium,
                    "format": p.format,
                    "count": p.count,
                    "period": p.period,
                    "every": p.every,
                    "approximate": p.approximate,
                    "copies": p.copies,
                    "lead_time_months": p.lead_time_months,
                    "event_kind_id": event_kinds[p.event_kind].pk if p.event_kind else None,
                    "note": p.note,
                },
            )
            for p in preset.publications
        ],
    )


def program_load_preset(*, path_or_name: str | Path) -> LoadResult:
    """Create or update a program from a preset, in one transaction.

    Rows are matched by natural key (program slug, codes, …) and updated in place, so
    loading the same preset twice leaves the same rows with the same ids. Rows no longer
    in the preset are deleted; if other data protects one of them, nothing is changed
    and :class:`DomainError` says what refers to it. An invalid preset raises
    :class:`~secondcareer.programs.preset_format.PresetInvalid` (a ``DomainError``)
    before the database is touched."""
    preset = parse_preset_file(preset_path(path_or_name))
    return _apply(preset)
