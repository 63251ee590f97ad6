"""Storing webhook events: parse, classify, store once, hand to the task queue.

Pure helpers (dedupe key, classification) plus :func:`webhook_events_store`, the one
service the webhook view calls."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from secondcareer.core.errors import DomainError
from secondcareer.core.inputs import UNSTORABLE
from secondcareer.messaging.line.models import EventStatus, WebhookEvent
from secondcareer.programs.models import Program

# Events the platform acts on when they come from a one-to-one chat.
HANDLED_TYPES = frozenset({"follow", "unfollow", "message", "postback"})
# LINE's events nest a few levels; far deeper is junk (and would exhaust the stack).
MAX_DEPTH = 64


def dedupe_key(event: dict[str, Any]) -> str:
    """``webhookEventId`` + a digest of the event without ``deliveryContext``."""
    body = {k: v for k, v in event.items() if k != "deliveryContext"}
    digest = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()[:32]
    return f"{str(event.get('webhookEventId', ''))[:64]}:{digest}"


def classify(event: dict[str, Any]) -> tuple[str, str]:
    """(status, note) for a stored event: pending when the platform will act on it,
    ignored (kept as a record) otherwise."""
    source: dict[str, Any] = event["source"] if isinstance(event.get("source"), dict) else {}
    if event.get("mode") == "standby":
        return EventStatus.IGNORED, "standby mode: another channel is in control"
    if source.get("type") != "user":
        return (
            EventStatus.IGNORED,
            f"{source.get('type') or 'unknown'} source: the bot serves one-to-one chats only",
        )
    if event.get("type") not in HANDLED_TYPES:
        return EventStatus.IGNORED, f"event type {str(event.get('type'))[:40]} is recorded only"
    return EventStatus.PENDING, ""


def parse_body(body: bytes) -> list[dict[str, Any]]:
    """The events of a webhook body, or DomainError (400) when it is not LINE's shape.
    Nothing is stored for a malformed body."""
    try:
        data = json.loads(body.decode("utf-8"), parse_float=_finite, parse_constant=_refuse)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: JSONDecodeError, a non-finite number, an integer past Python's
        # digit limit; RecursionError: nesting deeper than the parser's stack.
        raise DomainError("invalid JSON body", code="invalid", status=400) from exc
    if not _storable(data):
        raise DomainError("the body cannot be stored as it is", code="invalid", status=400)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise DomainError(
            "the body must be an object with an events list", code="invalid", status=400
        )
    events = data["events"]
    if len(events) > 1000:
        raise DomainError("too many events in one request", code="invalid", status=400)
    for index, event in enumerate(events):
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise DomainError(f"events[{index}] is not an event object", code="invalid", status=400)
    return events


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400: would be stored as Infinity, which is not JSON
        raise ValueError("number out of range")
    return value


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _storable(data: Any) -> bool:
    """No string (key or value) holds NUL or a lone surrogate (core.inputs.UNSTORABLE:
    LINE's events are stored as sent, so only what no database can keep is refused),
    and nothing nests deeper than MAX_DEPTH. Iterative, so a deep body cannot exhaust
    the stack here."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                return False
        elif isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                return False
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((value, depth + 1) for value in item.values())
            else:
                stack.extend((value, depth + 1) for value in item)
    return True


def webhook_events_store(
    *, program: Program, events: list[dict[str, Any]], enqueue: Callable[[int], None]
) -> tuple[int, int]:
    """Store each event once (redeliveries and duplicates are skipped) in one
    transaction, then enqueue the pending ones after commit. Returns (stored, skipped)."""
    stored = skipped = 0
    with transaction.atomic():
        for event in events:
            status, note = classify(event)
            source: dict[str, Any] = (
                event["source"] if isinstance(event.get("source"), dict) else {}
            )
            delivery: dict[str, Any] = (
                event["deliveryContext"] if isinstance(event.get("deliveryContext"), dict) else {}
            )
            key = dedupe_key(event)
            try:
                with transaction.atomic():
                    row = WebhookEvent.objects.create(
                        program=program,
                        dedupe_key=key,
                        webhook_event_id=str(event.get("webhookEventId", ""))[:64],
                        event_type=event["type"][:40],
                        source_type=str(source.get("type", ""))[:20],
                        line_user_id=str(source.get("userId", ""))[:64],
                        payload=event,
                        is_redelivery=bool(delivery.get("isRedelivery")),
                        status=status,
                        note=note[:200],
                    )
            except IntegrityError:
                if not WebhookEvent.objects.filter(program=program, dedupe_key=key).exists():
                    raise  # not a duplicate: a real error must not pass for one
                skipped += 1  # already stored: a redelivery or a duplicate post
                continue
            stored += 1
            if status == EventStatus.PENDING:
                transaction.on_commit(_enqueue_later(enqueue, row.pk))
    return stored, skipped


def _enqueue_later(enqueue: Callable[[int], None], pk: int) -> Callable[[], None]:
    return lambda: enqueue(pk)
