"""Background work for LINE: thin wrappers that load by id and call a service."""

from __future__ import annotations

from django_tasks import task

from secondcareer.messaging.line.services import linking, processing, profiles


@task()
def process_webhook_event(event_id: int) -> str:
    return processing.process_event(event_id)


def enqueue_event(event_id: int) -> None:
    process_webhook_event.enqueue(event_id)


@task()
def remember_display_name(line_user_id: int) -> bool:
    return profiles.line_user_remember_display_name(line_user_id=line_user_id)


@task()
def tell_linked(line_user_id: int) -> bool:
    return linking.line_user_tell_linked(line_user_id=line_user_id)
