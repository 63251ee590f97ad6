"""Inquiries with a 24-hour answer deadline (Kobe Ⅲ-2【オンライン相談】), hardship
flags (Ⅲ-2【共通】: 生活困窮など公的支援が必要なケース), and answers going back by push or,
when personal, as a link to a verified page on the platform."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import unicodedata
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from secondcareer.consultations.models import Case
from secondcareer.core.audit import audit_log
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditAction
from secondcareer.messaging.channels import chat_carriers, get_channel
from secondcareer.messaging.chat_links import chat_url
from secondcareer.messaging.models import (
    AnswerDelivery,
    ChatAccessCode,
    ChatMessage,
    ChatSender,
    ChatThread,
    Inquiry,
    InquiryStatus,
    PublicSupportContact,
)
from secondcareer.people.models import Seeker
from secondcareer.programs.models import Program

HARDSHIP_REPLY = (
    "暮らしのことでお困りのときは、次の公的な相談窓口もご利用いただけます。"
    "担当のキャリアコンサルタントからもご連絡します。"
)

# Words that suggest the person may need public support (生活困窮). Matching is done on
# NFKC-normalised text with spaces removed, so 「家賃が 払えない」 also matches.
HARDSHIP_PATTERNS = [
    re.compile(p)
    for p in (
        r"家賃.{0,6}(払えな|はらえな|払え無|滞納)",
        r"(生活|暮らし|くらし).{0,4}(苦し|くるし|できな|出来な|困っ|こまっ)",
        r"(食べる|たべる)(もの|物).{0,3}(ない|無い)",
        r"(食費|電気代|ガス代|水道代|光熱費).{0,6}(払えな|はらえな|止ま)",
        r"(電気|ガス|水道).{0,3}(止ま|とま)",
        r"(お金|おかね|貯金|所持金).{0,4}(ない|無い|尽き|底をつ)",
        r"(住む|すむ)(所|ところ|場所|家).{0,3}(ない|無い|なくな)",
        r"(借金|ローン).{0,6}(返せな|かえせな|払えな)",
        r"(生活保護|せいかつほご)",
        r"(困窮|こんきゅう)",
        r"(死にたい|しにたい|消えたい)",
    )
]


def suggests_hardship(text: str) -> bool:
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return any(p.search(folded) for p in HARDSHIP_PATTERNS)


def public_support_messages(program: Program) -> list[str]:
    lines = []
    for contact in PublicSupportContact.objects.filter(program=program):
        parts = [contact.name]
        if contact.description:
            parts.append(contact.description)
        if contact.phone:
            parts.append(f"電話 {contact.phone}")
        if contact.url:
            parts.append(contact.url)
        lines.append("・" + " ".join(parts))
    if not lines:
        lines.append("・お住まいの市区町村の生活困窮者自立相談支援窓口（福祉の相談窓口）")
    return [HARDSHIP_REPLY + "\n" + "\n".join(lines)]


def public_strings(program: Program) -> tuple[str, ...]:
    """Published text the outbound policy must let through (support phone numbers)."""
    return tuple(c.phone for c in PublicSupportContact.objects.filter(program=program) if c.phone)


def inquiry_open(
    *,
    program: Program,
    question: str,
    reason: str,
    channel: str = "line",
    contact_key: str = "",
    seeker: Seeker | None = None,
    now: dt.datetime | None = None,
) -> tuple[Inquiry, list[str]]:
    """Record a question for a person, due within the program's reply hours. ``channel``
    is a registered channel's name and ``contact_key`` that channel's key for the asker
    (empty when it has none). Returns the inquiry with the texts to send besides the
    channel's own thanks: the public support contacts when the question suggests
    hardship (the promise to answer is the dialogue's, said once). An empty question is
    refused: an inquiry holds a question."""
    get_channel(channel)  # an inquiry nobody could answer is a mistake, found here
    now = now or timezone.now()
    text = (question or "").strip()[:4000]
    if not text:
        raise DomainError(
            _("ご質問の内容を入力してください。"),
            code="invalid",
            status=422,
            field_errors={"question": [_("ご質問の内容を入力してください。")]},
        )
    hardship = suggests_hardship(text)
    inquiry = Inquiry.objects.create(
        program=program,
        channel=channel,
        contact_key=contact_key,
        seeker=seeker,
        question=text,
        reason=reason,
        due_at=now + dt.timedelta(hours=program.inquiry_reply_hours or 24),
        hardship=hardship,
    )
    return inquiry, (public_support_messages(program) if hardship else [])


def inquiry_add_message(
    *,
    program: Program,
    channel: str,
    contact_key: str,
    text: str,
    seeker: Seeker | None = None,
    now: dt.datetime | None = None,
) -> tuple[Inquiry, list[str]]:
    """More text from someone who already asked on ``channel``: added to their latest
    open inquiry (its deadline stays), or a new inquiry when none is open any more (or
    the channel has no key for them, so no inquiry is known to be theirs)."""
    now = now or timezone.now()
    body = (text or "").strip()
    with transaction.atomic():
        inquiry = None
        if contact_key:
            inquiry = (
                Inquiry.objects.select_for_update()
                .filter(
                    program=program,
                    channel=channel,
                    contact_key=contact_key,
                    status=InquiryStatus.OPEN,
                )
                .order_by("-created_at", "-id")
                .first()
            )
        if inquiry is None or not body:
            return inquiry_open(
                program=program,
                question=body,
                reason="follow_up",
                channel=channel,
                contact_key=contact_key,
                seeker=seeker,
                now=now,
            )
        stamp = timezone.localtime(now).strftime("%m/%d %H:%M")
        inquiry.question = f"{inquiry.question}\n\n（{stamp} 追加）\n{body}"[:8000]
        newly_hardship = not inquiry.hardship and suggests_hardship(body)
        inquiry.hardship = inquiry.hardship or newly_hardship
        inquiry.save(update_fields=["question", "hardship"])
    return inquiry, (public_support_messages(program) if newly_hardship else [])


def inquiry_answer(
    *,
    inquiry: Inquiry,
    actor: Any,
    answer: str,
    personal: bool,
    now: dt.datetime | None = None,
) -> Inquiry:
    """Record a staff answer and have the inquiry's channel deliver it after commit.
    ``personal`` answers never go over the channel: the asker gets a link to a page they
    open after verification. A general answer the channel may not carry (LINE's
    outbound policy) is refused before anything is recorded, so staff learn at once
    that it must go as a link."""
    now = now or timezone.now()
    body = (answer or "").strip()
    if not body:
        raise DomainError(
            _("回答を入力してください。"),
            code="invalid",
            status=422,
            field_errors={"answer": [_("回答を入力してください。")]},
        )
    channel = get_channel(inquiry.channel)
    if not personal:
        channel.check_answer(inquiry, body)
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if locked.status != InquiryStatus.OPEN:
            raise DomainError(
                _("この問い合わせはすでに回答済みです。"), code="conflict", status=409
            )
        locked.answer = body
        locked.status = InquiryStatus.ANSWERED
        locked.answered_by = actor
        locked.answered_at = now
        locked.delivery = AnswerDelivery.LINK if personal else AnswerDelivery.PUSH
        if personal:
            locked.answer_token = secrets.token_urlsafe(32)
        locked.save()
        audit_log(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            program_slug=locked.program.slug,
            note="answer",
        )
        transaction.on_commit(lambda: channel.deliver_answer(locked))
    return locked


def inquiry_answer_read(
    *, inquiry: Inquiry, program: Program, note: str = "answer read by the asker"
) -> None:
    """The asker opened their answer on the verified page: remember when first, and
    audit every showing, in one transaction."""
    with transaction.atomic():
        if inquiry.answer_read_at is None:
            now = timezone.now()
            Inquiry.objects.filter(pk=inquiry.pk, answer_read_at=None).update(answer_read_at=now)
            inquiry.answer_read_at = now
        audit_log(
            actor=None,
            action=AuditAction.VIEW,
            obj=inquiry,
            program_slug=program.slug,
            note=note,
        )


# --- Secure chat (issue 12 item 4) ------------------------------------------------------

log = logging.getLogger(__name__)

CHAT_BODY_LIMIT = 4000
CHAT_CODE_TTL = dt.timedelta(minutes=30)
CHAT_CODE_ATTEMPTS = 5


def _chat_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        message = _("メッセージを入力してください。")
        raise DomainError(message, code="invalid", status=422, field_errors={"body": [message]})
    if len(text) > CHAT_BODY_LIMIT:
        message = _("メッセージは%(n)s文字以内で入力してください。") % {"n": CHAT_BODY_LIMIT}
        raise DomainError(message, code="invalid", status=422, field_errors={"body": [message]})
    return text


def chat_thread_open(*, case: Case, actor: Any = None) -> ChatThread:
    """The seeker's chat in the case's program, made on first use and tied to ``case``."""
    with transaction.atomic():
        thread, created = ChatThread.objects.get_or_create(
            program_id=case.program_id, seeker_id=case.seeker_id, defaults={"case": case}
        )
        if not created and thread.case_id != case.pk:
            ChatThread.objects.filter(pk=thread.pk).update(case=case)
            thread.case = case
        if created:
            audit_log(
                actor=actor,
                action=AuditAction.CREATE,
                obj=thread,
                program_slug=case.program.slug,
                note="chat opened",
            )
    return thread


def _notify_seeker(thread_id: int) -> None:
    """After commit: every channel that can reach the seeker says a message is waiting
    and gives the link; never the text. A channel that fails is logged (ids only) and
    does not undo the message, which is already stored."""
    thread = ChatThread.objects.select_related("program").get(pk=thread_id)
    url = chat_url(thread.pk)
    for name, carrier in chat_carriers().items():
        try:
            carrier.notify_chat(thread, url)
        except DomainError as exc:
            log.warning(
                "chat notice not sent: thread=%s channel=%s code=%s", thread.pk, name, exc.code
            )


def chat_message_post_staff(
    *,
    user: Any,
    body: str,
    thread: ChatThread | None = None,
    case: Case | None = None,
    now: dt.datetime | None = None,
) -> ChatMessage:
    """A consultant's message (to ``thread``, or to the chat of ``case``, made when
    needed). The seeker's channels carry only a notice with the link, after commit.
    Sending counts as having read what the seeker wrote before."""
    text = _chat_body(body)
    now = now or timezone.now()
    with transaction.atomic():
        if thread is None:
            if case is None:
                raise ValueError("thread or case is required")
            thread = chat_thread_open(case=case, actor=user)
        message = ChatMessage.objects.create(
            thread=thread,
            sender_kind=ChatSender.STAFF,
            staff_user=user,
            body=text,
            created_at=now,
        )
        ChatMessage.objects.filter(
            thread=thread, sender_kind=ChatSender.SEEKER, read_by_staff_at=None
        ).update(read_by_staff_at=now)
        thread_id = thread.pk
        transaction.on_commit(lambda: _notify_seeker(thread_id), robust=True)
    log.info("chat message from staff: thread=%s message=%s", thread.pk, message.pk)
    return message


def chat_message_post_seeker(
    *, thread: ChatThread, body: str, now: dt.datetime | None = None
) -> ChatMessage:
    """The seeker's message, from the verified chat page. Counts as contact with the
    centre (registered as a contact source in apps.py)."""
    text = _chat_body(body)
    now = now or timezone.now()
    with transaction.atomic():
        message = ChatMessage.objects.create(
            thread=thread, sender_kind=ChatSender.SEEKER, body=text, created_at=now
        )
        ChatMessage.objects.filter(
            thread=thread, sender_kind=ChatSender.STAFF, read_by_seeker_at=None
        ).update(read_by_seeker_at=now)
    log.info("chat message from seeker: thread=%s message=%s", thread.pk, message.pk)
    return message


def chat_mark_read(*, thread: ChatThread, reader: str, now: dt.datetime | None = None) -> int:
    """Mark what the other side wrote as read by ``reader`` (``"staff"`` or
    ``"seeker"``); returns how many messages were newly read."""
    now = now or timezone.now()
    with transaction.atomic():
        if reader == ChatSender.STAFF:
            return ChatMessage.objects.filter(
                thread=thread, sender_kind=ChatSender.SEEKER, read_by_staff_at=None
            ).update(read_by_staff_at=now)
        if reader == ChatSender.SEEKER:
            return ChatMessage.objects.filter(
                thread=thread, sender_kind=ChatSender.STAFF, read_by_seeker_at=None
            ).update(read_by_seeker_at=now)
    raise ValueError(f"unknown reader {reader!r}")


def _code_hash(thread_id: int, code: str) -> str:
    return hashlib.sha256(f"{thread_id}:{code}".encode()).hexdigest()


def chat_code_issue(*, thread: ChatThread, actor: Any, now: dt.datetime | None = None) -> str:
    """A 6-digit one-time code for a seeker without LINE to open their chat link (30
    minutes, single use, 5 attempts). Earlier unused codes of the thread stop working.
    Only a hash is stored; the code is shown to staff once."""
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        ChatAccessCode.objects.filter(thread=thread, used_at=None).update(expires_at=now)
        ChatAccessCode.objects.create(
            thread=thread,
            code_hash=_code_hash(thread.pk, code),
            created_by=actor,
            expires_at=now + CHAT_CODE_TTL,
        )
        audit_log(
            actor=actor,
            action=AuditAction.CREATE,
            obj=thread,
            program_slug=thread.program.slug,
            note="chat code",
        )
    return code


def chat_code_redeem(*, thread: ChatThread, code: str, now: dt.datetime | None = None) -> bool:
    """Whether ``code`` opens ``thread`` now: the thread's live code, unused, unexpired,
    under its attempt limit. A right code is used up; a wrong one counts an attempt."""
    now = now or timezone.now()
    digits = "".join(ch for ch in (code or "") if ch.isdigit())[:6]
    with transaction.atomic():
        live = (
            ChatAccessCode.objects.select_for_update()
            .filter(thread=thread, used_at=None, expires_at__gt=now)
            .order_by("-created_at", "-id")
            .first()
        )
        if live is None or live.attempts >= CHAT_CODE_ATTEMPTS:
            return False
        if len(digits) != 6 or not secrets.compare_digest(
            live.code_hash, _code_hash(thread.pk, digits)
        ):
            ChatAccessCode.objects.filter(pk=live.pk).update(attempts=F("attempts") + 1)
            return False
        ChatAccessCode.objects.filter(pk=live.pk).update(used_at=now)
    return True
