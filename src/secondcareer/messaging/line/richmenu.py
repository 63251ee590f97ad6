"""The rich menu: six large buttons under the chat (2 rows × 3), each a postback the
dialogue understands (``action=book`` …), and its image, drawn here with the standard
library so that nothing needs designing or downloading to set a channel up.

:func:`richmenu_install` puts the menu on the channel (LINE or the fake platform),
makes it the default for every user and removes the menus it installed before, so it
can be run again at any time (``secondcareer line-setup --program P``).

The generated image has coloured tiles with simple pictograms and no lettering (the
labels travel in the menu's JSON, which screen readers use). A designed image with
large Japanese lettering is better for seniors: pass it with ``--image``.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from math import isqrt
from typing import Any

from django.utils.translation import gettext as _
from linebot.v3.messaging import ApiClient, MessagingApi

from secondcareer.core.errors import DomainError
from secondcareer.messaging.line.client import LineClient
from secondcareer.messaging.line.config import channel_for

WIDTH, HEIGHT = 2500, 1686
COLUMNS, ROWS = 3, 2
NAME_PREFIX = "secondcareer-"
CHAT_BAR_TEXT = "メニュー"

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class MenuItem:
    label: str
    data: str
    colour: RGB
    icon: str


MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem("相談を予約する", "action=book", (0x0B, 0x4F, 0xA3), "calendar"),
    MenuItem("予約の確認・変更", "action=my_bookings", (0x1F, 0x6F, 0x5C), "list"),
    MenuItem("セミナー・講座", "action=events", (0x7A, 0x3E, 0x9D), "board"),
    MenuItem("おすすめ求人", "action=jobs", (0xA3, 0x4A, 0x0B), "briefcase"),
    MenuItem("よくある質問", "action=faq", (0x2D, 0x6A, 0x31), "bubble"),
    MenuItem("相談員に聞く", "action=ask_human", (0xB0, 0x2A, 0x4A), "person"),
)


def cells() -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) of the six areas, row by row; they tile the image exactly."""
    xs = [WIDTH * i // COLUMNS for i in range(COLUMNS + 1)]
    ys = [HEIGHT * j // ROWS for j in range(ROWS + 1)]
    return [
        (xs[i], ys[j], xs[i + 1] - xs[i], ys[j + 1] - ys[j])
        for j in range(ROWS)
        for i in range(COLUMNS)
    ]


def menu_definition(program_slug: str) -> dict[str, Any]:
    """The rich menu object of the Messaging API."""
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": f"{NAME_PREFIX}{program_slug}",
        "chatBarText": CHAT_BAR_TEXT,
        "areas": [
            {
                "bounds": {"x": x, "y": y, "width": w, "height": h},
                "action": {
                    "type": "postback",
                    "label": item.label,
                    "data": item.data,
                    "displayText": item.label,
                },
            }
            for item, (x, y, w, h) in zip(MENU_ITEMS, cells(), strict=True)
        ],
    }


# --- the image ----------------------------------------------------------------------------


class _Canvas:
    """An RGB raster with the two shapes the pictograms need, written out as PNG."""

    def __init__(self, width: int, height: int, background: RGB) -> None:
        self.width, self.height = width, height
        self.stride = 1 + 3 * width  # a filter byte (0 = none) starts every row
        self.rows = bytearray((b"\x00" + bytes(background) * width) * height)

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: RGB) -> None:
        x0, x1 = max(0, x0), min(self.width, x1)
        if x0 >= x1:
            return
        span = bytes(colour) * (x1 - x0)
        for y in range(max(0, y0), min(self.height, y1)):
            start = y * self.stride + 1 + 3 * x0
            self.rows[start : start + len(span)] = span

    def circle(self, cx: int, cy: int, r: int, colour: RGB) -> None:
        for y in range(cy - r, cy + r + 1):
            half = isqrt(r * r - (y - cy) ** 2)
            self.rect(cx - half, y, cx + half + 1, y + 1, colour)

    def png(self) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            crc = zlib.crc32(kind + data) & 0xFFFFFFFF
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(self.rows), 9))
            + chunk(b"IEND", b"")
        )


WHITE: RGB = (255, 255, 255)
GAP = 6  # px of white between tiles


