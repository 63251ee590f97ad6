"""The LINE webhook: verify, store, enqueue, answer 200 — nothing slow happens here."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3.webhook import SignatureValidator

from secondcareer.core.errors import DomainError
from secondcareer.core.input_middleware import input_rules_exempt
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.services.events import parse_body, webhook_events_store
from secondcareer.messaging.line.tasks import enqueue_event
from secondcareer.programs.models import Program


def _signed_bytes(body: bytes, secret: str, signature: str) -> bool:
    """LINE's signature (base64 HMAC-SHA256 of the body with the channel secret),
    checked over raw bytes."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest), signature.encode("ascii", "replace"))


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt  # authenticated by the x-line-signature HMAC instead
@input_rules_exempt  # signature first, over the raw body; then parse_body's own rules
@require_POST
def webhook(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = Program.objects.filter(slug=program_slug).first()
    channel = channel_for(program_slug)
    if program is None or not channel.is_configured:
        return _error(404, "unknown channel")
    signature = request.headers.get("x-line-signature", "")
    body = request.body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        # The SDK's validator takes text. A body that is not UTF-8 is refused as bad
        # input if LINE's secret signed it, as a forgery otherwise.
        if signature and _signed_bytes(body, channel.channel_secret, signature):
            return _error(400, "body is not UTF-8")
        return _error(403 if signature else 400, "invalid signature")
    try:
        valid = bool(signature) and SignatureValidator(channel.channel_secret).validate(
            text, signature
        )
    except ValueError:
        valid = False
    if not valid:
        return _error(403 if signature else 400, "invalid signature")
    try:
        events = parse_body(body)
    except DomainError as exc:
        return _error(400, exc.message)
    webhook_events_store(program=program, events=events, enqueue=enqueue_event)
    return JsonResponse({})
