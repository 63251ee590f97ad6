"""Processing a stored LINE event at most once, and at least once after a crash
(DESIGN.md invariant 3).

The event row is claimed and marked done in the same transaction as every database
effect of handling it; the reply goes out after the commit. So a worker that dies
half-way leaves the event pending with nothing of it written, the next attempt
handles it once, and an event already done is skipped. A reply LINE refuses after the
commit is logged and changes nothing.

These tests commit for real (``transaction=True``): what is under test is what a
commit, a rollback and a second connection see.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection

from secondcareer.devtools.fakeline.pytest_plugin import FakeLine
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import EventStatus, LineUser, WebhookEvent
from secondcareer.messaging.line.services import conversation, processing
from secondcareer.messaging.line.services.events import webhook_events_store
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db(transaction=True)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "SQLite serialises writers (BEGIN IMMEDIATE): a second worker waits for the "
        "first to commit and then finds the event done, which the sequential tests cover"
    ),
)

needs_shared_database = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "the worker is another process, and the SQLite test database lives in this "
        "process's memory; test_a_crash_half_way_… covers the rollback on SQLite"
    ),
)


class WorkerKilled(Exception):
    """Stands for the worker dying half-way through an event."""


@pytest.fixture
def handled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Ids of the events :func:`processing.handle` ran for (a spy around the real one)."""
    calls: list[int] = []
    real = processing.handle

    def spy(event: WebhookEvent) -> tuple[str, list[dict[str, Any]]]:
        calls.append(event.pk)
        return real(event)

    monkeypatch.setattr(processing, "handle", spy)
    return calls


@pytest.fixture
def store(kobe: Program) -> Callable[[dict[str, Any]], WebhookEvent]:
    """Store one event as the webhook does, without running it (as if the task queue
    had lost it)."""

    def stored(event: dict[str, Any]) -> WebhookEvent:
        webhook_events_store(program=kobe, events=[event], enqueue=lambda pk: None)
        return WebhookEvent.objects.get(webhook_event_id=event["webhookEventId"])

    return stored


@pytest.fixture
def follow(
    line: FakeLine, store: Callable[[dict[str, Any]], WebhookEvent]
) -> tuple[str, WebhookEvent]:
    """A follow event from a new user, with a reply token LINE really issued: (user id,
    the stored pending event)."""
    user_id = line.platform.add_user().user_id
    event = line.platform.follow_event(user_id, channel_id=channel_for("kobe").channel_id)
    return user_id, store(event)


