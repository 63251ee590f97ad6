"""Rich menus through the official SDK: create, upload the image (blob API), make it
the default, list, link to a user, delete."""

from __future__ import annotations

import json
import struct
import zlib

import pytest
from linebot.v3.messaging import (
    ApiException,
    MessageAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    URIAction,
)

from secondcareer.devtools.fakeline.images import image_size

WIDTH, HEIGHT = 2500, 843


def png(width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """A blank 1-bit greyscale PNG of that size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a JPEG: SOI, an APP0 segment, then a baseline start-of-frame."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0


def menu_request(chat_bar_text: str = "メニュー", label: str = "予約する") -> RichMenuRequest:
    return RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name="seeker-default",
        chatBarText=chat_bar_text,
        areas=[
            RichMenuArea(
                bounds=RichMenuBounds(x=0, y=0, width=1250, height=843),
                action=MessageAction(label=label, text=label),
            ),
            RichMenuArea(
                bounds=RichMenuBounds(x=1250, y=0, width=1250, height=843),
                action=URIAction(label="マイページ", uri="https://secondcareer.example.jp/my/"),
            ),
        ],
    )


def _upload(blob, rich_menu_id: str, data: bytes, content_type: str = "image/png") -> None:
    blob.set_rich_menu_image(rich_menu_id, body=data, _headers={"Content-Type": content_type})


def test_a_rich_menu_is_created_given_an_image_made_default_and_listed(api, blob):
    rich_menu_id = api.create_rich_menu(menu_request()).rich_menu_id
    assert rich_menu_id.startswith("richmenu-")

    _upload(blob, rich_menu_id, png())
    api.set_default_rich_menu(rich_menu_id)

    assert api.get_default_rich_menu_id().rich_menu_id == rich_menu_id
    [listed] = api.get_rich_menu_list().richmenus
    assert (listed.rich_menu_id, listed.chat_bar_text, listed.size.width) == (
        rich_menu_id,
        "メニュー",
        WIDTH,
    )
    assert api.get_rich_menu(rich_menu_id).name == "seeker-default"
    assert bytes(blob.get_rich_menu_image(rich_menu_id)) == png()


def test_a_rich_menu_cannot_be_the_default_before_it_has_an_image(api):
    rich_menu_id = api.create_rich_menu(menu_request()).rich_menu_id
    with pytest.raises(ApiException) as excinfo:
        api.set_default_rich_menu(rich_menu_id)
    assert excinfo.value.status == 400
    assert "upload richmenu image" in json.loads(excinfo.value.body)["message"]


def test_an_image_of_the_wrong_size_or_type_is_refused(api, blob):
    rich_menu_id = api.create_rich_menu(menu_request()).rich_menu_id
    with pytest.raises(ApiException) as wrong_size:
        _upload(blob, rich_menu_id, png(2500, 1686))
    assert wrong_size.value.status == 400
    with pytest.raises(ApiException) as wrong_type:
        _upload(blob, rich_menu_id, b"GIF89a", "image/gif")
    assert wrong_type.value.status == 415
    with pytest.raises(ApiException) as mislabelled:
        _upload(blob, rich_menu_id, png(), "image/jpeg")
    assert mislabelled.value.status == 400


def test_an_image_is_uploaded_only_once(api, blob):
    rich_menu_id = api.create_rich_menu(menu_request()).rich_menu_id
    _upload(blob, rich_menu_id, png())
    with pytest.raises(ApiException) as excinfo:
        _upload(blob, rich_menu_id, png())
    assert excinfo.value.status == 400


def test_deleting_the_default_rich_menu_removes_it_from_the_list_and_the_default(api, blob):
    rich_menu_id = api.create_rich_menu(menu_request()).rich_menu_id
    _upload(blob, rich_menu_id, png())
    api.set_default_rich_menu(rich_menu_id)

    api.delete_rich_menu(rich_menu_id)

    assert api.get_rich_menu_list().richmenus == []
    with pytest.raises(ApiException) as excinfo:
        api.get_default_rich_menu_id()
    assert excinfo.value.status == 404
    with pytest.raises(ApiException) as gone:
        api.delete_rich_menu(rich_menu_id)
    assert gone.value.status == 404


def test_a_rich_menu_is_linked_to_one_user(api, blob, user_id):
    rich_menu_id = api.create_rich_menu(menu_request()).rich_menu_id
    _upload(blob, rich_menu_id, png())
    api.link_rich_menu_id_to_user(user_id, rich_menu_id)
    assert api.get_rich_menu_id_of_user(user_id).rich_menu_id == rich_menu_id
    api.unlink_rich_menu_id_from_user(user_id)
    with pytest.raises(ApiException):
        api.get_rich_menu_id_of_user(user_id)


def test_a_rich_menu_outside_lines_limits_is_refused(api):
    request = menu_request()
    request.size = RichMenuSize(width=2500, height=2500)
    with pytest.raises(ApiException) as excinfo:
        api.create_rich_menu(request)
    assert excinfo.value.status == 400
    assert json.loads(excinfo.value.body)["details"][0]["property"] == "size"


def test_a_rich_menu_goes_through_the_outbound_policy_too(api, platform):
    with pytest.raises(ApiException) as excinfo:
        api.create_rich_menu(menu_request(label="0120-123-456"))
    assert json.loads(excinfo.value.body)["message"] == "outbound policy"
    assert platform.rejections[0].endpoint == "richmenu"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (png(800, 270), ("image/png", 800, 270)),
        (jpeg_header(1200, 405), ("image/jpeg", 1200, 405)),
        (b"GIF89a....", None),
    ],
)
def test_image_sizes_are_read_from_png_and_jpeg_headers(data, expected):
    assert image_size(data) == expected
