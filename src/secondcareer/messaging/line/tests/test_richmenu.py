"""``secondcareer line-setup`` puts the six-button rich menu, with a generated image, on
the program's channel and makes it the default; running it again leaves one menu."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from secondcareer.devtools.fakeline import Channel
from secondcareer.devtools.fakeline.images import image_size
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.richmenu import (
    HEIGHT,
    MENU_ITEMS,
    WIDTH,
    cells,
    menu_definition,
    menu_image,
)


@pytest.fixture
def line_channel(program: Any, fake_line: Any, monkeypatch: pytest.MonkeyPatch) -> Channel:
    monkeypatch.setenv("LINE_API_BASE_URL", fake_line.base_url)
    monkeypatch.setenv("LINE_API_DATA_BASE_URL", fake_line.base_url)
    line = channel_for(program.slug)
    channel = Channel(line.channel_id, line.access_token, line.channel_secret)
    fake_line.platform.add_channel(channel)
    for menu in fake_line.platform.list_richmenus(channel)["richmenus"]:
        fake_line.platform.delete_richmenu(channel, menu["richMenuId"])
    return channel


def test_the_six_areas_tile_the_menu_in_two_rows_of_three():
    areas = cells()
    assert len(areas) == 6
    assert sum(w * h for _, _, w, h in areas) == WIDTH * HEIGHT
    assert sorted({y for _, y, _, _ in areas}) == [0, HEIGHT // 2]
    assert [x for x, _, _, _ in areas[:3]] == [x for x, _, _, _ in areas[3:]]


def test_the_menu_buttons_are_postbacks_the_dialogue_understands():
    actions = [area["action"] for area in menu_definition("alpha")["areas"]]
    assert [(a["label"], a["data"]) for a in actions] == [
        ("相談を予約する", "action=book"),
        ("予約の確認・変更", "action=my_bookings"),
        ("セミナー・講座", "action=events"),
        ("おすすめ求人", "action=jobs"),
        ("よくある質問", "action=faq"),
        ("相談員に聞く", "action=ask_human"),
    ]
    assert all(a["type"] == "postback" and a["displayText"] == a["label"] for a in actions)
    assert len(MENU_ITEMS) == 6


def test_the_generated_image_is_a_png_of_the_menus_size_under_lines_limit():
    image = menu_image()
    assert image_size(image) == ("image/png", WIDTH, HEIGHT)
    assert len(image) < 1024 * 1024


def test_line_setup_installs_the_default_menu_with_its_image(line_channel, fake_line, capsys):
    call_command("line-setup", program=["alpha"])
    platform = fake_line.platform
    default = platform.default_richmenu(line_channel)["richMenuId"]
    menu = platform.get_richmenu(line_channel, default)
    assert menu["size"] == {"width": 2500, "height": 1686}
    assert len(menu["areas"]) == 6
    content_type, image = platform.richmenu_image(line_channel, default)
    assert content_type == "image/png"
    assert image_size(image) == ("image/png", 2500, 1686)
    assert default in capsys.readouterr().out


def test_running_line_setup_again_leaves_one_menu(line_channel, fake_line):
    call_command("line-setup", program=["alpha"])
    call_command("line-setup", program=["alpha"])
    menus = fake_line.platform.list_richmenus(line_channel)["richmenus"]
    assert len(menus) == 1
    assert fake_line.platform.default_richmenu(line_channel)["richMenuId"] == menus[0]["richMenuId"]


def test_line_setup_refuses_an_unknown_program(line_channel):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("line-setup", program=["nowhere"])
