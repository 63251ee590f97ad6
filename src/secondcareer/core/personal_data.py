"""The registry of personal data: which rows of which app hold data on one person
(docs/personal-data.md).

core is the lowest layer and imports no app. Each app that holds data on a seeker has a
``personal_data.py`` module (found by :func:`sources`, like the demo seeders) that
calls :func:`register` once per model (or per way of finding a model's rows):

- ``rows`` — the rows of the given seekers (a function ``seeker ids -> QuerySet``), or
  ``seeker`` — the lookup from the model to the seeker's id (``"seeker"``,
  ``"case__seeker"``), from which the rows are found;
- ``secret`` — fields never exported (token hashes, one-time codes, room ids);
- ``anonymise`` — what ``secondcareer anonymise`` writes into each field: a value, a
  database expression, or :data:`TODAY`;
- ``activity`` — date or datetime fields whose value on or after the retention date
  means the person was still in contact (they are then not anonymised).

``secondcareer export-person`` exports every registered source; ``secondcareer
anonymise`` applies every source's ``anonymise``. A test walks Django's app registry and
fails on any model with a foreign key to the seeker, or to a registered model, that is
neither registered nor declared with :func:`register_not_personal` and a reason.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry

FORMAT = "secondcareer.export-person/1"
AUDIT_SECTION = "core.auditentry"


class _Today:
    """Marker for :func:`register`'s ``anonymise``: the day of the anonymising run."""

    def __repr__(self) -> str:
        return "TODAY"


TODAY = _Today()

RowsFunc = Callable[[Collection[int]], "models.QuerySet[Any]"]


@dataclass(frozen=True)
class Source:
    key: str
    title: str | Promise
    model: type[models.Model]
    seeker: str | None
    rows_func: RowsFunc | None
    secret: frozenset[str]
    anonymise: Mapping[str, Any]
    activity: tuple[str, ...]
    order: int

    def rows(self, seeker_ids: Collection[int]) -> models.QuerySet[Any]:
        if self.rows_func is not None:
            return self.rows_func(seeker_ids)
        return self.model._default_manager.filter(**{f"{self.seeker}__in": list(seeker_ids)})

    def export_fields(self) -> list[Any]:
        meta = self.model._meta
        return [f for f in [*meta.concrete_fields, *meta.many_to_many] if f.name not in self.secret]


@dataclass(frozen=True)
class Subject:
    """The model of the person themselves (people.Seeker)."""

    model: type[models.Model]
    program_field: str
    anonymised_field: str


@dataclass(frozen=True)
class RetentionCandidates:
    """What the retention provider (the app that owns cases) finds for a date: the
    seekers whose every case closed before it, and those skipped because a case of
    theirs is still open or closed on or after it."""

    closed: frozenset[int]
    open_case: frozenset[int] = frozenset()
    closed_later: frozenset[int] = frozenset()


RetentionFunc = Callable[[Any, dt.date], RetentionCandidates]


@dataclass
class _Registry:
    sources: dict[str, Source] = field(default_factory=dict)
    not_personal: dict[type[models.Model], str] = field(default_factory=dict)
    subject: Subject | None = None
    retention: RetentionFunc | None = None


_REGISTRY = _Registry()


def register(
    *,
    key: str,
    title: str | Promise,
    model: type[models.Model],
    seeker: str | None = None,
    rows: RowsFunc | None = None,
    secret: Iterable[str] = (),
    anonymise: Mapping[str, Any] | None = None,
    activity: Iterable[str] = (),
    order: int = 100,
) -> Source:
    """Declare that ``model`` holds data on a person (see the module's docstring)."""
    if (seeker is None) == (rows is None):
        raise ValueError(f"{key}: give exactly one of seeker= and rows=")
    activity = tuple(activity)
    if activity and seeker is None:
        raise ValueError(f"{key}: activity needs seeker= to say whose it is")
    names = {f.name for f in model._meta.get_fields()}
    anonymise = dict(anonymise or {})
    unknown = (set(secret) | set(anonymise) | set(activity)) - names
    if unknown:
        raise ValueError(f"{key}: {model.__name__} has no fields {sorted(unknown)}")
    source = Source(
        key=key,
        title=title,
        model=model,
        seeker=seeker,
        rows_func=rows,
        secret=frozenset(secret),
        anonymise=anonymise,
        activity=activity,
        order=order,
    )
    _REGISTRY.sources[key] = source
    return source


def register_not_personal(model: type[models.Model], *, reason: str) -> None:
    """Declare that ``model`` points at a person's rows but holds nothing of its own
    (a through table exported with its parent): the completeness test accepts it."""
    if not reason:
        raise ValueError("say why the model holds no personal data")
    _REGISTRY.not_personal[model] = reason


