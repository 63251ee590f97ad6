"""The LINE simulator page: a phone-shaped chat window where a person types as a LINE
user of a program. It talks only to the in-process fake platform (``/fakeline/fake/…``),
which signs each event and posts it to the program's real webhook; the replies come
back through the fake. For the demo and for staff trying the bot: shown when
``FAKE_LINE_ENABLED`` and either DEBUG or the visitor has a role in the program;
otherwise it does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from secondcareer.devtools.fakeline import LineApiError
from secondcareer.messaging.line import fake_mount
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.richmenu import MENU_ITEMS
from secondcareer.people.access import programs_of
from secondcareer.programs.models import Program


def _visible_programs(request: HttpRequest) -> list[Program]:
    if not getattr(settings, "FAKE_LINE_ENABLED", False):
        return []
    if settings.DEBUG:
        return list(Program.objects.order_by("slug"))
    return list(programs_of(request.user).order_by("slug"))


def _menu(channel_id: str) -> list[dict[str, str]]:
    """The buttons of the channel's default rich menu on the fake (as ``line-setup``
    installed it), row by row; the standard six when none is installed."""
    standard = [{"label": item.label, "data": item.data} for item in MENU_ITEMS]
    platform = fake_mount.platform()
    try:
        channel = platform.channel(channel_id)
        menu_id = platform.default_richmenu(channel)["richMenuId"]
        menu = platform.get_richmenu(channel, menu_id)
    except (KeyError, LineApiError):
        return standard
    areas = sorted(menu.get("areas", []), key=lambda a: (a["bounds"]["y"], a["bounds"]["x"]))
    buttons = [
        {"label": str(a["action"].get("label") or ""), "data": str(a["action"]["data"])}
        for a in areas
        if a["action"].get("type") == "postback" and a["action"].get("data")
    ]
    return buttons or standard


def _texts() -> dict[str, Any]:
    """What the page's script shows, translated here."""
    return {
        "botSays": _("相談窓口から："),
        "youSay": _("あなた："),
        "notice": _("お知らせ："),
        "followed": _("友だち追加しました。"),
        "displayName": _("シミュレーター利用者"),
        "notHere": _("この画面では使えません"),
        "webhookStatus": _("Webhookが %s を返しました。サーバーのログを確認してください。"),
        "sendFailed": _("送信できませんでした。"),
        "offline": _("サーバーに接続できません。再接続しています…"),
        "idTokenFailed": _("ページを開けませんでした。"),
        "kinds": {
            "image": _("画像"),
            "video": _("動画"),
            "audio": _("音声"),
            "sticker": _("スタンプ"),
            "location": _("位置情報"),
            "imagemap": _("イメージマップ"),
            "template": _("テンプレート"),
            "flex": _("フレックスメッセージ"),
        },
    }


@require_GET
def page(request: HttpRequest, program_slug: str) -> HttpResponse:
    programs = _visible_programs(request)
    program = next((p for p in programs if p.slug == program_slug), None)
    if program is None:
        raise Http404
    channel = channel_for(program.slug)
    config: dict[str, Any] = {
        "program": program.slug,
        "channelId": channel.channel_id,
        "fakeBase": reverse("fakeline", kwargs={"path": ""}).rstrip("/"),
        "ownPages": f"/line/{program.slug}/",
        "siteUrl": str(getattr(settings, "SECONDCAREER_SITE_URL", "")).rstrip("/"),
        "pollMs": 1000,
        "text": _texts(),
    }
    return render(
        request,
        "line/simulator.html",
        {
            "program": program,
            "programs": programs,
            "menu": _menu(channel.channel_id),
            "config": config,
            "webhook_path": reverse("line:webhook", args=[program.slug]),
        },
    )
