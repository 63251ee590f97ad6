"""The fake LINE platform over HTTP: a WSGI application (standard library only).

It answers at the paths the official SDK calls, so ``Configuration(host=base_url)``
is the only change the project makes to talk to it. The blob endpoints
(``api-data.line.me`` in production: rich-menu images) are served by the same
application, told apart by their path.

Messaging API (bearer token required)::

    POST   /v2/bot/message/reply | push | multicast
    GET    /v2/bot/message/quota | quota/consumption
    GET    /v2/bot/profile/{userId}                GET  /v2/bot/info
    POST   /v2/bot/chat/loading/start
    POST   /v2/bot/richmenu                        GET  /v2/bot/richmenu/list
    GET    /v2/bot/richmenu/{id}                   DELETE /v2/bot/richmenu/{id}
    POST   /v2/bot/richmenu/{id}/content (blob)    GET  /v2/bot/richmenu/{id}/content
    POST   /v2/bot/user/all/richmenu/{id}          GET|DELETE /v2/bot/user/all/richmenu
    POST   /v2/bot/user/{userId}/richmenu/{id}     GET|DELETE /v2/bot/user/{userId}/richmenu

LINE Login (no bearer token)::

    POST   /oauth2/v2.1/verify     form: id_token, client_id[, nonce, user_id]

The simulator's side door (no token; CORS open, for the LINE simulator page)::

    GET    /fake/messages?user=U…[&since=<epoch ms>][&after=<seq>][&channel=…]
    GET    /fake/rejections
    POST   /fake/users            {"userId"?, "displayName"?}
    POST   /fake/reply-token      {"userId", "channelId"?}
    POST   /fake/id-token         {"userId", "channelId", "name"?, "nonce"?}
    POST   /fake/webhook          {"userId", "text" | "postback" | "event", "channelId"?,
                                   "deliver"?: true, "url"?}
    POST   /fake/allow            {"strings": [...]}
    POST   /fake/reset
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from secondcareer.devtools.fakeline.idtoken import IdTokenInvalid
from secondcareer.devtools.fakeline.platform import Channel, FakeLinePlatform, LineApiError

MAX_BODY = 2 * 1024 * 1024
_RETRY_KEY_ENDPOINTS = frozenset({"/v2/bot/message/push", "/v2/bot/message/multicast"})
_CORS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type"),
]

StartResponse = Callable[..., Any]


@dataclass
class Request:
    platform: FakeLinePlatform
    method: str
    path: str
    headers: dict[str, str]
    query: dict[str, str]
    body: bytes
    request_id: str
    args: dict[str, str] = field(default_factory=dict)
    channel: Channel | None = None

    @property
    def bot(self) -> Channel:
        assert self.channel is not None  # noqa: S101 - set for every authenticated route
        return self.channel

    def json(self) -> Any:
        if not self.headers.get("content-type", "").lower().startswith("application/json"):
            raise LineApiError(415, "A content type not supported by the API is requested.")
        try:
            return json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            line, column = getattr(exc, "lineno", "-"), getattr(exc, "colno", "-")
            raise LineApiError(
                400,
                f"The request body could not be parsed as JSON (line: {line}, column: {column})",
            ) from exc

    def fields(self) -> dict[str, str]:
        """A form or JSON body as a flat dict of strings (simulator endpoints)."""
        content_type = self.headers.get("content-type", "").lower()
        if content_type.startswith("application/json"):
            data = self.json() or {}
            if not isinstance(data, dict):
                raise LineApiError(400, "The request body must be a JSON object")
            return {key: value for key, value in data.items() if value is not None}
        parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {key: values[0] for key, values in parsed.items()}


@dataclass
class Response:
    status: int
    payload: Any = None
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def encoded(self) -> bytes:
        if isinstance(self.payload, bytes):
            return self.payload
        if self.payload is None:
            return b""
        return json.dumps(self.payload, ensure_ascii=False).encode()


Handler = Callable[[Request], Response]


def _ok(payload: Any, status: int = 200) -> Response:
    return Response(status, payload)


# --- Messaging API handlers ---------------------------------------------------------------


def _reply(r: Request) -> Response:
    return _ok(r.platform.reply(r.bot, r.json(), request_id=r.request_id))


def _push(r: Request) -> Response:
    key = r.headers.get("x-line-retry-key")
    return _ok(r.platform.push(r.bot, r.json(), request_id=r.request_id, retry_key=key))


def _multicast(r: Request) -> Response:
    key = r.headers.get("x-line-retry-key")
    return _ok(r.platform.multicast(r.bot, r.json(), request_id=r.request_id, retry_key=key))


def _loading(r: Request) -> Response:
    body = r.json()
    seconds = body.get("loadingSeconds", 20) if isinstance(body, dict) else None
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("chatId"), str)
        or not isinstance(seconds, int)
        or not (5 <= seconds <= 60 and seconds % 5 == 0)
    ):
        raise LineApiError(400, "The request body has 1 error(s)", [{"message": "invalid"}])
    return _ok({}, 202)


def _richmenu_image(r: Request) -> Response:
    content_type, data = r.platform.richmenu_image(r.bot, r.args["id"])
    return Response(200, data, content_type)


def _upload_image(r: Request) -> Response:
    content_type = r.headers.get("content-type", "")
    return _ok(r.platform.upload_richmenu_image(r.bot, r.args["id"], content_type, r.body))


# --- LINE Login -------------------------------------------------------------------------------


def _verify_id_token(r: Request) -> Response:
    form = r.fields()
    id_token, client_id = form.get("id_token"), form.get("client_id")
    if not id_token or not client_id:
        missing = "id_token" if not id_token else "client_id"
        return _login_error(f"Required parameter is missing: {missing}")
    try:
        claims = r.platform.verify_id_token(
            id_token, client_id, nonce=form.get("nonce"), user_id=form.get("user_id")
        )
    except IdTokenInvalid as exc:
        return _login_error(exc.description)
    return _ok(claims)


def _login_error(description: str) -> Response:
    return Response(400, {"error": "invalid_request", "error_description": description})


# --- the simulator's side door ---------------------------------------------------------------


def _messages(r: Request) -> Response:
    user_id = r.query.get("user")
    if not user_id:
        raise LineApiError(400, "user is required")
    try:
        since = int(r.query["since"]) if r.query.get("since") else None
        after = int(r.query["after"]) if r.query.get("after") else None
    except ValueError as exc:
        raise LineApiError(400, "since and after must be numbers") from exc
    sent = r.platform.messages_for(
        user_id, since=since, after=after, channel_id=r.query.get("channel")
    )
    last = sent[-1].seq if sent else after
    return _ok({"messages": [m.as_json() for m in sent], "last": last})


def _rejections(r: Request) -> Response:
    return _ok({"rejections": [rejection.as_json() for rejection in r.platform.rejections]})


def _add_user(r: Request) -> Response:
    form = r.fields()
    try:
        user = r.platform.add_user(form.get("userId"), display_name=form.get("displayName"))
    except ValueError as exc:
        raise LineApiError(400, str(exc)) from exc
    return _ok(user.profile())


def _channel_id(r: Request, form: dict[str, str]) -> str | None:
    channel_id = form.get("channelId")
    if channel_id is not None and channel_id not in {c.channel_id for c in r.platform.channels}:
        raise LineApiError(404, f"unknown channel {channel_id}")
    return channel_id


def _required_user(form: dict[str, str]) -> str:
    user_id = form.get("userId")
    if not user_id:
        raise LineApiError(400, "userId is required")
    return user_id


def _reply_token(r: Request) -> Response:
    form = r.fields()
    token = r.platform.new_reply_token(_required_user(form), channel_id=_channel_id(r, form))
    return _ok({"replyToken": token})


def _id_token(r: Request) -> Response:
    form = r.fields()
    user_id, channel_id = _required_user(form), form.get("channelId")
    if not channel_id:
        raise LineApiError(400, "channelId is required")
    token = r.platform.issue_id_token(
        user_id, channel_id, name=form.get("name"), nonce=form.get("nonce")
    )
    return _ok({"idToken": token, "userId": user_id})


def _webhook(r: Request) -> Response:
    form = r.fields()
    try:
        webhook = r.platform.sign_and_build_webhook(
            _required_user(form),
            text=form.get("text"),
            postback=form.get("postback"),
            event=form.get("event"),
            channel_id=_channel_id(r, form),
        )
    except ValueError as exc:
        raise LineApiError(400, str(exc)) from exc
    answer: dict[str, Any] = {"replyTokens": list(webhook.reply_tokens)}
    if form.get("deliver", True) in (False, "false", "0"):
        return _ok(answer | {"body": webhook.body.decode(), "signature": webhook.signature})
    try:
        status = r.platform.deliver(webhook, form.get("url"))
    except (ValueError, OSError) as exc:
        raise LineApiError(502, f"webhook not delivered: {exc}") from exc
    return _ok(answer | {"status": status})


def _allow(r: Request) -> Response:
    body = r.json()
    strings = body.get("strings") if isinstance(body, dict) else None
    if not isinstance(strings, list) or not all(isinstance(s, str) for s in strings):
        raise LineApiError(400, "strings must be a list of strings")
    r.platform.allow_public(*strings)
    return _ok({"allow": list(r.platform.allow)})


def _reset(r: Request) -> Response:
    r.platform.reset()
    return _ok({})


# --- routing ----------------------------------------------------------------------------------

_ID = r"(?P<id>[A-Za-z0-9\-]+)"
_USER = r"(?P<user>U[0-9a-f]{32})"


def _route(method: str, path: str, handler: Handler) -> tuple[str, re.Pattern[str], Handler]:
    return method, re.compile(path), handler


_API_ROUTES = [
    _route("POST", "/v2/bot/message/reply", _reply),
    _route("POST", "/v2/bot/message/push", _push),
    _route("POST", "/v2/bot/message/multicast", _multicast),
    _route("GET", "/v2/bot/message/quota", lambda r: _ok(r.platform.quota(r.bot))),
    _route(
        "GET",
        "/v2/bot/message/quota/consumption",
        lambda r: _ok(r.platform.quota_consumption(r.bot)),
    ),
    _route(
        "GET", r"/v2/bot/profile/(?P<user>[^/]+)", lambda r: _ok(r.platform.profile(r.args["user"]))
    ),
    _route("GET", "/v2/bot/info", lambda r: _ok(r.platform.bot_info(r.bot))),
    _route("POST", "/v2/bot/chat/loading/start", _loading),
    _route("POST", "/v2/bot/richmenu", lambda r: _ok(r.platform.create_richmenu(r.bot, r.json()))),
    _route("GET", "/v2/bot/richmenu/list", lambda r: _ok(r.platform.list_richmenus(r.bot))),
    _route(
        "GET",
        f"/v2/bot/richmenu/{_ID}",
        lambda r: _ok(r.platform.get_richmenu(r.bot, r.args["id"])),
    ),
    _route(
        "DELETE",
        f"/v2/bot/richmenu/{_ID}",
        lambda r: _ok(r.platform.delete_richmenu(r.bot, r.args["id"])),
    ),
    _route("POST", f"/v2/bot/richmenu/{_ID}/content", _upload_image),
    _route("GET", f"/v2/bot/richmenu/{_ID}/content", _richmenu_image),
    _route(
        "POST",
        f"/v2/bot/user/all/richmenu/{_ID}",
        lambda r: _ok(r.platform.set_default_richmenu(r.bot, r.args["id"])),
    ),
    _route("GET", "/v2/bot/user/all/richmenu", lambda r: _ok(r.platform.default_richmenu(r.bot))),
    _route(
        "DELETE",
        "/v2/bot/user/all/richmenu",
        lambda r: _ok(r.platform.cancel_default_richmenu(r.bot)),
    ),
    _route(
        "POST",
        f"/v2/bot/user/{_USER}/richmenu/{_ID}",
        lambda r: _ok(r.platform.link_richmenu(r.bot, r.args["user"], r.args["id"])),
    ),
    _route(
        "GET",
        f"/v2/bot/user/{_USER}/richmenu",
        lambda r: _ok(r.platform.user_richmenu(r.bot, r.args["user"])),
    ),
    _route(
        "DELETE",
        f"/v2/bot/user/{_USER}/richmenu",
        lambda r: _ok(r.platform.unlink_richmenu(r.bot, r.args["user"])),
    ),
]
_OPEN_ROUTES = [
    _route("POST", "/oauth2/v2.1/verify", _verify_id_token),
    _route("GET", "/fake/messages", _messages),
    _route("GET", "/fake/rejections", _rejections),
    _route("POST", "/fake/users", _add_user),
    _route("POST", "/fake/reply-token", _reply_token),
    _route("POST", "/fake/id-token", _id_token),
    _route("POST", "/fake/webhook", _webhook),
    _route("POST", "/fake/allow", _allow),
    _route("POST", "/fake/reset", _reset),
]


def _find(
    routes: Iterable[tuple[str, re.Pattern[str], Handler]], method: str, path: str
) -> tuple[Handler | None, dict[str, str], bool]:
    """(handler, path arguments, whether the path exists under another method)."""
    path_known = False
    for route_method, pattern, handler in routes:
        match = pattern.fullmatch(path)
        if match:
            if route_method == method:
                return handler, match.groupdict(), True
            path_known = True
    return None, {}, path_known


class FakeLineApp:
    """WSGI application serving one :class:`FakeLinePlatform`.

    ``prefix`` (e.g. ``"/fakeline"``) lets it be mounted under a path of another
    server: requests under the prefix are answered as if it were absent.
    """

    def __init__(self, platform: FakeLinePlatform, *, prefix: str = "") -> None:
        self.platform = platform
        self.prefix = prefix.rstrip("/")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            environ = environ | {
                "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + self.prefix,
                "PATH_INFO": path[len(self.prefix) :],
            }
        request_id = str(uuid.uuid4())
        response = self._respond(environ, request_id)
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(body := response.encoded()))),
            ("x-line-request-id", request_id),
            *response.headers,
        ]
        if environ.get("PATH_INFO", "").startswith("/fake/"):
            headers += _CORS
        start_response(f"{response.status} {_REASONS.get(response.status, 'Error')}", headers)
        return [body]

    def _respond(self, environ: dict[str, Any], request_id: str) -> Response:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "") or "/"
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        if method == "OPTIONS" and path.startswith("/fake/"):
            return Response(204)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if length > MAX_BODY:
                raise LineApiError(413, "Request Entity Too Large")
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            request = Request(self.platform, method, path, headers, query, body, request_id)
            return self._dispatch(request)
        except LineApiError as error:
            return Response(error.status, error.body(), headers=list(error.headers.items()))

    def _dispatch(self, request: Request) -> Response:
        method, path = request.method, request.path
        handler, args, known = _find(_OPEN_ROUTES, method, path)
        authenticated = False
        if handler is None:
            handler, args, known_api = _find(_API_ROUTES, method, path)
            known = known or known_api
            authenticated = True
        if handler is None:
            raise LineApiError(
                405 if known else 404, "Method Not Allowed" if known else "Not found"
            )
        request.args = args
        if authenticated:
            request.channel = self.platform.authenticate(request.headers.get("authorization"))
            self.platform.throttle(request.channel)
            if "x-line-retry-key" in request.headers and path not in _RETRY_KEY_ENDPOINTS:
                raise LineApiError(400, "X-Line-Retry-Key is not supported on this endpoint")
        return handler(request)


_REASONS = {
    200: "OK",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
