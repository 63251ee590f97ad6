"""The Messaging API's limits on request bodies, as the fake enforces them.

Each check returns LINE-style error details (``{"message": ..., "property": ...}``);
an empty list means the body is acceptable. The limits are LINE's documented ones
(messages per request, text length counted in UTF-16 code units, quick-reply items,
template actions, label lengths, rich-menu sizes); only the message types and fields
the project sends are checked in depth, the others for their required fields.
"""

from __future__ import annotations

import re
from typing import Any

Detail = dict[str, str]

MAX_MESSAGES = 5
MAX_MULTICAST = 500
MAX_TEXT = 5000
MAX_QUICK_REPLY = 13
MAX_LABEL = 20
MAX_ALT_TEXT = 1500
MAX_DATA = 300
MAX_URI = 1000

USER_ID = re.compile(r"U[0-9a-f]{32}")
_TO = re.compile(r"[UCR][0-9a-f]{32}")

MESSAGE_TYPES = frozenset(
    {"text", "textV2", "sticker", "image", "video", "audio", "location", "imagemap"}
    | {"template", "flex"}
)
ACTION_TYPES = frozenset(
    {"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location"}
    | {"richmenuswitch", "clipboard"}
)
_REQUIRED = {
    "sticker": ("packageId", "stickerId"),
    "image": ("originalContentUrl", "previewImageUrl"),
    "video": ("originalContentUrl", "previewImageUrl"),
    "audio": ("originalContentUrl", "duration"),
    "location": ("title", "address", "latitude", "longitude"),
    "imagemap": ("baseUrl", "altText", "baseSize", "actions"),
}


def utf16_length(text: str) -> int:
    """Length as LINE counts it: UTF-16 code units (an emoji may count as two)."""
    return len(text.encode("utf-16-le")) // 2


def _detail(message: str, prop: str) -> Detail:
    return {"message": message, "property": prop}


def size_problems(value: Any, low: int, high: int, prop: str) -> list[Detail]:
    if not isinstance(value, list):
        return [_detail("must be specified" if value is None else "Must be an array", prop)]
    if not low <= len(value) <= high:
        return [_detail(f"Size must be between {low} and {high}", prop)]
    return []


def _text(value: Any, high: int, prop: str, *, required: bool = True) -> list[Detail]:
    if value is None:
        return [_detail("must be specified", prop)] if required else []
    if not isinstance(value, str):
        return [_detail("Must be a string", prop)]
    if utf16_length(value) > high or (required and not value):
        return [_detail(f"Length must be between {1 if required else 0} and {high}", prop)]
    return []


def recipient_problems(to: Any, prop: str = "to") -> list[Detail]:
    if isinstance(to, str) and _TO.fullmatch(to):
        return []
    return [_detail(f"The property, '{prop}', in the request body is invalid", prop)]


def message_problems(messages: Any, prop: str = "messages") -> list[Detail]:
    problems = size_problems(messages, 1, MAX_MESSAGES, prop)
    if problems:
        return problems
    for index, message in enumerate(messages):
        problems += _message(message, f"{prop}[{index}]")
    return problems


def _message(message: Any, prop: str) -> list[Detail]:
    if not isinstance(message, dict):
        return [_detail("Must be an object", prop)]
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        return [_detail(f"The property, '{prop}.type', in the request body is invalid", prop)]
    problems: list[Detail] = []
    if kind == "text":
        problems += _text(message.get("text"), MAX_TEXT, f"{prop}.text")
    elif kind == "template":
        problems += _text(message.get("altText"), MAX_ALT_TEXT, f"{prop}.altText")
        problems += _template(message.get("template"), f"{prop}.template")
    elif kind == "flex":
        problems += _text(message.get("altText"), MAX_ALT_TEXT, f"{prop}.altText")
        contents = message.get("contents")
        if not isinstance(contents, dict) or contents.get("type") not in {"bubble", "carousel"}:
            problems.append(_detail("must be specified", f"{prop}.contents"))
    for field in _REQUIRED.get(kind, ()):
        if message.get(field) is None:
            problems.append(_detail("must be specified", f"{prop}.{field}"))
    if "quickReply" in message:
        problems += _quick_reply(message["quickReply"], f"{prop}.quickReply")
    return problems


