"""Processing one stored webhook event, at most once.

The event row is claimed inside a transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) and marked done in the
same transaction as every database effect of handling it. A worker killed half-way
rolls everything back, so the event is still pending and is processed again — once.
Replies go out after the commit.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from secondcareer.messaging.line.models import EventStatus, LineUser, WebhookEvent

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5

NON_TEXT_REPLY = (
    "申し訳ありません。画像・スタンプ・ファイルなどにはお答えできません。"
    "文字でお送りいただくか、下のメニューをお使いください。"
    "※ご相談の内容や個人情報はLINEでは送らないでください。"
)


def _claim(event_id: int) -> WebhookEvent | None:
    rows = WebhookEvent.objects.filter(pk=event_id, status=EventStatus.PENDING)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return rows.first()


def process_event(event_id: int) -> str:
    """Handle one event; returns what happened (for the task result, no personal data)."""
    try:
        with transaction.atomic():
            event = _claim(event_id)
            if event is None:
                return "skipped"
            reply_token, messages = handle(event)
            event.status = EventStatus.DONE
            event.attempts += 1
            event.processed_at = timezone.now()
            event.save(update_fields=["status", "attempts", "processed_at"])
            if reply_token and messages:
                program_slug = event.program.slug
                transaction.on_commit(
                    lambda: send_reply(
                        program_slug=program_slug,
                        reply_token=reply_token,
                        messages=messages,
                        event_id=event_id,
                    )
                )
        return "done"
    except Exception:
        log.exception("LINE event %s failed", event_id)
        WebhookEvent.objects.filter(pk=event_id, status=EventStatus.PENDING).update(
            attempts=F("attempts") + 1
        )
        WebhookEvent.objects.filter(
            pk=event_id, status=EventStatus.PENDING, attempts__gte=MAX_ATTEMPTS
        ).update(status=EventStatus.FAILED, note="gave up after repeated failures")
        raise


def _line_user(event: WebhookEvent) -> LineUser:
    user, _ = LineUser.objects.get_or_create(
        program=event.program,
        line_user_id=event.line_user_id,
        defaults={"following": True, "followed_at": timezone.now()},
    )
    return user


def handle(event: WebhookEvent) -> tuple[str, list[dict[str, Any]]]:
    """Database effects of one event, and the reply to send (reply token, messages)."""
    payload = event.payload
    reply_token = str(payload.get("replyToken") or "")
    if event.event_type == "follow":
        user = _line_user(event)
        user.following, user.followed_at, user.unfollowed_at = True, timezone.now(), None
        user.save(update_fields=["following", "followed_at", "unfollowed_at"])
        from secondcareer.messaging.line.services.conversation import welcome_messages

        return reply_token, welcome_messages(event.program)
    if event.event_type == "unfollow":
        LineUser.objects.update_or_create(
            program=event.program,
            line_user_id=event.line_user_id,
            defaults={"following": False, "unfollowed_at": timezone.now()},
        )
        return "", []
    user = _line_user(event)
    message: dict[str, Any] = payload["message"] if isinstance(payload.get("message"), dict) else {}
    if event.event_type == "message" and message.get("type") != "text":
        return reply_token, [{"type": "text", "text": NON_TEXT_REPLY}]
    from secondcareer.messaging.line.services.conversation import handle_turn

    return reply_token, handle_turn(user=user, event=payload)


def send_reply(
    *,
    program_slug: str,
    reply_token: str,
    messages: list[dict[str, Any]],
    event_id: int | None = None,
) -> bool:
    """Send the reply of a processed event; True when LINE accepted it.

    Runs after the commit: the event is done whatever happens here, so a refusal (an
    expired or already-used reply token, LINE unreachable, a message the outbound
    policy stops) is logged — ids, status and reason only, never the messages or the
    user — and not raised, which would only mark a finished task as failed."""
    from linebot.v3.messaging import ApiException
    from urllib3.exceptions import HTTPError

    from secondcareer.messaging.line.client import client_for
    from secondcareer.messaging.policy import OutboundRefused

    try:
        client_for(program_slug).reply(reply_token, messages)
    except ApiException as exc:
        log.warning(
            "LINE refused the reply to event %s of %s: HTTP %s", event_id, program_slug, exc.status
        )
        if exc.status == 400 and event_id is not None:
            # An expired or used reply token (an event processed late, after a crash):
            # the answer still reaches the user, by push, once.
            return _push_instead(event_id=event_id, messages=messages)
    except HTTPError as exc:
        log.warning(
            "LINE unreachable for the reply to event %s of %s: %s",
            event_id,
            program_slug,
            type(exc).__name__,
        )
    except OutboundRefused as exc:
        log.error(
            "The reply to event %s of %s was stopped by the outbound policy: %s",
            event_id,
            program_slug,
            exc.details.get("reason"),
        )
    else:
        return True
    return False


def _push_instead(*, event_id: int, messages: list[dict[str, Any]]) -> bool:
    from secondcareer.core.errors import DomainError
    from secondcareer.messaging.line.services.push import push_to

    event = WebhookEvent.objects.select_related("program").filter(pk=event_id).first()
    if event is None or not event.line_user_id:
        return False
    user = LineUser.objects.filter(
        program=event.program, line_user_id=event.line_user_id, following=True
    ).first()
    if user is None:
        return False
    try:
        records = push_to(
            program=event.program,
            line_users=[user],
            messages=messages,
            purpose="late_reply",
            idempotency_key=f"reply:{event.dedupe_key}",
        )
    except DomainError as exc:
        log.warning("late reply to event %s not pushed: %s", event_id, exc.code)
        return False
    return bool(records) and all(r.status == "sent" for r in records)