def crash_after_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make handling a follow die after it has saved the LINE user (the welcome
    messages are built after the save)."""

    def die(program: Program) -> list[dict[str, Any]]:
        assert LineUser.objects.exists(), "the crash should come after a write"
        raise WorkerKilled

    monkeypatch.setattr(conversation, "welcome_messages", die)


# --- a crash half-way -------------------------------------------------------------------------


def test_a_crash_half_way_leaves_the_event_pending_with_its_effects_rolled_back(
    line: FakeLine, follow: tuple[str, WebhookEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id, event = follow
    crash_after_writing(monkeypatch)

    with pytest.raises(WorkerKilled):
        processing.process_event(event.pk)

    event.refresh_from_db()
    assert (event.status, event.processed_at) == (EventStatus.PENDING, None)
    assert event.attempts == 1  # counted, so that an event that always fails gives up
    assert not LineUser.objects.filter(line_user_id=user_id).exists()
    assert line.platform.texts_for(user_id) == []


def test_the_next_attempt_after_a_crash_handles_the_event_exactly_once(
    line: FakeLine,
    follow: tuple[str, WebhookEvent],
    monkeypatch: pytest.MonkeyPatch,
    handled: list[int],
) -> None:
    user_id, event = follow
    with monkeypatch.context() as crashing:
        crash_after_writing(crashing)
        with pytest.raises(WorkerKilled):
            processing.process_event(event.pk)

    outcomes = [processing.process_event(event.pk) for _ in range(3)]

    assert outcomes == ["done", "skipped", "skipped"]
    assert handled == [event.pk, event.pk]  # the crashed attempt and the one that finished
    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.DONE, 2)
    assert event.processed_at is not None
    assert LineUser.objects.filter(line_user_id=user_id, following=True).count() == 1
    assert len(line.platform.texts_for(user_id)) == 1  # one welcome


def test_the_pending_sweep_picks_up_an_event_a_crash_left_behind_once(
    line: FakeLine,
    follow: tuple[str, WebhookEvent],
    monkeypatch: pytest.MonkeyPatch,
    handled: list[int],
) -> None:
    user_id, event = follow
    with monkeypatch.context() as crashing:
        crash_after_writing(crashing)
        with pytest.raises(WorkerKilled):
            processing.process_event(event.pk)

    call_command("line-process-pending", "--older-than", "0", "--now", verbosity=0)
    call_command("line-process-pending", "--older-than", "0", "--now", verbosity=0)

    assert handled == [event.pk, event.pk]
    event.refresh_from_db()
    assert event.status == EventStatus.DONE
    assert len(line.platform.texts_for(user_id)) == 1


def test_an_event_that_keeps_failing_is_marked_failed_and_kept(
    follow: tuple[str, WebhookEvent], monkeypatch: pytest.MonkeyPatch, handled: list[int]
) -> None:
    user_id, event = follow
    crash_after_writing(monkeypatch)

    for _ in range(processing.MAX_ATTEMPTS):
        with pytest.raises(WorkerKilled):
            processing.process_event(event.pk)
    after = processing.process_event(event.pk)

    assert after == "skipped"
    assert len(handled) == processing.MAX_ATTEMPTS
    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.FAILED, processing.MAX_ATTEMPTS)
    assert event.payload["source"]["userId"] == user_id  # kept, for a person to look at
    assert not LineUser.objects.exists()


@needs_shared_database
def test_a_worker_process_killed_mid_event_leaves_it_to_be_processed_again_once(
    line: FakeLine, follow: tuple[str, WebhookEvent], handled: list[int], tmp_path: Path
) -> None:
    """A real worker process, SIGKILLed while it holds the event's row lock with the
    LINE user already written: PostgreSQL rolls its transaction back, the event is
    pending again (no attempt counted: the process had no chance to), and the next
    worker handles it once."""
    user_id, event = follow
    marker = tmp_path / "inside"
    worker = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", KILLED_WORKER, str(marker), str(event.pk)],
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        backend_pid = _wait_for(marker, worker)
        assert WebhookEvent.objects.get(pk=event.pk).status == EventStatus.PENDING
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    _wait_until_gone(backend_pid)

    event.refresh_from_db()
    assert (event.status, event.attempts, event.processed_at) == (EventStatus.PENDING, 0, None)
    assert not LineUser.objects.filter(line_user_id=user_id).exists()

    assert processing.process_event(event.pk) == "done"
    assert processing.process_event(event.pk) == "skipped"
    assert handled == [event.pk]  # in this process; the killed one ran it once too
    assert LineUser.objects.filter(line_user_id=user_id).count() == 1
    assert len(line.platform.texts_for(user_id)) == 1


KILLED_WORKER = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.db import connection
from secondcareer.messaging.line.services import conversation, processing

marker, event_id = Path(sys.argv[1]), int(sys.argv[2])

def hang(program):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        marker.write_text(str(cursor.fetchone()[0]))
    time.sleep(600)

conversation.welcome_messages = hang
processing.process_event(event_id)
"""


def _child_env() -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{quote(str(db['HOST']), safe='')}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=url,
        SECONDCAREER_ENV="test",
        DJANGO_SETTINGS_MODULE="secondcareer.config.settings",
    )
    return env


def _wait_for(marker: Path, worker: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text():
            return int(marker.read_text())
        if worker.poll() is not None:
            stderr = worker.stderr.read().decode() if worker.stderr else ""
            raise AssertionError(f"the worker exited early: {stderr[-2000:]}")
        time.sleep(0.05)
    raise AssertionError("the worker never reached the event")


def _wait_until_gone(backend_pid: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend_pid])
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the killed worker's database session did not end")


# --- at most once ---------------------------------------------------------------------------


def test_processing_an_event_twice_handles_it_once(
    line: FakeLine, follow: tuple[str, WebhookEvent], handled: list[int]
) -> None:
    user_id, event = follow

    outcomes = [processing.process_event(event.pk), processing.process_event(event.pk)]

    assert outcomes == ["done", "skipped"]
    assert handled == [event.pk]
    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.DONE, 1)
    assert len(line.platform.texts_for(user_id)) == 1


def test_processing_an_event_already_done_is_a_no_op(
    line: FakeLine, follow: tuple[str, WebhookEvent], handled: list[int]
) -> None:
    user_id, event = follow
    processing.process_event(event.pk)
    event.refresh_from_db()
    before = (event.status, event.attempts, event.processed_at)
    user_before = LineUser.objects.values().get(line_user_id=user_id)

    assert processing.process_event(event.pk) == "skipped"

    event.refresh_from_db()
    assert (event.status, event.attempts, event.processed_at) == before
    assert LineUser.objects.values().get(line_user_id=user_id) == user_before
    assert handled == [event.pk]


