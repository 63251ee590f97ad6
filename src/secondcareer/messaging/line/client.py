"""The one way out to LINE: the official SDK (v3), every message through the outbound
policy first. The host comes from ``LINE_API_BASE_URL`` (the fake platform in tests
and the demo)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
)

from secondcareer.messaging.line.config import LineChannel, channel_for
from secondcareer.messaging.policy import check_outbound


def public_allow_list(program_slug: str) -> tuple[str, ...]:
    """Published strings the policy lets through: venue addresses, public support
    phone numbers and the centre's own booking dial (``Program.contact_phone``, from
    the preset's ``contact``) of the program. Exactly these strings, not any number."""
    from secondcareer.messaging.models import PublicSupportContact
    from secondcareer.programs.models import Program, Venue

    addresses = (
        Venue.objects.filter(program__slug=program_slug)
        .exclude(address="")
        .values_list("address", flat=True)
    )
    phones = (
        PublicSupportContact.objects.filter(program__slug=program_slug)
        .exclude(phone="")
        .values_list("phone", flat=True)
    )
    dial = (
        Program.objects.filter(slug=program_slug)
        .exclude(contact_phone="")
        .values_list("contact_phone", flat=True)
    )
    return (*addresses, *phones, *dial)


def private_room_templates(program_slug: str) -> tuple[str, ...]:
    """The program's video room address template, which no LINE message may link to
    (the policy's ``deny``; docs/video.md)."""
    from secondcareer.programs.models import Program

    return tuple(
        Program.objects.filter(slug=program_slug)
        .exclude(video_room_url="")
        .values_list("video_room_url", flat=True)
    )


class _ApiClient(ApiClient):
    """The SDK pins blob calls (rich-menu images) to LINE's data host; send them to the
    configured one instead (``LINE_API_DATA_BASE_URL``, the fake platform in tests)."""

    def __init__(self, configuration: Configuration, data_host: str) -> None:
        super().__init__(configuration)
        self._data_host = data_host

    def call_api(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("_host"):
            kwargs["_host"] = self._data_host
        return super().call_api(*args, **kwargs)


class LineClient:
    def __init__(self, channel: LineChannel) -> None:
        self.channel = channel
        self.configuration = Configuration(
            host=channel.api_base_url, access_token=channel.access_token
        )

    def _api(self) -> ApiClient:
        return _ApiClient(self.configuration, self.channel.api_data_base_url)

    def _check(self, messages: list[dict[str, Any]], *, public: bool, source: str) -> None:
        check_outbound(
            messages,
            public=public,
            source=source,  # type: ignore[arg-type]
            allow=public_allow_list(self.channel.program_slug),
            deny=private_room_templates(self.channel.program_slug),
        )

    def reply(
        self,
        reply_token: str,
        messages: list[dict[str, Any]],
        *,
        public: bool = False,
        source: str = "system",
    ) -> None:
        self._check(messages, public=public, source=source)
        with self._api() as api_client:
            MessagingApi(api_client).reply_message(
                ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
            )

    def push(
        self,
        to: str,
        messages: list[dict[str, Any]],
        *,
        retry_key: str,
        public: bool = False,
        source: str = "system",
    ) -> None:
        self._check(messages, public=public, source=source)
        with self._api() as api_client:
            MessagingApi(api_client).push_message(
                PushMessageRequest.from_dict({"to": to, "messages": messages}),
                x_line_retry_key=retry_key,
            )

    def multicast(
        self,
        to: list[str],
        messages: list[dict[str, Any]],
        *,
        retry_key: str,
        public: bool = False,
        source: str = "system",
    ) -> None:
        self._check(messages, public=public, source=source)
        with self._api() as api_client:
            MessagingApi(api_client).multicast(
                MulticastRequest.from_dict({"to": to, "messages": messages}),
                x_line_retry_key=retry_key,
            )

    def display_name(self, user_id: str) -> str | None:
        """The user's LINE display name (profile API), or None when LINE refuses or
        cannot be reached."""
        from linebot.v3.messaging import ApiException
        from urllib3.exceptions import HTTPError

        try:
            with self._api() as api_client:
                profile = MessagingApi(api_client).get_profile(user_id)
        except (ApiException, HTTPError):
            return None
        return str(profile.display_name or "") or None

    def create_rich_menu(self, menu: dict[str, Any], image_png: bytes) -> str:
        with self._api() as api_client:
            api = MessagingApi(api_client)
            menu_id = api.create_rich_menu(RichMenuRequest.from_dict(menu)).rich_menu_id
            MessagingApiBlob(api_client).set_rich_menu_image(
                menu_id, body=bytearray(image_png), _headers={"Content-Type": "image/png"}
            )
            api.set_default_rich_menu(menu_id)
        return str(menu_id)

    def verify_id_token(self, id_token: str) -> dict[str, Any] | None:
        """LINE Login's ID-token check, server side: the claims, or None when LINE
        refuses the token. The LINE user id is taken from here, never from the client."""
        data = urllib.parse.urlencode(
            {"id_token": id_token, "client_id": self.channel.channel_id}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the configured LINE host
            f"{self.channel.api_base_url}/oauth2/v2.1/verify", data=data, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                claims = json.loads(response.read().decode("utf-8"))
        except (urllib.error.HTTPError, urllib.error.URLError, ValueError):
            return None
        return claims if isinstance(claims, dict) and claims.get("sub") else None


def client_for(program_slug: str) -> LineClient:
    return LineClient(channel_for(program_slug))
