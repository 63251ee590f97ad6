"""The fake LINE platform's state and rules, without HTTP (see :mod:`.app` for that).

One :class:`FakeLinePlatform` stands for LINE: channels with their access tokens and
secrets, users, the reply tokens it issued, what it accepted (per user, per reply
token) and what it refused. It enforces the rules the project must live with in
production — single-use reply tokens that expire after a minute, at most five messages
a request and 500 recipients a multicast, LINE's length limits, ``X-Line-Retry-Key``
idempotency, a per-token rate limit, the monthly message quota — and, on top of LINE's
own rules, the project's outbound policy (:mod:`secondcareer.messaging.policy`): a
message that fails it is refused with 400 and recorded as a rejection.

Time comes from an injectable clock (``clock=ManualClock(...)`` in tests), so expiry,
rate and quota tests do not sleep.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from secondcareer.devtools.fakeline import idtoken, validation
from secondcareer.devtools.fakeline.images import image_size
from secondcareer.devtools.fakeline.signing import sign

DEFAULT_CHANNEL_ID = "2000000001"
# Fake credentials, known to the test settings and the demo; they open nothing real.
DEFAULT_ACCESS_TOKEN = "fake-line-channel-access-token"  # noqa: S105
DEFAULT_CHANNEL_SECRET = "fake-line-channel-secret"  # noqa: S105

REPLY_TOKEN_TTL = 60.0
RETRY_KEY_TTL = 24 * 3600.0
DEFAULT_RATE_LIMIT = 2000  # requests per second per access token (LINE's "other endpoints")
MAX_IMAGE_BYTES = 1024 * 1024
_JST = 9 * 3600

# What the fake refuses, as LINE would refuse nothing but the product's own rule does:
# the product's outbound check (``messaging.policy.find_violations``), installed by
# whoever runs the fake — the tests (ini option fake_line_screen) and the demo's mount. The fake itself
# knows no policy and imports nothing of the product; run alone, it screens nothing.
Screen = Callable[..., list[Any]]
_SCREENS: list[Screen] = []


def screen_outbound_with(check: Screen | None) -> None:
    """Make every platform refuse the messages for which ``check(message, allow=…)``
    returns violations (objects with ``reason.value``, ``detail`` and ``path``)."""
    _SCREENS[:] = [check] if check is not None else []


_UUID_TEXT = 36


class LineApiError(Exception):
    """An error answer of the Messaging API: status, ``message`` and ``details``."""

    def __init__(
        self,
        status: int,
        message: str,
        details: list[validation.Detail] | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.details = details or []
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.details:
            body["details"] = self.details
        return body | self.extra


class ManualClock:
    """A clock that moves only when told: ``clock.advance(61)``."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(frozen=True)
class Channel:
    channel_id: str
    access_token: str
    secret: str
    webhook_url: str | None = None
    name: str = "セカンドキャリア"

    @property
    def bot_user_id(self) -> str:
        return "U" + hashlib.sha256(self.channel_id.encode()).hexdigest()[:32]


@dataclass
class User:
    user_id: str
    display_name: str
    language: str = "ja"
    picture_url: str | None = None
    status_message: str | None = None

    def profile(self) -> dict[str, Any]:
        profile = {"userId": self.user_id, "displayName": self.display_name}
        optional = {
            "language": self.language,
            "pictureUrl": self.picture_url,
            "statusMessage": self.status_message,
        }
        return profile | {key: value for key, value in optional.items() if value}


@dataclass(frozen=True)
class SentMessage:
    """One message object accepted for one user."""

    seq: int
    id: str
    channel_id: str
    user_id: str
    via: str  # "reply" | "push" | "multicast"
    message: dict[str, Any]
    sent_at: float
    request_id: str
    reply_token: str | None = None
    retry_key: str | None = None

    @property
    def timestamp(self) -> int:
        """Milliseconds since the epoch, as LINE writes times."""
        return int(self.sent_at * 1000)

    @property
    def text(self) -> str | None:
        return self.message.get("text") if self.message.get("type") == "text" else None

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "id": self.id,
            "channelId": self.channel_id,
            "userId": self.user_id,
            "via": self.via,
            "timestamp": self.timestamp,
            "replyToken": self.reply_token,
            "retryKey": self.retry_key,
            "message": self.message,
        }


