"""The LINE side of the secure chat (:class:`~secondcareer.messaging.channels.
ChatCarrier`), registered in ``apps.py``: the notice that a staff message is waiting,
sent by push through the outbound policy — a fixed sentence and the signed link, never
the message — and the ID token check that proves the reader is the seeker."""

from __future__ import annotations

from secondcareer.core.errors import DomainError
from secondcareer.messaging.line.models import LineUser
from secondcareer.messaging.line.services.linking import verified_line_user
from secondcareer.messaging.line.services.push import push_to
from secondcareer.messaging.models import ChatThread
from secondcareer.programs.models import Program

CHAT_NOTICE = "担当者から新しいメッセージが届いています。次のページでご確認ください。"


class LineChatCarrier:
    def notify_chat(self, thread: ChatThread, url: str) -> bool:
        account = LineUser.objects.filter(
            program_id=thread.program_id, seeker_id=thread.seeker_id, following=True
        ).first()
        if account is None:
            return False
        push_to(
            program=thread.program,
            line_users=[account],
            messages=[{"type": "text", "text": f"{CHAT_NOTICE}\n{url}"}],
            purpose="chat_notice",
            public=False,
            source="system",
        )
        return True

    def verified_seeker_id(self, program: Program, proof: str) -> int | None:
        try:
            account = verified_line_user(program=program, id_token=proof)
        except DomainError:
            return None
        return account.seeker_id