def register_subject(
    *, model: type[models.Model], program_field: str, anonymised_field: str
) -> None:
    _REGISTRY.subject = Subject(
        model=model, program_field=program_field, anonymised_field=anonymised_field
    )


def register_retention(func: RetentionFunc) -> None:
    """The function that finds, for a program and a date, whose data may go."""
    _REGISTRY.retention = func


def _discover() -> _Registry:
    autodiscover_modules("personal_data")
    return _REGISTRY


def sources() -> list[Source]:
    return sorted(_discover().sources.values(), key=lambda s: (s.order, s.key))


def subject() -> Subject:
    found = _discover().subject
    if found is None:
        raise LookupError("no app registered the person's model (register_subject)")
    return found


def retention() -> RetentionFunc:
    found = _discover().retention
    if found is None:
        raise LookupError("no app registered a retention rule (register_retention)")
    return found


def not_personal() -> dict[type[models.Model], str]:
    return dict(_discover().not_personal)


def unregistered_models(
    registered: Collection[type[models.Model]] | None = None,
    exempt: Collection[type[models.Model]] | None = None,
) -> list[str]:
    """Every installed model (auto-created tables too) with a foreign key or one-to-one
    to the person's model or to a registered model that is neither registered nor
    exempt: what the completeness test fails on."""
    if registered is None:
        registered = {s.model for s in sources()}
    if exempt is None:
        exempt = set(not_personal())
    personal = set(registered) | {subject().model}
    missing = []
    for model in apps.get_models(include_auto_created=True):
        if model in personal or model in exempt:
            continue
        targets = [
            f.related_model
            for f in model._meta.get_fields()
            if getattr(f, "concrete", False) and (f.many_to_one or f.one_to_one)
        ]
        if any(target in personal for target in targets):
            missing.append(model._meta.label)
    return sorted(missing)


# --- export -------------------------------------------------------------------------


def _value(obj: models.Model, f: Any, person: type[models.Model] | None) -> Any:
    if f.many_to_many:
        return [str(related) for related in getattr(obj, f.name).all()]
    if f.is_relation:
        related_id = getattr(obj, f.attname)
        if related_id is None:
            return None
        if f.related_model is person:
            return related_id
        return str(getattr(obj, f.name))
    if f.choices:
        return getattr(obj, f"get_{f.name}_display")() if getattr(obj, f.attname) else ""
    return _plain(getattr(obj, f.attname))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, TOKYO)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    return value


def _section(
    key: str,
    title: Any,
    fields: list[Any],
    rows: Iterable[models.Model],
    person: type[models.Model] | None = None,
) -> dict[str, Any]:
    labels = {f.name: str(getattr(f, "verbose_name", f.name)) for f in fields}
    data = [{f.name: _value(obj, f, person) for f in fields} for obj in rows]
    return {"key": key, "title": str(title), "count": len(data), "fields": labels, "rows": data}


def export_person(seeker_id: int, *, program_slug: str, now: dt.datetime | None = None) -> dict:
    """Everything the registered apps hold on one seeker, as JSON-ready data: one
    section per source (Japanese title, Japanese field names), then the audit entries
    about any of those rows (who opened what, when)."""
    now = now or timezone.now()
    person = subject().model
    sections = []
    audited: list[tuple[str, list[str]]] = []
    for source in sources():
        fields = source.export_fields()
        relations = [
            f.name
            for f in fields
            if f.is_relation and not f.many_to_many and f.related_model is not person
        ]
        m2m = [f.name for f in fields if f.many_to_many]
        rows = list(
            source.rows([seeker_id])
            .select_related(*relations)
            .prefetch_related(*m2m)
            .order_by("pk")
        )
        sections.append(_section(source.key, source.title, fields, rows, person))
        if rows:
            audited.append((source.model._meta.label_lower, [str(r.pk) for r in rows]))
    sections.append(_audit_section(audited))
    return {
        "format": FORMAT,
        "program": program_slug,
        "seeker_id": seeker_id,
        "exported_at": _plain(now),
        "sections": sections,
    }


def _audit_section(audited: list[tuple[str, list[str]]]) -> dict[str, Any]:
    fields = [
        AuditEntry._meta.get_field(name)
        for name in (
            "at",
            "actor_username",
            "action",
            "object_type",
            "object_id",
            "path",
            "note",
        )
    ]
    query = Q(pk__in=[])
    for object_type, ids in audited:
        query |= Q(object_type=object_type, object_id__in=ids)
    rows = AuditEntry.objects.filter(query).order_by("at", "id") if audited else []
    return _section(AUDIT_SECTION, _("この方の情報の閲覧・操作の記録（監査ログ）"), fields, rows)
