"""The hand-written statements of the hot path give the same objects the ORM gives."""

import datetime as dt
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from secondcareer.core.audit import audit_log
from secondcareer.core.models import AuditEntry
from secondcareer.core.sql import insert_returning_pk, model_columns, sql_literal
from secondcareer.people.models import Seeker, User
from secondcareer.programs.models import Program


def _select(model, alias, columns, pk):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns.sql} FROM {table} {alias} WHERE {alias}.id = %s", [pk])  # noqa: S608
        return columns.load(cursor.fetchone())


def _values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_program_read_by_hand_equals_the_orm_one_json_uuid_and_all(program):
    # JSON lists and objects, a UUID and booleans come back as the ORM returns them
    # (SQLite stores the UUID as text and the JSON as a string).
    Program.objects.filter(pk=program.pk).update(
        age_bands=[[60, 64], [65, 69]], phone_line_hours={"weekday": ["09:00", "17:00"]}
    )
    loaded = _select(Program, "p", model_columns(Program, "p"), program.pk)
    expected = Program.objects.get(pk=program.pk)
    assert _values(loaded) == _values(expected)
    assert isinstance(loaded.schedule_stamp, uuid.UUID)
    assert loaded.age_bands == [[60, 64], [65, 69]]
    assert loaded._state.adding is False and loaded._state.db == "default"


def test_a_user_read_by_hand_has_aware_datetimes(manager):
    User.objects.filter(pk=manager.pk).update(last_login=timezone.now())
    loaded = _select(User, "u", model_columns(User, "u"), manager.pk)
    assert _values(loaded) == _values(User.objects.get(pk=manager.pk))
    assert timezone.is_aware(loaded.last_login) and timezone.is_aware(loaded.date_joined)
    assert loaded.is_authenticated and loaded.get_username() == manager.username


def test_some_columns_only_the_rest_loads_when_first_used(seeker):
    columns = model_columns(Seeker, "s", ["program"])
    assert columns.width == 2  # the primary key always comes first
    loaded = _select(Seeker, "s", columns, seeker.pk)
    assert loaded.pk == seeker.pk and loaded.program_id == seeker.program_id
    assert loaded.get_deferred_fields()  # the name was not read…
    assert loaded.family_name == seeker.family_name  # …until asked for


def test_an_insert_by_hand_saves_like_the_orm_signals_included(manager, seeker):
    seen = []

    def before(sender, instance, **kwargs):
        seen.append(("pre", instance.pk))

    def after(sender, instance, created, **kwargs):
        seen.append(("post", instance.pk, created))

    pre_save.connect(before, sender=AuditEntry)
    post_save.connect(after, sender=AuditEntry)
    try:
        entry = insert_returning_pk(
            AuditEntry(
                actor_id=manager.pk,
                actor_username=manager.username,
                program_slug="alpha",
                action="view",
                object_type="people.seeker",
                object_id=str(seeker.pk),
                note="hand",
            )
        )
    finally:
        pre_save.disconnect(before, sender=AuditEntry)
        post_save.disconnect(after, sender=AuditEntry)
    assert seen == [("pre", None), ("post", entry.pk, True)]
    assert entry.pk is not None and entry._state.adding is False
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert _values(stored) == _values(entry)
    # auto_now_add was filled in before the insert, as save() does.
    assert abs(stored.at - timezone.now()) < dt.timedelta(minutes=1)


def test_an_insert_by_hand_refuses_a_model_whose_key_is_not_automatic():
    # A session's key is chosen by Django, not numbered by the database.
    with pytest.raises(TypeError, match="automatic primary key"):
        insert_returning_pk(Session(session_key="k", session_data="", expire_date=timezone.now()))


def test_columns_without_the_key_convert_values_as_values_list_does(manager):
    # For an aggregate (GROUP BY) there is no instance to build, only values: the
    # datetime comes back aware on both databases, as the ORM's values_list() gives it.
    for action in ("view", "view", "update"):
        audit_log(actor=manager, action=action, obj=manager)
    columns = model_columns(AuditEntry, "a", ["action", "actor_id"], pk=False)
    assert columns.width == 2 and columns.attnames == ("actor_id", "action")
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql}, COUNT(*) FROM {table} a GROUP BY {columns.sql}"  # noqa: S608
        )
        counted = {tuple(columns.convert(row[:-1])): row[-1] for row in cursor.fetchall()}
    expected = {
        (row["actor_id"], row["action"]): row["n"]
        for row in AuditEntry.objects.values("actor_id", "action").annotate(n=Count("id"))
    }
    assert counted == expected == {(manager.pk, "view"): 2, (manager.pk, "update"): 1}
    at = model_columns(AuditEntry, "a", ["at"], pk=False)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {at.sql} FROM {table} a")  # noqa: S608
        (when,) = at.convert(cursor.fetchone())
    assert timezone.is_aware(when) and abs(when - timezone.now()) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("word", ["cancelled", "no_show"])
def test_a_plain_word_is_written_into_the_statement(word):
    assert sql_literal(word) == f"'{word}'"


@pytest.mark.parametrize("word", ["x' OR '1'='1", "キャンセル", "a b", ""])
def test_anything_but_a_plain_word_is_refused(word):
    with pytest.raises(ValueError, match="plain word"):
        sql_literal(word)