def _quick_reply(quick_reply: Any, prop: str) -> list[Detail]:
    if not isinstance(quick_reply, dict):
        return [_detail("Must be an object", prop)]
    items = quick_reply.get("items")
    problems = size_problems(items, 1, MAX_QUICK_REPLY, f"{prop}.items")
    if problems or not isinstance(items, list):
        return problems
    for index, item in enumerate(items):
        action = item.get("action") if isinstance(item, dict) else None
        problems += _action(action, f"{prop}.items[{index}].action", label_required=True)
    return problems


def _template(template: Any, prop: str) -> list[Detail]:
    if not isinstance(template, dict):
        return [_detail("must be specified", prop)]
    kind = template.get("type")
    if kind == "buttons":
        short = template.get("title") or template.get("thumbnailImageUrl")
        return _text(template.get("text"), 60 if short else 160, f"{prop}.text") + _actions(
            template.get("actions"), 1, 4, f"{prop}.actions"
        )
    if kind == "confirm":
        return _text(template.get("text"), 240, f"{prop}.text") + _actions(
            template.get("actions"), 2, 2, f"{prop}.actions"
        )
    if kind in {"carousel", "image_carousel"}:
        columns = template.get("columns")
        problems = size_problems(columns, 1, 10, f"{prop}.columns")
        if problems or not isinstance(columns, list):
            return problems
        for index, column in enumerate(columns):
            column_prop = f"{prop}.columns[{index}]"
            if not isinstance(column, dict):
                problems.append(_detail("Must be an object", column_prop))
            elif kind == "carousel":
                short = column.get("title") or column.get("thumbnailImageUrl")
                problems += _text(column.get("text"), 60 if short else 120, f"{column_prop}.text")
                problems += _actions(column.get("actions"), 1, 3, f"{column_prop}.actions")
            else:
                problems += _action(column.get("action"), f"{column_prop}.action")
        return problems
    return [_detail(f"The property, '{prop}.type', in the request body is invalid", prop)]


def _actions(actions: Any, low: int, high: int, prop: str) -> list[Detail]:
    problems = size_problems(actions, low, high, prop)
    if problems:
        return problems
    for index, action in enumerate(actions):
        problems += _action(action, f"{prop}[{index}]")
    return problems


def _action(action: Any, prop: str, *, label_required: bool = False) -> list[Detail]:
    if not isinstance(action, dict):
        return [_detail("must be specified", prop)]
    kind = action.get("type")
    if kind not in ACTION_TYPES:
        return [_detail(f"The property, '{prop}.type', in the request body is invalid", prop)]
    needs_label = label_required and kind not in {"camera", "cameraRoll", "location"}
    problems = _text(action.get("label"), MAX_LABEL, f"{prop}.label", required=needs_label)
    if kind == "message":
        problems += _text(action.get("text"), 300, f"{prop}.text")
    elif kind in {"postback", "datetimepicker"}:
        problems += _text(action.get("data"), MAX_DATA, f"{prop}.data")
        problems += _text(action.get("displayText"), 300, f"{prop}.displayText", required=False)
    elif kind == "uri":
        problems += _text(action.get("uri"), MAX_URI, f"{prop}.uri")
    return problems


def richmenu_problems(menu: Any) -> list[Detail]:
    if not isinstance(menu, dict):
        return [_detail("Must be an object", "")]
    problems: list[Detail] = []
    size = menu.get("size")
    if not isinstance(size, dict) or not all(
        isinstance(size.get(side), int) for side in ("width", "height")
    ):
        problems.append(_detail("must be specified", "size"))
    else:
        width, height = size["width"], size["height"]
        if not 800 <= width <= 2500:
            problems.append(_detail("Must be between 800 and 2500", "size.width"))
        if height < 250 or width / height < 1.45:
            problems.append(_detail("Aspect ratio (width / height) must be 1.45 or more", "size"))
    if not isinstance(menu.get("selected"), bool):
        problems.append(_detail("must be specified", "selected"))
    problems += _text(menu.get("name"), 300, "name")
    problems += _text(menu.get("chatBarText"), 14, "chatBarText")
    areas = menu.get("areas")
    area_problems = size_problems(areas, 0, 20, "areas")
    if area_problems or not isinstance(areas, list):
        return problems + area_problems
    for index, area in enumerate(areas):
        prop = f"areas[{index}]"
        bounds = area.get("bounds") if isinstance(area, dict) else None
        if not isinstance(bounds, dict) or not all(
            isinstance(bounds.get(key), int) for key in ("x", "y", "width", "height")
        ):
            problems.append(_detail("must be specified", f"{prop}.bounds"))
        action = area.get("action") if isinstance(area, dict) else None
        problems += _action(action, f"{prop}.action")
    return problems
