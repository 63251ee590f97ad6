"""The LINE webhook: verify, store, enqueue, answer 200 — nothing slow happens here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from linebot.v3.webhook import SignatureValidator

from secondcareer.core.errors import DomainError
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.events import parse_body, webhook_events_store
from secondcareer.messaging.line.tasks import enqueue_event
from secondcareer.programs.models import Program


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt  # authenticated by the x-line-signature HMAC instead
@require_POST
def webhook(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = Program.objects.filter(slug=program_slug).first()
    channel = channel_for(program_slug)
    if program is None or not channel.is_configured:
        return _error(404, "unknown channel")
    signature = request.headers.get("x-line-signature", "")
    body = request.body
    try:
        valid = bool(signature) and SignatureValidator(channel.channel_secret).validate(
            body.decode("utf-8"), signature
        )
    except (UnicodeDecodeError, ValueError):
        valid = False
    if not valid:
        return _error(403 if signature else 400, "invalid signature")
    try:
        events = parse_body(body)
    except DomainError as exc:
        return _error(400, exc.message)
    webhook_events_store(program=program, events=events, enqueue=enqueue_event)
    return JsonResponse({})