@dataclass(frozen=True)
class Rejection:
    """A message refused by the outbound policy."""

    at: float
    endpoint: str
    channel_id: str
    recipients: tuple[str, ...]
    message: dict[str, Any]
    reasons: tuple[str, ...]
    details: tuple[str, ...]

    def describe(self) -> str:
        to = ", ".join(self.recipients) or "-"
        body = json.dumps(self.message, ensure_ascii=False)
        return f"{self.endpoint} to {to}: {'; '.join(self.details)}\n    message: {body}"

    def as_json(self) -> dict[str, Any]:
        return {
            "timestamp": int(self.at * 1000),
            "endpoint": self.endpoint,
            "channelId": self.channel_id,
            "recipients": list(self.recipients),
            "reasons": list(self.reasons),
            "details": list(self.details),
            "message": self.message,
        }


@dataclass(frozen=True)
class SignedWebhook:
    """A webhook request body as LINE would post it, with its signature."""

    body: bytes
    signature: str
    reply_tokens: tuple[str, ...]
    channel: Channel

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Content-Type": "application/json; charset=utf-8",
            "x-line-signature": self.signature,
        }

    @property
    def payload(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.body)
        return result

    @property
    def reply_token(self) -> str:
        return self.reply_tokens[0]


@dataclass
class _ReplyToken:
    user_id: str
    channel_id: str
    issued_at: float
    used: bool = False


@dataclass
class _RichMenu:
    rich_menu_id: str
    channel_id: str
    definition: dict[str, Any]
    image: bytes | None = None
    image_type: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"richMenuId": self.rich_menu_id} | self.definition


@dataclass
class _Accepted:
    request_id: str
    at: float
    extra: dict[str, Any] = field(default_factory=dict)


RejectionListener = Callable[["FakeLinePlatform", Rejection], None]
_rejection_listeners: list[RejectionListener] = []


def add_rejection_listener(listener: RejectionListener) -> None:
    """Call ``listener`` for every rejection on a platform not expecting rejections
    (the pytest plugin uses this to fail the run)."""
    _rejection_listeners.append(listener)


def remove_rejection_listener(listener: RejectionListener) -> None:
    if listener in _rejection_listeners:
        _rejection_listeners.remove(listener)


def new_user_id() -> str:
    """A LINE user id: ``U`` and 32 hex digits."""
    return "U" + secrets.token_hex(16)


