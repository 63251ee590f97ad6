"""LINE Login ID tokens: the fake issues them and verifies them at
``POST /oauth2/v2.1/verify`` as LINE Login does."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest

from secondcareer.devtools.fakeline.tests.conftest import http

LOGIN_CHANNEL = "1650000001"


def verify(server, **form: str):
    body = urlencode(form).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return http("POST", f"{server.base_url}/oauth2/v2.1/verify", body, headers)


def test_a_valid_id_token_is_answered_with_its_claims(server, platform, clock, user_id):
    token = platform.issue_id_token(user_id, LOGIN_CHANNEL, nonce="n-1")

    status, _, claims = verify(server, id_token=token, client_id=LOGIN_CHANNEL, nonce="n-1")

    assert status == 200
    assert claims["sub"] == user_id
    assert claims["aud"] == LOGIN_CHANNEL
    assert claims["iss"] == "https://access.line.me"
    assert claims["name"] == "山田 太郎"
    assert claims["exp"] == int(clock() + 3600)


def test_an_id_token_for_another_channel_is_refused(server, platform, user_id):
    token = platform.issue_id_token(user_id, LOGIN_CHANNEL)
    status, _, body = verify(server, id_token=token, client_id="1650000002")
    assert status == 400
    assert body == {"error": "invalid_request", "error_description": "Invalid IdToken Audience."}


def test_an_expired_id_token_is_refused(server, platform, clock, user_id):
    token = platform.issue_id_token(user_id, LOGIN_CHANNEL, lifetime=600)
    clock.advance(601)
    status, _, body = verify(server, id_token=token, client_id=LOGIN_CHANNEL)
    assert (status, body["error_description"]) == (400, "IdToken expired.")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_tampered_id_token_is_refused(server, platform, user_id):
    header, payload, signature = platform.issue_id_token(user_id, LOGIN_CHANNEL).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = ".".join([header, _b64(claims | {"sub": "U" + "0" * 32}), signature])
    status, _, body = verify(server, id_token=forged, client_id=LOGIN_CHANNEL)
    assert (status, body["error_description"]) == (400, "Invalid IdToken.")
    status, _, body = verify(server, id_token="not-a-token", client_id=LOGIN_CHANNEL)
    assert (status, body["error_description"]) == (400, "Invalid IdToken.")


@pytest.mark.parametrize(
    ("form", "description"),
    [
        ({"nonce": "other"}, "Invalid IdToken Nonce."),
        ({"user_id": "U" + "f" * 32}, "Invalid IdToken Subject Identifier."),
    ],
)
def test_a_wrong_nonce_or_user_is_refused(server, platform, user_id, form, description):
    token = platform.issue_id_token(user_id, LOGIN_CHANNEL, nonce="n-1")
    status, _, body = verify(server, id_token=token, client_id=LOGIN_CHANNEL, **form)
    assert (status, body["error_description"]) == (400, description)


def test_a_missing_field_is_refused(server):
    status, _, body = verify(server, client_id=LOGIN_CHANNEL)
    assert status == 400
    assert "id_token" in body["error_description"]


def test_the_simulator_page_mints_an_id_token_over_http(server, user_id):
    status, _, minted = http(
        "POST",
        f"{server.base_url}/fake/id-token",
        {"userId": user_id, "channelId": LOGIN_CHANNEL, "name": "山田"},
    )
    assert status == 200
    status, _, claims = verify(server, id_token=minted["idToken"], client_id=LOGIN_CHANNEL)
    assert (status, claims["sub"], claims["name"]) == (200, user_id, "山田")