def _icon(c: _Canvas, kind: str, cx: int, cy: int, bg: RGB) -> None:
    """A white pictogram about 360 px across, centred on (cx, cy)."""
    if kind == "calendar":
        c.rect(cx - 180, cy - 140, cx + 180, cy + 170, WHITE)
        c.rect(cx - 150, cy - 60, cx + 150, cy + 140, bg)
        for row in range(3):
            for col in range(4):
                x, y = cx - 135 + col * 72, cy - 45 + row * 62
                c.rect(x, y, x + 48, y + 42, WHITE)
        c.rect(cx - 120, cy - 190, cx - 80, cy - 110, WHITE)
        c.rect(cx + 80, cy - 190, cx + 120, cy - 110, WHITE)
    elif kind == "list":
        c.rect(cx - 150, cy - 190, cx + 150, cy + 190, WHITE)
        for i in range(4):
            y = cy - 130 + i * 80
            c.rect(cx - 110, y, cx - 70, y + 40, bg)
            c.rect(cx - 40, y + 8, cx + 110, y + 32, bg)
    elif kind == "board":
        c.rect(cx - 190, cy - 170, cx + 190, cy + 80, WHITE)
        c.rect(cx - 160, cy - 140, cx + 160, cy + 50, bg)
        c.rect(cx - 120, cy - 100, cx + 60, cy - 76, WHITE)
        c.rect(cx - 120, cy - 40, cx + 120, cy - 16, WHITE)
        c.rect(cx - 20, cy + 80, cx + 20, cy + 150, WHITE)
        c.rect(cx - 110, cy + 150, cx + 110, cy + 180, WHITE)
    elif kind == "briefcase":
        c.rect(cx - 80, cy - 170, cx + 80, cy - 80, WHITE)
        c.rect(cx - 50, cy - 140, cx + 50, cy - 80, bg)
        c.rect(cx - 200, cy - 90, cx + 200, cy + 170, WHITE)
        c.rect(cx - 200, cy - 10, cx + 200, cy + 14, bg)
        c.rect(cx - 30, cy - 30, cx + 30, cy + 34, WHITE)
    elif kind == "bubble":
        c.circle(cx, cy - 20, 170, WHITE)
        for step in range(70):
            c.rect(cx - 150 + step, cy + 90 + step, cx - 80, cy + 91 + step, WHITE)
        for dx in (-80, 0, 80):
            c.circle(cx + dx, cy - 20, 26, bg)
    elif kind == "person":
        c.circle(cx, cy - 115, 85, WHITE)
        c.circle(cx, cy + 150, 160, WHITE)
        c.rect(cx - 200, cy + 160, cx + 200, cy + 320, bg)


def menu_image() -> bytes:
    """The rich menu image: WIDTH × HEIGHT PNG, one coloured tile per area."""
    canvas = _Canvas(WIDTH, HEIGHT, WHITE)
    for item, (x, y, w, h) in zip(MENU_ITEMS, cells(), strict=True):
        canvas.rect(x + GAP, y + GAP, x + w - GAP, y + h - GAP, item.colour)
        _icon(canvas, item.icon, x + w // 2, y + h // 2 - 20, item.colour)
    return canvas.png()


# --- installing it -------------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    rich_menu_id: str
    removed: tuple[str, ...]


def richmenu_install(*, program_slug: str, image: bytes | None = None) -> Installed:
    """Create the menu with its image on the program's channel, make it the default,
    then delete the menus this function installed before (so there is never a moment
    without a menu, and running it twice leaves one)."""
    channel = channel_for(program_slug)
    if not channel.is_configured:
        raise DomainError(
            _(
                "%(program_slug)s のLINEチャネル（シークレット・アクセストークン）が設定されていません。"
            )
            % {"program_slug": program_slug},
            code="not_configured",
        )
    client = LineClient(channel)
    name = f"{NAME_PREFIX}{program_slug}"
    with ApiClient(client.configuration) as api_client:
        listed = MessagingApi(api_client).get_rich_menu_list().richmenus or []
    previous = [menu.rich_menu_id for menu in listed if menu.name == name]
    rich_menu_id = client.create_rich_menu(menu_definition(program_slug), image or menu_image())
    removed = tuple(menu_id for menu_id in previous if menu_id != rich_menu_id)
    with ApiClient(client.configuration) as api_client:
        api = MessagingApi(api_client)
        for menu_id in removed:
            api.delete_rich_menu(menu_id)
    return Installed(rich_menu_id, removed)