class FakeLinePlatform:
    """LINE, in memory. Thread-safe: the HTTP server calls it from many threads."""

    def __init__(
        self,
        *,
        channels: Iterable[Channel] = (),
        clock: Callable[[], float] = time.time,
        reply_token_ttl: float = REPLY_TOKEN_TTL,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        monthly_quota: int | None = None,
        allow: Iterable[str] = (),
        expect_rejections: bool = False,
    ) -> None:
        self.clock = clock
        self.reply_token_ttl = reply_token_ttl
        self.rate_limit = rate_limit
        self.monthly_quota = monthly_quota
        self.expect_rejections = expect_rejections
        self._lock = threading.RLock()
        self._channels: dict[str, Channel] = {}
        self._by_token: dict[str, Channel] = {}
        self._users: dict[str, User] = {}
        self._allow: tuple[str, ...] = tuple(allow)
        self._login_key = secrets.token_bytes(32)
        for channel in list(channels) or [
            Channel(DEFAULT_CHANNEL_ID, DEFAULT_ACCESS_TOKEN, DEFAULT_CHANNEL_SECRET)
        ]:
            self.add_channel(channel)
        self._clear()

    def _clear(self) -> None:
        self.sent: list[SentMessage] = []
        self.rejections: list[Rejection] = []
        self._reply_tokens: dict[str, _ReplyToken] = {}
        self._retry_keys: dict[tuple[str, str], _Accepted] = {}
        self._rate: dict[str, deque[float]] = {}
        self._usage: dict[tuple[str, str], int] = {}
        self._rich_menus: dict[str, _RichMenu] = {}
        self._default_menu: dict[str, str] = {}
        self._user_menu: dict[tuple[str, str], str] = {}
        self._seq = 0

    def reset(self) -> None:
        """Forget messages, rejections, tokens, retry keys, rich menus and quota usage;
        keep channels, users and the public allow-list. (Rejections already reported
        to a listener stay reported.)"""
        with self._lock:
            self._clear()

    # --- set-up ----------------------------------------------------------------------

    def add_channel(self, channel: Channel) -> Channel:
        with self._lock:
            self._channels[channel.channel_id] = channel
            self._by_token[channel.access_token] = channel
        return channel

    def channel(self, channel_id: str | None = None) -> Channel:
        """The channel with that id, or the first one."""
        with self._lock:
            if channel_id is None:
                return next(iter(self._channels.values()))
            return self._channels[channel_id]

    @property
    def channels(self) -> list[Channel]:
        with self._lock:
            return list(self._channels.values())

    def add_user(
        self,
        user_id: str | None = None,
        *,
        display_name: str | None = None,
        language: str = "ja",
        picture_url: str | None = None,
    ) -> User:
        user_id = user_id or new_user_id()
        if not validation.USER_ID.fullmatch(user_id):
            raise ValueError(f"not a LINE user id: {user_id!r}")
        with self._lock:
            user = User(user_id, display_name or f"利用者{user_id[1:5]}", language, picture_url)
            self._users[user_id] = user
        return user

    def _known(self, user_id: str) -> User:
        with self._lock:
            return self._users.get(user_id) or self.add_user(user_id)

    def allow_public(self, *strings: str) -> None:
        """Add public strings (venue addresses, the centre's phone number…) that the
        outbound policy lets through."""
        with self._lock:
            self._allow = (*self._allow, *strings)

    @property
    def allow(self) -> tuple[str, ...]:
        return self._allow

    # --- tokens ------------------------------------------------------------------------

    def new_reply_token(self, user_id: str, *, channel_id: str | None = None) -> str:
        """A fresh reply token for ``user_id``: usable once, within ``reply_token_ttl``."""
        channel = self.channel(channel_id)
        self._known(user_id)
        token = secrets.token_hex(16)
        with self._lock:
            self._reply_tokens[token] = _ReplyToken(user_id, channel.channel_id, self.clock())
        return token

    def issue_id_token(
        self,
        user_id: str,
        channel_id: str,
        *,
        name: str | None = None,
        nonce: str | None = None,
        lifetime: float = 3600.0,
    ) -> str:
        """A LINE Login ID token for ``user_id``, for the LINE Login channel
        ``channel_id`` (the ``client_id`` the verifier must present)."""
        user = self._known(user_id)
        now = self.clock()
        claims: dict[str, Any] = {
            "iss": idtoken.ISSUER,
            "sub": user_id,
            "aud": channel_id,
            "exp": int(now + lifetime),
            "iat": int(now),
            "amr": ["linesso"],
            "name": name or user.display_name,
        }
        if nonce is not None:
            claims["nonce"] = nonce
        return idtoken.encode(claims, self._login_key)

    def verify_id_token(
        self,
        id_token: str,
        client_id: str,
        *,
        nonce: str | None = None,
        user_id: str | None = None,
    ) -> dict[str, Any]:
        """The claims, as ``POST /oauth2/v2.1/verify`` returns them; raises
        :class:`~.idtoken.IdTokenInvalid` with LINE's error description."""
        return idtoken.decode(
            id_token,
            self._login_key,
            now=self.clock(),
            client_id=client_id,
            nonce=nonce,
            user_id=user_id,
        )

    # --- webhooks (the LINE → project direction) -----------------------------------------

    def _event(
        self, kind: str, user_id: str, channel_id: str | None, **extra: Any
    ) -> dict[str, Any]:
        self._known(user_id)
        event: dict[str, Any] = {"type": kind}
        if kind not in {"unfollow", "leave"}:
            event["replyToken"] = self.new_reply_token(user_id, channel_id=channel_id)
        return event | {
            "mode": "active",
            "timestamp": int(self.clock() * 1000),
            "source": {"type": "user", "userId": user_id},
            "webhookEventId": _ulid(self.clock()),
            "deliveryContext": {"isRedelivery": False},
            **extra,
        }

    def message_event(
        self, user_id: str, text: str, *, channel_id: str | None = None
    ) -> dict[str, Any]:
        message = {
            "id": str(secrets.randbelow(10**17) + 10**17),
            "type": "text",
            "quoteToken": secrets.token_urlsafe(16),
            "text": text,
        }
        return self._event("message", user_id, channel_id, message=message)

    def postback_event(
        self,
        user_id: str,
        data: str,
        *,
        params: dict[str, str] | None = None,
        channel_id: str | None = None,
    ) -> dict[str, Any]:
        postback: dict[str, Any] = {"data": data}
        if params:
            postback["params"] = params
        return self._event("postback", user_id, channel_id, postback=postback)

    def follow_event(self, user_id: str, *, channel_id: str | None = None) -> dict[str, Any]:
        return self._event("follow", user_id, channel_id, follow={"isUnblocked": False})

    def unfollow_event(self, user_id: str, *, channel_id: str | None = None) -> dict[str, Any]:
        return self._event("unfollow", user_id, channel_id)

    def build_webhook(
        self, events: Iterable[dict[str, Any]], *, channel_id: str | None = None
    ) -> SignedWebhook:
        """A signed webhook body carrying ``events`` (built with the ``*_event``
        methods, each with a fresh reply token)."""
        channel = self.channel(channel_id)
        events = list(events)
        payload = {"destination": channel.bot_user_id, "events": events}
        body = json.dumps(payload, ensure_ascii=False).encode()
        tokens = tuple(e["replyToken"] for e in events if "replyToken" in e)
        return SignedWebhook(body, sign(body, channel.secret), tokens, channel)

    def sign_and_build_webhook(
        self,
        user_id: str,
        *,
        text: str | None = None,
        postback: str | None = None,
        event: str | None = None,
        channel_id: str | None = None,
    ) -> SignedWebhook:
        """One event from ``user_id``: a text message, a postback, or ``event="follow"``
        / ``"unfollow"``."""
        if text is not None:
            built = self.message_event(user_id, text, channel_id=channel_id)
        elif postback is not None:
            built = self.postback_event(user_id, postback, channel_id=channel_id)
        elif event == "follow":
            built = self.follow_event(user_id, channel_id=channel_id)
        elif event == "unfollow":
            built = self.unfollow_event(user_id, channel_id=channel_id)
        else:
            raise ValueError("give text=, postback= or event='follow'/'unfollow'")
        return self.build_webhook([built], channel_id=channel_id)

    def deliver(self, webhook: SignedWebhook, url: str | None = None, timeout: float = 10) -> int:
        """POST ``webhook`` to ``url`` (default: its channel's webhook URL), as LINE
        does; returns the HTTP status. Never call this holding the platform's lock:
        the project may call back (reply) while handling the webhook."""
        target = url or webhook.channel.webhook_url
        if not target or not target.startswith(("http://", "https://")):
            raise ValueError("no http(s) webhook URL for this channel")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            target, data=webhook.body, headers=webhook.headers, method="POST"
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=timeout) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    # --- the Messaging API ---------------------------------------------------------------

    def authenticate(self, authorization: str | None) -> Channel:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise LineApiError(
                401,
                "Authorization header required. "
                "Must follow the scheme, 'Authorization: Bearer <ACCESS TOKEN>'",
            )
        with self._lock:
            channel = self._by_token.get(token.strip())
        if channel is None:
            raise LineApiError(
                401,
                "Authentication failed. "
                "Confirm that the access token in the authorization header is valid.",
            )
        return channel

    def throttle(self, channel: Channel) -> None:
        """Count one request against the token's per-second rate; 429 past it."""
        now = self.clock()
        with self._lock:
            window = self._rate.setdefault(channel.access_token, deque())
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= self.rate_limit:
                raise LineApiError(429, "The API rate limit has been exceeded. Try again later.")
            window.append(now)

    def reply(self, channel: Channel, body: Any, *, request_id: str) -> dict[str, Any]:
        body = _object(body)
        token = body.get("replyToken")
        _raise_invalid(validation.message_problems(body.get("messages")))
        with self._lock:
            issued = self._reply_tokens.get(token) if isinstance(token, str) else None
            if (
                issued is None
                or issued.used
                or issued.channel_id != channel.channel_id
                or self.clock() - issued.issued_at > self.reply_token_ttl
            ):
                raise LineApiError(400, "Invalid reply token")
            messages = body["messages"]
            self._check_policy(channel, "reply", (issued.user_id,), messages)
            issued.used = True
            sent = self._record(channel, "reply", [issued.user_id], messages, request_id, token)
        return {"sentMessages": sent}

    def push(
        self, channel: Channel, body: Any, *, request_id: str, retry_key: str | None
    ) -> dict[str, Any]:
        body = _object(body)
        with self._lock:
            self._replay(channel, retry_key)
            to = body.get("to")
            _raise_invalid(
                validation.recipient_problems(to)
                + validation.message_problems(body.get("messages"))
            )
            messages = body["messages"]
            self._check_policy(channel, "push", (to,), messages)
            self._consume(channel, 1)
            sent = self._record(channel, "push", [to], messages, request_id, retry_key=retry_key)
            self._remember(channel, retry_key, request_id, {"sentMessages": sent})
        return {"sentMessages": sent}

    def multicast(
        self, channel: Channel, body: Any, *, request_id: str, retry_key: str | None
    ) -> dict[str, Any]:
        body = _object(body)
        with self._lock:
            self._replay(channel, retry_key)
            to = body.get("to")
            problems = validation.size_problems(to, 1, validation.MAX_MULTICAST, "to")
            if not problems:
                for index, user_id in enumerate(to):
                    problems += validation.recipient_problems(user_id, f"to[{index}]")
            _raise_invalid(problems + validation.message_problems(body.get("messages")))
            messages = body["messages"]
            self._check_policy(channel, "multicast", tuple(to), messages)
            self._consume(channel, len(to))
            self._record(channel, "multicast", to, messages, request_id, retry_key=retry_key)
            self._remember(channel, retry_key, request_id, {})
        return {}

    def profile(self, user_id: str) -> dict[str, Any]:
        with self._lock:
            user = self._users.get(user_id)
        if user is None:
            raise LineApiError(404, "Not found")
        return user.profile()

    def bot_info(self, channel: Channel) -> dict[str, Any]:
        return {
            "userId": channel.bot_user_id,
            "basicId": "@" + channel.bot_user_id[1:9],
            "displayName": channel.name,
            "chatMode": "bot",
            "markAsReadMode": "auto",
        }

    def quota(self, channel: Channel) -> dict[str, Any]:
        if self.monthly_quota is None:
            return {"type": "none"}
        return {"type": "limited", "value": self.monthly_quota}

    def quota_consumption(self, channel: Channel) -> dict[str, Any]:
        with self._lock:
            return {"totalUsage": self._usage.get((channel.channel_id, self._month()), 0)}

    # --- rich menus ----------------------------------------------------------------------

    def create_richmenu(self, channel: Channel, body: Any) -> dict[str, Any]:
        menu = _object(body)
        _raise_invalid(validation.richmenu_problems(menu))
        with self._lock:
            self._check_policy(channel, "richmenu", (), [menu])
            rich_menu_id = "richmenu-" + secrets.token_hex(16)
            self._rich_menus[rich_menu_id] = _RichMenu(rich_menu_id, channel.channel_id, menu)
        return {"richMenuId": rich_menu_id}

    def _menu(self, channel: Channel, rich_menu_id: str) -> _RichMenu:
        menu = self._rich_menus.get(rich_menu_id)
        if menu is None or menu.channel_id != channel.channel_id:
            raise LineApiError(404, "Not found")
        return menu

    def get_richmenu(self, channel: Channel, rich_menu_id: str) -> dict[str, Any]:
        with self._lock:
            return self._menu(channel, rich_menu_id).as_json()

    def list_richmenus(self, channel: Channel) -> dict[str, Any]:
        with self._lock:
            menus = [m for m in self._rich_menus.values() if m.channel_id == channel.channel_id]
            return {"richmenus": [menu.as_json() for menu in menus]}

    def delete_richmenu(self, channel: Channel, rich_menu_id: str) -> dict[str, Any]:
        with self._lock:
            self._menu(channel, rich_menu_id)
            del self._rich_menus[rich_menu_id]
            if self._default_menu.get(channel.channel_id) == rich_menu_id:
                del self._default_menu[channel.channel_id]
            for key, linked in list(self._user_menu.items()):
                if linked == rich_menu_id:
                    del self._user_menu[key]
        return {}

    def upload_richmenu_image(
        self, channel: Channel, rich_menu_id: str, content_type: str, data: bytes
    ) -> dict[str, Any]:
        declared = content_type.split(";")[0].strip().lower()
        if declared not in {"image/png", "image/jpeg"}:
            raise LineApiError(415, "Unsupported Media Type")
        if len(data) > MAX_IMAGE_BYTES:
            raise LineApiError(413, "Request Entity Too Large")
        found = image_size(data)
        if found is None or found[0] != declared:
            raise LineApiError(400, "The image is not a valid PNG or JPEG file")
        with self._lock:
            menu = self._menu(channel, rich_menu_id)
            if menu.image is not None:
                raise LineApiError(400, "An image has already been uploaded to the richmenu")
            size = menu.definition["size"]
            if (found[1], found[2]) != (size["width"], size["height"]):
                raise LineApiError(400, "The image size does not match the rich menu size")
            menu.image, menu.image_type = data, declared
        return {}

    def richmenu_image(self, channel: Channel, rich_menu_id: str) -> tuple[str, bytes]:
        with self._lock:
            menu = self._menu(channel, rich_menu_id)
            if menu.image is None or menu.image_type is None:
                raise LineApiError(404, "Not found")
            return menu.image_type, menu.image

    def _linkable(self, channel: Channel, rich_menu_id: str) -> None:
        if self._menu(channel, rich_menu_id).image is None:
            raise LineApiError(400, "must upload richmenu image before applying it to user")

    def set_default_richmenu(self, channel: Channel, rich_menu_id: str) -> dict[str, Any]:
        with self._lock:
            self._linkable(channel, rich_menu_id)
            self._default_menu[channel.channel_id] = rich_menu_id
        return {}

    def default_richmenu(self, channel: Channel) -> dict[str, Any]:
        with self._lock:
            rich_menu_id = self._default_menu.get(channel.channel_id)
        if rich_menu_id is None:
            raise LineApiError(404, "no default richmenu")
        return {"richMenuId": rich_menu_id}

    def cancel_default_richmenu(self, channel: Channel) -> dict[str, Any]:
        with self._lock:
            self._default_menu.pop(channel.channel_id, None)
        return {}

    def link_richmenu(self, channel: Channel, user_id: str, rich_menu_id: str) -> dict[str, Any]:
        with self._lock:
            self._linkable(channel, rich_menu_id)
            self._user_menu[(channel.channel_id, user_id)] = rich_menu_id
        return {}

    def user_richmenu(self, channel: Channel, user_id: str) -> dict[str, Any]:
        with self._lock:
            rich_menu_id = self._user_menu.get((channel.channel_id, user_id))
        if rich_menu_id is None:
            raise LineApiError(404, "the user has no richmenu")
        return {"richMenuId": rich_menu_id}

    def unlink_richmenu(self, channel: Channel, user_id: str) -> dict[str, Any]:
        with self._lock:
            self._user_menu.pop((channel.channel_id, user_id), None)
        return {}

    # --- what was sent ---------------------------------------------------------------------

    def messages_for(
        self,
        user_id: str,
        *,
        since: int | None = None,
        after: int | None = None,
        channel_id: str | None = None,
    ) -> list[SentMessage]:
        """Messages accepted for ``user_id``, oldest first: ``since`` a ``timestamp``
        (epoch milliseconds, exclusive), ``after`` a ``seq`` already seen (the safer
        cursor for polling: several messages can share a millisecond)."""
        with self._lock:
            return [
                sent
                for sent in self.sent
                if sent.user_id == user_id
                and (since is None or sent.timestamp > since)
                and (after is None or sent.seq > after)
                and (channel_id is None or sent.channel_id == channel_id)
            ]

    def texts_for(self, user_id: str) -> list[str]:
        """The texts of the text messages ``user_id`` received, oldest first."""
        return [sent.text for sent in self.messages_for(user_id) if sent.text is not None]

    def replies_to(self, reply_token: str) -> list[SentMessage]:
        with self._lock:
            return [sent for sent in self.sent if sent.reply_token == reply_token]

    # --- internals ---------------------------------------------------------------------------

    def _check_policy(
        self,
        channel: Channel,
        endpoint: str,
        recipients: tuple[str, ...],
        messages: list[dict[str, Any]],
    ) -> None:
        details: list[validation.Detail] = []
        for index, message in enumerate(messages):
            found = _SCREENS[0](message, allow=self._allow) if _SCREENS else []
            if not found:
                continue
            prefix = f"messages[{index}]" if endpoint != "richmenu" else ""
            texts = tuple(f"{v.reason.value}: {v.detail}" for v in found)
            rejection = Rejection(
                at=self.clock(),
                endpoint=endpoint,
                channel_id=channel.channel_id,
                recipients=recipients,
                message=message,
                reasons=tuple(v.reason.value for v in found),
                details=texts,
            )
            self.rejections.append(rejection)
            if not self.expect_rejections:
                for listener in list(_rejection_listeners):
                    listener(self, rejection)
            details += [
                {"message": text, "property": ".".join(p for p in (prefix, v.path) if p)}
                for v, text in zip(found, texts, strict=True)
            ]
        if details:
            raise LineApiError(400, "outbound policy", details)

    def _record(
        self,
        channel: Channel,
        via: str,
        user_ids: list[str],
        messages: list[dict[str, Any]],
        request_id: str,
        reply_token: str | None = None,
        *,
        retry_key: str | None = None,
    ) -> list[dict[str, str]]:
        now = self.clock()
        answer: list[dict[str, str]] = []
        for user_id in user_ids:
            self._known(user_id)
            answer = []
            for message in messages:
                self._seq += 1
                sent = SentMessage(
                    seq=self._seq,
                    id=str(10**17 + self._seq),
                    channel_id=channel.channel_id,
                    user_id=user_id,
                    via=via,
                    message=message,
                    sent_at=now,
                    request_id=request_id,
                    reply_token=reply_token,
                    retry_key=retry_key,
                )
                self.sent.append(sent)
                entry = {"id": sent.id}
                if message.get("type") in {"text", "textV2", "sticker"}:
                    entry["quoteToken"] = secrets.token_urlsafe(16)
                answer.append(entry)
        return answer

    def _replay(self, channel: Channel, retry_key: str | None) -> None:
        if retry_key is None:
            return
        if len(retry_key) != _UUID_TEXT or not _is_uuid(retry_key):
            raise LineApiError(400, "The value for the 'X-Line-Retry-Key' header is invalid")
        accepted = self._retry_keys.get((channel.channel_id, retry_key.lower()))
        if accepted is not None and self.clock() - accepted.at < RETRY_KEY_TTL:
            raise LineApiError(
                409,
                "The retry key is already accepted",
                headers={"x-line-accepted-request-id": accepted.request_id},
                extra=accepted.extra,
            )

    def _remember(
        self, channel: Channel, retry_key: str | None, request_id: str, extra: dict[str, Any]
    ) -> None:
        if retry_key is not None:
            key = (channel.channel_id, retry_key.lower())
            self._retry_keys[key] = _Accepted(request_id, self.clock(), extra)

    def _month(self) -> str:
        return time.strftime("%Y-%m", time.gmtime(self.clock() + _JST))

    def _consume(self, channel: Channel, count: int) -> None:
        key = (channel.channel_id, self._month())
        used = self._usage.get(key, 0)
        if self.monthly_quota is not None and used + count > self.monthly_quota:
            raise LineApiError(429, "You have reached your monthly limit.")
        self._usage[key] = used + count


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise LineApiError(
            400, "The request body has 1 error(s)", [{"message": "Must be an object"}]
        )
    return body


def _raise_invalid(problems: list[validation.Detail]) -> None:
    if problems:
        raise LineApiError(400, f"The request body has {len(problems)} error(s)", problems)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _ulid(now: float) -> str:
    """A ULID, the form of LINE's ``webhookEventId``: 48-bit milliseconds + 80 random bits."""
    value = (int(now * 1000) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))