def test_ignored_and_unknown_events_are_skipped(
    store: Callable[[dict[str, Any]], WebhookEvent], handled: list[int]
) -> None:
    ignored = store(
        {
            "type": "join",
            "webhookEventId": "01JBIGNORED0000000000000000",
            "mode": "active",
            "source": {"type": "group", "groupId": "C" + "0" * 32},
            "replyToken": "x",
        }
    )

    assert processing.process_event(ignored.pk) == "skipped"
    assert processing.process_event(10**9) == "skipped"
    assert handled == []
    ignored.refresh_from_db()
    assert (ignored.status, ignored.attempts) == (EventStatus.IGNORED, 0)


@postgres_only
def test_two_workers_at_the_same_event_handle_it_once(
    line: FakeLine, follow: tuple[str, WebhookEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker holds the event (row locked, LINE user written, not yet
    committed) when the second one asks for it: the second skips it at once rather than
    waiting or handling it again."""
    user_id, event = follow
    inside, release = threading.Event(), threading.Event()
    real = processing.handle
    calls: list[str] = []

    def slow(stored: WebhookEvent) -> tuple[str, list[dict[str, Any]]]:
        result = real(stored)
        calls.append(threading.current_thread().name)
        inside.set()
        release.wait(timeout=30)
        return result

    monkeypatch.setattr(processing, "handle", slow)
    outcomes: dict[str, str] = {}

    def first() -> None:
        try:
            outcomes["first"] = processing.process_event(event.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=first, name="first")
    worker.start()
    try:
        assert inside.wait(timeout=30), "the first worker never got to the event"
        outcomes["second"] = processing.process_event(event.pk)
        still_pending = WebhookEvent.objects.get(pk=event.pk).status
    finally:
        release.set()
        worker.join(timeout=60)
    close_old_connections()

    assert outcomes == {"first": "done", "second": "skipped"}
    assert calls == ["first"]
    # Read before the first is released: the second answered while the first still held
    # the row uncommitted, so it skipped rather than queued behind the lock (queued, it
    # would only have come back once the first gave up waiting and committed).
    assert still_pending == EventStatus.PENDING
    assert LineUser.objects.filter(line_user_id=user_id).count() == 1
    assert len(line.platform.texts_for(user_id)) == 1


@postgres_only
def test_many_workers_racing_over_many_events_handle_each_exactly_once(
    line: FakeLine,
    store: Callable[[dict[str, Any]], WebhookEvent],
    handled: list[int],
) -> None:
    channel_id = channel_for("kobe").channel_id
    events = []
    for _ in range(12):
        user_id = line.platform.add_user().user_id
        events.append(store(line.platform.follow_event(user_id, channel_id=channel_id)))
    workers = 4
    barrier = threading.Barrier(workers, timeout=30)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            barrier.wait()
            mine = [processing.process_event(event.pk) for event in events]
            with lock:
                outcomes.extend(mine)
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()

    assert not errors, errors
    assert outcomes.count("done") == len(events)
    assert outcomes.count("skipped") == len(events) * (workers - 1)
    assert sorted(handled) == sorted(event.pk for event in events)
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {EventStatus.DONE}
    assert LineUser.objects.count() == len(events)
    for event in events:
        assert len(line.platform.texts_for(event.line_user_id)) == 1


# --- the reply, after the commit ----------------------------------------------------------------


def test_a_reply_line_refuses_after_the_commit_leaves_the_event_done_and_goes_by_push_once(
    line: FakeLine,
    store: Callable[[dict[str, Any]], WebhookEvent],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An event handled late (after a crash, say) has a reply token LINE no longer
    takes: the event stays done, the answer reaches the user once, by push, and the log
    says which event and why without saying who or what."""
    user_id = line.platform.add_user().user_id
    built = line.platform.follow_event(user_id, channel_id=channel_for("kobe").channel_id)
    built["replyToken"] = "f" * 32  # never issued by LINE (or already used, or expired)
    event = store(built)

    outcomes = [processing.process_event(event.pk), processing.process_event(event.pk)]

    assert outcomes == ["done", "skipped"]
    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.DONE, 1)
    assert LineUser.objects.get(line_user_id=user_id).following is True
    assert [sent.via for sent in line.platform.messages_for(user_id)] == ["push"]
    records = [r for r in caplog.records if r.name == processing.log.name]
    assert records and all(r.levelname == "WARNING" for r in records)
    assert str(event.pk) in records[0].getMessage() and "400" in records[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    for secret in (user_id, built["replyToken"], "友だち追加"):
        assert secret not in caplog.text


def test_a_reply_when_line_is_unreachable_leaves_the_event_done(
    line: FakeLine,
    follow: tuple[str, WebhookEvent],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user_id, event = follow
    monkeypatch.setenv("LINE_API_BASE_URL", "http://127.0.0.1:9")  # discard port: refused

    assert processing.process_event(event.pk) == "done"

    event.refresh_from_db()
    assert event.status == EventStatus.DONE
    assert "unreachable" in caplog.text
    assert user_id not in caplog.text
