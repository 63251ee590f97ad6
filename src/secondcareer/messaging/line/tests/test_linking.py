"""A seeker registered by phone links their LINE account with reception's one-time code
and their birth date; the LINE user id comes only from a verified ID token."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

from django.core.management import call_command

from secondcareer.conftest import register_seeker
from secondcareer.messaging.line.config import channel_for
from secondcareer.messaging.line.models import LinkCode


def _code_for(seeker) -> str:
    out = StringIO()
    call_command("line-link-code", "--program", "kobe", "--card", seeker.card_number, stdout=out)
    match = re.search(r"(\d{8})", out.getvalue())
    assert match
    return match.group(1)


def _post(chat, code: str, born: dt.date):
    token = chat.fake.platform.issue_id_token(chat.user_id, channel_for("kobe").channel_id)
    return chat.client.post(
        "/line/kobe/link/",
        {
            "id_token": token,
            "code": code,
            "birth_date_year": str(born.year),
            "birth_date_month": str(born.month),
            "birth_date_day": str(born.day),
        },
    )


def test_a_phone_registered_seeker_links_with_the_code_and_birth_date(chat, kobe):
    chat.follow()
    seeker = register_seeker(kobe, birth_date=dt.date(1957, 7, 7))
    code = _code_for(seeker)
    assert not LinkCode.objects.filter(code_hash__contains=code).exists()  # only a hash is stored
    response = _post(chat, code, dt.date(1957, 7, 7))
    assert "登録が完了しました" in response.content.decode()
    assert chat.line_user().seeker == seeker
    assert "連携コード" in _post(chat, code, dt.date(1957, 7, 7)).content.decode()  # single use


def test_a_wrong_birth_date_links_nothing_and_five_tries_burn_the_code(chat, kobe):
    chat.follow()
    seeker = register_seeker(kobe, birth_date=dt.date(1957, 7, 7))
    code = _code_for(seeker)
    for _ in range(5):
        assert "正しくありません" in _post(chat, code, dt.date(1957, 7, 8)).content.decode()
    assert "正しくありません" in _post(chat, code, dt.date(1957, 7, 7)).content.decode()
    assert chat.line_user().seeker is None
