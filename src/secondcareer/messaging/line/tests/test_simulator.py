"""The LINE simulator page exists only for the demo and for staff of the program: never
in production, not for anonymous visitors when DEBUG is off, not for staff of another
program."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import override_settings

from secondcareer.messaging.line import fake_mount
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.richmenu import MENU_ITEMS, richmenu_install
from secondcareer.people.models import Role


@pytest.fixture(autouse=True)
def fresh_platform() -> Iterator[None]:
    fake_mount.forget()
    yield
    fake_mount.forget()


def url(slug: str) -> str:
    return f"/line/simulator/{slug}/"


@override_settings(FAKE_LINE_ENABLED=False, DEBUG=True)
def test_there_is_no_simulator_in_production(client_for, manager, program):
    assert client_for(manager).get(url(program.slug)).status_code == 404


def test_anonymous_visitors_find_nothing_when_debug_is_off(client, program):
    assert client.get(url(program.slug)).status_code == 404


@override_settings(DEBUG=True)
def test_anyone_may_try_it_in_the_local_demo(client, program):
    assert client.get(url(program.slug)).status_code == 200


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CONSULTANT, Role.RECEPTION])
def test_staff_of_the_program_may_open_it(client_for, staff_of, program, role):
    assert client_for(staff_of(role)).get(url(program.slug)).status_code == 200


def test_staff_of_another_program_find_nothing(client_for, staff_of, program):
    assert client_for(staff_of(Role.MANAGER, other=True)).get(url(program.slug)).status_code == 404


def test_an_unknown_program_is_not_found(client_for, manager):
    assert client_for(manager).get(url("nowhere")).status_code == 404


def test_the_page_is_an_accessible_chat_wired_to_the_fake_only(client_for, manager, program):
    response = client_for(manager).get(url(program.slug))
    html = response.content.decode()
    assert 'aria-live="polite"' in html
    assert html.count('class="menu-button"') == 6
    for item in MENU_ITEMS:
        assert f'data-postback="{item.data}"' in html
        assert item.label in html
    assert 'src="http' not in html and 'href="http' not in html  # nothing from elsewhere
    config = json.loads(
        html.split('id="simulator-config" type="application/json">')[1].split("<")[0]
    )
    assert config["fakeBase"] == "/fakeline"
    assert config["channelId"] == channel_for(program.slug).channel_id
    assert config["ownPages"] == f"/line/{program.slug}/"


def test_the_script_posts_only_to_the_fakes_side_door():
    from pathlib import Path

    script = (Path(__file__).parents[1] / "static" / "line" / "simulator.js").read_text()
    assert script.count("window.fetch(") == 2  # fake() for the side door, fetchMessages()
    assert '"/fake/users": true, "/fake/webhook": true, "/fake/id-token": true' in script
    assert "http://" not in script and "https://" not in script.replace("https?:", "")


def test_the_menu_follows_the_rich_menu_installed_on_the_fake(
    client_for, manager, program, live_server, settings, monkeypatch
):
    monkeypatch.setenv("LINE_API_BASE_URL", f"{live_server.url}/fakeline")
    richmenu_install(program_slug=program.slug)
    html = client_for(manager).get(url(program.slug)).content.decode()
    labels = [item.label for item in MENU_ITEMS]
    positions = [html.index(f'data-label="{label}"') for label in labels]
    assert positions == sorted(positions)
