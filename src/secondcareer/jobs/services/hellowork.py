"""The Hello Work import's writes (docs/jobs.md).

All or nothing: every row is parsed and checked first (:mod:`secondcareer.jobs.hellowork`);
one bad row and nothing is written. A clean file goes in inside one transaction: the
program's postings are read in one query into a dict, compared in Python, and only new
or changed rows are written, in batches (``bulk_create`` / ``bulk_update``).
Re-importing a file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.jobs.hellowork import (
    BATCH,
    COMPARED,
    ImportRejected,
    ImportSummary,
    Row,
    RowError,
    area_finder,
    decode,
    parse_rows,
)
from secondcareer.jobs.mapping import HelloworkMapping
from secondcareer.jobs.models import Employer, JobPosting, PostingSource, PostingStatus
from secondcareer.jobs.search import employer_search_text, posting_search_text
from secondcareer.programs.models import Program

_UPDATED = (*COMPARED, "search_text", "updated_at")


def postings_import(
    *,
    program: Program,
    data: bytes,
    mapping: HelloworkMapping,
    full: bool = False,
    today: dt.date,
) -> ImportSummary:
    """Upsert the file's postings by 求人番号 (employers matched or created by 事業所番号);
    with ``full``, close the program's open Hello Work postings absent from the file.
    :class:`ImportRejected` (nothing written) when a row is bad."""
    rows, errors, rejected = parse_rows(decode(data), mapping)
    if errors:
        raise ImportRejected(errors, rejected)
    with transaction.atomic():
        return _write(program=program, rows=rows, full=full, today=today, mapping=mapping)


def _write(
    *,
    program: Program,
    rows: list[Row],
    full: bool,
    today: dt.date,
    mapping: HelloworkMapping,
) -> ImportSummary:
    summary = ImportSummary()
    now = timezone.now()
    existing: dict[str, tuple[Any, ...]] = {
        values[1]: values
        for values in JobPosting.objects.filter(program=program).values_list(
            "pk", "number", "source", *COMPARED
        )
    }
    errors = [
        RowError(
            row.line,
            mapping.columns.number,
            _("この求人番号はセンター独自などハローワーク以外の求人で使われています: %(n)s")
            % {"n": row.values["number"]},
        )
        for row in rows
        if row.values["number"] in existing
        and existing[row.values["number"]][2] != PostingSource.HELLOWORK
    ]
    if errors:
        raise ImportRejected(errors, len(errors))

    employers = dict(
        Employer.objects.filter(program=program)
        .exclude(office_number="")
        .values_list("office_number", "pk")
    )
    new_employers: dict[str, Employer] = {}
    find_area = area_finder(program)
    for row in rows:
        office = row.values["office_number"]
        if office not in employers and office not in new_employers:
            new_employers[office] = Employer(
                program=program,
                name=row.values["office_name"],
                office_number=office,
                created_at=now,
                search_text=employer_search_text(row.values["office_name"], ""),
            )
    Employer.objects.bulk_create(new_employers.values(), batch_size=BATCH)
    employers.update({office: e.pk for office, e in new_employers.items()})

    stamp = connection.ops.adapt_datetimefield_value(now)
    to_create: list[tuple[Any, ...]] = []
    to_update: list[JobPosting] = []
    in_file: set[str] = set()
    for row in rows:
        values = row.values
        values["employer_id"] = employers[values.pop("office_number")]
        values["workplace_area_id"] = find_area(values["workplace_address"])
        deadline: dt.date = values["referral_deadline"]
        if deadline < today:
            values["status"] = PostingStatus.CLOSED.value
            values["closed_on"] = deadline + dt.timedelta(days=1)
        else:
            values["status"] = PostingStatus.OPEN.value
            values["closed_on"] = None
        number = values.pop("number")
        in_file.add(number)
        new = tuple(values[name] for name in COMPARED)
        old = existing.get(number)
        if old is not None and old[3:] == new:
            summary.unchanged += 1
            continue
        # Derived from compared fields, so not compared itself (and folded only for
        # the rows that are written).
        values["search_text"] = posting_search_text(
            values["occupation"], values["description"], values["office_name"]
        )
        if old is None:
            to_create.append(
                (
                    program.pk,
                    number,
                    PostingSource.HELLOWORK.value,
                    stamp,
                    stamp,
                    values["search_text"],
                    *new,
                )
            )
        else:
            posting = JobPosting(pk=old[0], program=program, number=number, updated_at=now)
            for name, value in values.items():
                setattr(posting, name, value)
            to_update.append(posting)
    _insert_postings(to_create)
    JobPosting.objects.bulk_update(to_update, _UPDATED, batch_size=BATCH // 4)
    summary.created, summary.updated = len(to_create), len(to_update)

    if full:
        absent = [
            old[0]
            for number, old in existing.items()
            if number not in in_file
            and old[2] == PostingSource.HELLOWORK
            and old[3 + COMPARED.index("status")] == PostingStatus.OPEN
        ]
        for start in range(0, len(absent), BATCH):
            JobPosting.objects.filter(pk__in=absent[start : start + BATCH]).update(
                status=PostingStatus.CLOSED, closed_on=today, updated_at=now
            )
        summary.closed = len(absent)
    return summary


_INSERTED = (
    "program_id",
    "number",
    "source",
    "created_at",
    "updated_at",
    "search_text",
    *COMPARED,
)


def _insert_postings(rows: list[tuple[Any, ...]]) -> None:
    """``INSERT`` the new postings with ``executemany`` in batches. ``bulk_create`` spends
    most of a 100,000-row import preparing each value of each instance; here only the
    dates need the backend's adapter (the two timestamps come adapted), the other values
    bind as they are. The table's
    constraints still check every row."""
    if not rows:
        return
    fields = {f.attname: f for f in JobPosting._meta.concrete_fields}
    ops = connection.ops
    adapters: list[tuple[int, Any]] = []
    for index, name in enumerate(_INSERTED):
        field = fields[name]
        if isinstance(field, models.DateTimeField):
            continue  # created_at / updated_at: adapted once by the caller
        if isinstance(field, models.DateField):
            adapters.append((index, ops.adapt_datefield_value))
    quote = ops.quote_name
    table = quote(JobPosting._meta.db_table)
    columns = ", ".join(quote(str(fields[name].column)) for name in _INSERTED)
    params = ", ".join(["%s"] * len(_INSERTED))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({params})"  # noqa: S608 - names from the model, values as parameters
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = []
            for row in rows[start : start + BATCH]:
                values = list(row)
                for index, adapt in adapters:
                    if values[index] is not None:
                        values[index] = adapt(values[index])
                batch.append(values)
            cursor.executemany(sql, batch)
