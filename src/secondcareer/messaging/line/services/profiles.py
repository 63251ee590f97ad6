"""LINE display names, fetched when an unregistered user asks a consultant something,
so that the staff inquiry page can say who asked. Best effort, after the commit: a
LINE that does not answer leaves the name unknown and changes nothing else."""

from __future__ import annotations

import logging

from secondcareer.messaging.line.models import LineUser

log = logging.getLogger(__name__)


def line_user_remember_display_name(*, line_user_id: int) -> bool:
    """Fetch and store the display name of the LineUser row ``line_user_id`` (its pk)
    unless it is known already. True when a name was stored."""
    from secondcareer.messaging.line.client import client_for

    user = LineUser.objects.select_related("program").filter(pk=line_user_id).first()
    if user is None or user.display_name:
        return False
    name = client_for(user.program.slug).display_name(user.line_user_id)
    if not name:
        log.warning("LINE display name of line user %s not available", user.pk)
        return False
    LineUser.objects.filter(pk=user.pk, display_name="").update(display_name=name[:100])
    return True
