"""Django's own error answers (core.errorpages, handler400/403/404/500): the API's JSON
error shape under /api/ and a Japanese page elsewhere, where Django's defaults were
English HTML ("Bad Request (400)", "Not Found", "Server Error (500)")."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from secondcareer.core.errorpages import server_error
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create


def test_a_request_for_another_host_is_a_japanese_400_page(db: None) -> None:
    response = Client().get("/book/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    text = response.content.decode()
    assert '<html lang="ja">' in text
    assert "リクエストを読み取れませんでした。" in text


def test_a_request_for_another_host_under_the_api_is_json(db: None) -> None:
    response = Client().get("/api/openapi.json", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"


def test_a_role_without_access_gets_a_japanese_403_page(program, client_for) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_create(username="city", password=None, program=program, role=Role.MUNICIPALITY)

    response = client_for(viewer).get("/staff/seekers/")

    assert response.status_code == 403
    assert "この操作を行う権限がありません。" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "as_json"), [("/api/reservations", True), ("/book/kobe/confirm/", False)]
)
def test_a_server_error_answers_without_the_database(path: str, as_json: bool) -> None:
    # No db fixture: pytest-django refuses any query here, as a database that is down
    # would. The page must still be there.
    response = server_error(RequestFactory().post(path))

    assert response.status_code == 500
    if as_json:
        assert json.loads(response.content) == {
            "error": "server_error",
            "message": "申し訳ありません。サーバーで問題が起きました。しばらくしてからもう一度お試しください。",
        }
    else:
        text = response.content.decode()
        assert '<html lang="ja">' in text
        assert "サーバーで問題が起きました" in text
