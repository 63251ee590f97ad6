"""Video consultation rooms: the address template a program configures (preset
``video.room_url``) and the room ids reservations get. Pure Python (no models), so the
preset format can use it without Django settings. See docs/video.md."""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _

ROOM_PLACEHOLDER = "{room}"
ROOM_BYTES = 24  # 192 bits of randomness; token_urlsafe gives 32 characters


def new_room_id() -> str:
    """A fresh, unguessable room id (URL-safe, no personal data)."""
    return secrets.token_urlsafe(ROOM_BYTES)


def room_template_problem(value: str) -> str | None:
    """Why ``value`` cannot be a room address template (``None`` if it can): an https
    address with exactly one ``{room}``, no other braces and no spaces."""
    if not value.startswith("https://") or len(value) <= len("https://"):
        return _("https:// で始まるアドレスを書いてください。")
    if value.count(ROOM_PLACEHOLDER) != 1:
        return _("部屋の識別子が入る所を {room} と1か所だけ書いてください。")
    rest = value.replace(ROOM_PLACEHOLDER, "")
    if "{" in rest or "}" in rest:
        return _("{room} のほかに波かっこは使えません。")
    if any(c.isspace() for c in value):
        return _("アドレスに空白は使えません。")
    if len(value) > 300:
        return _("アドレスは300文字以内にしてください。")
    return None


def room_link(template: str, room: str) -> str:
    """The address of room ``room`` ("" without a template or a room)."""
    if not template or not room:
        return ""
    return template.replace(ROOM_PLACEHOLDER, room)
