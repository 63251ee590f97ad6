"""Push and multicast with idempotent retries, batching, a monthly quota guard and a
delivery log (Kobe Ⅲ-1⑷, Ⅲ-6: push notifications to registrants).

The ``X-Line-Retry-Key`` of each request is stored in :class:`OutboundMessage` before
the first attempt; a retry after a crash reuses it, and LINE (or the fake platform)
answers 409 for a key it has already accepted, which counts as delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from linebot.v3.messaging.exceptions import ApiException

from secondcareer.core.errors import DomainError
from secondcareer.messaging.line.client import LineClient, client_for
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import LineUser, OutboundMessage, PushStatus
from secondcareer.messaging.policy import OutboundRefused
from secondcareer.programs.models import Program

log = logging.getLogger(__name__)
MULTICAST_LIMIT = 500
MAX_ATTEMPTS = 5


def _backoff_base() -> float:
    return float(getattr(settings, "LINE_PUSH_BACKOFF_SECONDS", 1.0))


def month_usage(program: Program, *, now: dt.datetime | None = None) -> int:
    """Messages counted against the plan this calendar month (recipients × messages)."""
    now = timezone.localtime(now or timezone.now())
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    used = OutboundMessage.objects.filter(
        program=program, status=PushStatus.SENT, sent_at__gte=start
    ).aggregate(n=Sum("message_count"))["n"]
    return int(used or 0)


def push_to(
    *,
    program: Program,
    line_users: Sequence[LineUser],
    messages: list[dict[str, Any]],
    purpose: str,
    public: bool = False,
    source: str = "system",
    sleep: Callable[[float], None] = time.sleep,
    idempotency_key: str | None = None,
) -> list[OutboundMessage]:
    """Send ``messages`` to the following users: one push for one user, multicasts in
    batches of 500 otherwise. Refuses (DomainError) over the monthly quota or when the
    outbound policy refuses the content; nothing is sent then.

    ``idempotency_key`` (e.g. ``"reminder:123"``) derives the retry key, so calling
    again for the same purpose re-delivers the same request instead of a second one."""
    recipients = [u.line_user_id for u in line_users if u.following]
    if not recipients:
        return []
    base_key = (
        uuid.uuid5(uuid.NAMESPACE_URL, f"secondcareer:{program.slug}:{idempotency_key}")
        if idempotency_key is not None
        else None
    )
    if base_key is not None:
        existing = OutboundMessage.objects.filter(retry_key=base_key).first()
        if existing is not None:
            if existing.status in (PushStatus.QUEUED, PushStatus.FAILED):
                existing.status = PushStatus.QUEUED
                existing.attempts = 0
                deliver(existing, public=public, source=source, sleep=sleep)
            return [existing]
    client = client_for(program.slug)
    try:
        client._check(messages, public=public, source=source)
    except OutboundRefused as exc:
        raise DomainError(
            _("個人情報など、LINEで送れない内容が含まれているため送信しませんでした。"),
            code="refused",
            status=422,
        ) from exc
    cost = len(recipients) * len(messages)
    quota = channel_for(program.slug).monthly_quota
    if month_usage(program) + cost > quota:
        raise DomainError(
            _("今月のLINE送信上限（%(quota)s通）を超えるため送信しませんでした。")
            % {"quota": quota},
            code="quota",
            status=409,
        )
    batches = [
        recipients[i : i + MULTICAST_LIMIT] for i in range(0, len(recipients), MULTICAST_LIMIT)
    ]
    records = [
        OutboundMessage.objects.create(
            program=program,
            kind="push" if len(batch) == 1 else "multicast",
            purpose=purpose[:40],
            recipients=batch,
            messages=messages,
            retry_key=_retry_key(base_key, index),
            message_count=len(batch) * len(messages),
        )
        for index, batch in enumerate(batches)
    ]
    for record in records:  # the retry keys are committed before the first attempt
        deliver(record, client=client, public=public, source=source, sleep=sleep)
    return records


def _retry_key(base: uuid.UUID | None, index: int) -> uuid.UUID:
    """A fresh key, or one derived from the idempotency key (one per batch)."""
    if base is None:
        return uuid.uuid4()
    return base if index == 0 else uuid.uuid5(base, str(index))


def deliver(
    record: OutboundMessage,
    *,
    client: LineClient | None = None,
    public: bool = False,
    source: str = "system",
    sleep: Callable[[float], None] = time.sleep,
) -> OutboundMessage:
    """Attempt delivery with exponential backoff on 429 and 5xx; 409 means LINE already
    accepted this retry key."""
    client = client or client_for(record.program.slug)
    delay = _backoff_base()
    while record.attempts < MAX_ATTEMPTS and record.status == PushStatus.QUEUED:
        record.attempts += 1
        try:
            if record.kind == "push":
                client.push(
                    record.recipients[0],
                    record.messages,
                    retry_key=str(record.retry_key),
                    public=public,
                    source=source,
                )
            else:
                client.multicast(
                    record.recipients,
                    record.messages,
                    retry_key=str(record.retry_key),
                    public=public,
                    source=source,
                )
        except ApiException as exc:
            status = int(getattr(exc, "status", 0) or 0)
            if status == 409:
                record.status, record.sent_at = PushStatus.SENT, timezone.now()
            elif status == 429 or status >= 500:
                record.last_error = f"HTTP {status}"
                if record.attempts < MAX_ATTEMPTS:
                    sleep(delay)
                    delay *= 2
                    continue
                record.status = PushStatus.FAILED
            else:
                record.status, record.last_error = PushStatus.FAILED, f"HTTP {status}"
        except OutboundRefused as exc:
            record.status, record.last_error = PushStatus.REFUSED, f"policy: {exc.reason_code}"
        except OSError as exc:
            record.last_error = type(exc).__name__
            if record.attempts < MAX_ATTEMPTS:
                sleep(delay)
                delay *= 2
                continue
            record.status = PushStatus.FAILED
        else:
            record.status, record.sent_at = PushStatus.SENT, timezone.now()
    if record.status == PushStatus.QUEUED:
        record.status = PushStatus.FAILED
    record.save(update_fields=["status", "attempts", "sent_at", "last_error"])
    if record.status != PushStatus.SENT:
        log.warning("LINE %s #%s not delivered: %s", record.kind, record.pk, record.last_error)
    return record
