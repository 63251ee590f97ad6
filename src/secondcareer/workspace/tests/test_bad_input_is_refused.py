"""The requests that gave a 500 in the black-box test of issue 10 (defect 8), each on
its own: NUL bytes, lone surrogates, dates near year 1 or 9999, JSON nested a thousand
deep, bodies too big for the server, and unknown API addresses. Each now gets a 400, a
413 or a 422 with a Japanese sentence: the API's JSON error shape under ``/api/``, a
Japanese page elsewhere.

The client does not re-raise a view's exception, so a crash shows as the 500 a browser
would get.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from secondcareer.apitokens.services import api_token_create
from secondcareer.booking.selectors import availability
from secondcareer.conftest import register_seeker
from secondcareer.people.models import Role, Seeker
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db

JAPANESE = tuple(chr(c) for c in range(0x3041, 0x30FF))


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def desk(kobe: Program) -> Any:
    return staff_create(username="kobe-desk", password=None, program=kobe, role=Role.RECEPTION)


@pytest.fixture
def token(desk: Any) -> str:
    return api_token_create(user=desk, name="fuzz")[1]


@pytest.fixture
def staff_client(client_for: Any, desk: Any) -> Client:
    signed_in: Client = client_for(desk)
    signed_in.raise_request_exception = False
    return signed_in


def assert_api_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The API's one error shape, with a Japanese message."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) <= {"error", "message", "fields", "details"}
    assert isinstance(body["error"], str)
    assert any(ch in body["message"] for ch in JAPANESE) or "。" in body["message"]
    if code is not None:
        assert body["error"] == code
    return body


def assert_japanese_page(response: Any, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert '<html lang="ja">' in text
    assert "。" in text
    return text


# --- JSON nested about 1,000 deep, before the token is checked ------------------------------


def test_json_nested_a_thousand_deep_is_refused_before_the_token_is_checked(
    anonymous: Client,
) -> None:
    body = '{"program":' * 1000 + '"kobe"' + "}" * 1000

    response = anonymous.post(
        "/api/reservations",
        data=body,
        content_type="application/json",
        headers={"authorization": "Bearer sc_not-a-real-token"},
    )

    error = assert_api_error(response, 400, "invalid")
    assert "入れ子" in error["message"]


def test_a_deep_body_is_refused_whatever_content_type_it_claims(anonymous: Client) -> None:
    body = "[" * 5000 + "]" * 5000

    response = anonymous.post(
        "/api/reservations",
        data=body,
        content_type="text/plain",
        headers={"authorization": "Bearer sc_x"},
    )

    assert_api_error(response, 400, "invalid")


# --- NUL bytes (PostgreSQL cannot store or even compare them) ------------------------------


def test_a_nul_in_the_api_query_is_a_400_in_the_api_shape(anonymous: Client, token: str) -> None:
    response = anonymous.get(
        "/api/availability?program=kobe%00", headers={"authorization": f"Bearer {token}"}
    )

    error = assert_api_error(response, 400, "invalid")
    assert error["fields"] == {"program": [error["fields"]["program"][0]]}


@pytest.mark.parametrize(
    "url",
    ["/book/kobe/date/?service=%00", "/book/cancel/%00/", "/line/kobe/answer/%00/"],
)
def test_a_nul_in_a_public_address_is_a_400_page_in_japanese(
    anonymous: Client, kobe: Program, url: str
) -> None:
    text = assert_japanese_page(anonymous.get(url), 400)

    assert "使えない文字" in text


def test_a_nul_in_the_staff_seeker_search_is_a_400_page_in_japanese(
    staff_client: Client,
) -> None:
    text = assert_japanese_page(staff_client.get("/staff/seekers/?q=%00"), 400)

    assert "使えない文字" in text


def test_a_nul_in_a_form_post_is_refused_and_stores_nothing(
    anonymous: Client, kobe: Program
) -> None:
    response = anonymous.post(
        "/line/kobe/register/",
        {"family_name": "山\x00田", "given_name": "太郎", "privacy": "on"},
    )

    assert_japanese_page(response, 400)
    assert not Seeker.objects.exists()


def test_a_form_feed_pasted_into_free_text_is_not_a_reason_to_refuse_the_form(
    anonymous: Client, kobe: Program
) -> None:
    # Text pasted from a PDF or a word processor brings form feeds and vertical tabs;
    # they can be stored, so a form with them is not refused (nothing typed is lost).
    response = anonymous.post(
        "/line/kobe/register/", {"family_name": "山田", "note": "一\x0c二\x0b三"}
    )

    assert response.status_code == 200


# --- Lone surrogates (no UTF-8 encoding exists for them) ----------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"program":"\\ud800"}',  # the escape
        '{"program":"\ud800"}'.encode("utf-8", "surrogatepass"),  # its bytes: json reads them too
        '{"program":"\udfff"}'.encode("utf-16", "surrogatepass"),
    ],
)
def test_a_lone_surrogate_in_a_json_body_is_a_400_in_the_api_shape(
    anonymous: Client, token: str, body: bytes
) -> None:
    response = anonymous.post(
        "/api/reservations",
        data=body,
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )

    error = assert_api_error(response, 400, "invalid")
    assert "使えない文字" in error["message"]


# --- Dates near year 1 or 9999 -------------------------------------------------------------


def test_an_availability_far_in_the_future_is_refused_with_the_range(
    anonymous: Client, token: str
) -> None:
    response = anonymous.get(
        "/api/availability?program=kobe&from=9999-12-30",
        headers={"authorization": f"Bearer {token}"},
    )

    error = assert_api_error(response, 422, "out_of_range")
    assert "2100年12月31日" in error["fields"]["from"][0]


def test_an_availability_near_year_one_is_refused(anonymous: Client, token: str) -> None:
    response = anonymous.get(
        "/api/availability?program=kobe&from=0001-01-01&to=0001-01-03",
        headers={"authorization": f"Bearer {token}"},
    )

    assert_api_error(response, 422, "out_of_range")


def test_a_public_booking_time_at_the_end_of_year_9999_is_a_422_page(
    anonymous: Client, kobe: Program
) -> None:
    response = anonymous.get(
        "/book/kobe/details/",
        {"service": "online", "start": "9999-12-31T23:59:59-14:00"},
    )

    text = assert_japanese_page(response, 422)
    assert "1900年1月1日から2100年12月31日" in text


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/book/kobe/date/", {"service": "online", "from": "9999-12-31"}),
        ("/book/kobe/time/", {"service": "online", "date": "0001-01-01"}),
    ],
)
def test_a_public_booking_date_out_of_range_is_a_422_page(
    anonymous: Client, kobe: Program, path: str, params: dict[str, str]
) -> None:
    assert_japanese_page(anonymous.get(path, params), 422)


def test_the_staff_week_calendar_of_the_last_day_of_9999_is_a_422_page(
    staff_client: Client,
) -> None:
    response = staff_client.get(
        "/staff/booking/kobe/calendar/", {"date": "9999-12-31", "view": "week"}
    )

    assert_japanese_page(response, 422)


def test_the_staff_phone_slots_from_year_9999_are_a_422_page(
    staff_client: Client, kobe: Program
) -> None:
    caller = register_seeker(kobe, birth_date=dt.date(1959, 9, 9))

    response = staff_client.get(
        f"/staff/booking/kobe/phone/{caller.pk}/", {"service": "online", "from": "9999-12-31"}
    )

    assert_japanese_page(response, 422)


# --- Names with bidi controls or invisible characters -----------------------------------


def test_a_name_with_a_bidi_control_on_the_public_booking_is_a_field_error_that_keeps_the_form(
    anonymous: Client, kobe: Program
) -> None:
    today = timezone.localdate()
    start = next(
        a.slot.start
        for a in availability(
            program=kobe,
            service_code="online",
            start=today + dt.timedelta(days=2),
            end=today + dt.timedelta(days=30),
        )
        if a.free > 0
    )

    response = anonymous.post(
        "/book/kobe/details/",
        {
            "service": "online",
            "start": start.isoformat(),
            "method": "video",
            "family_name": "山田\u202e",
            "given_name": "花子",
            "family_name_kana": "やまだ",
            "given_name_kana": "はな\u200bこ",
            "birth_year": "1958",
            "birth_month": "4",
            "birth_day": "12",
            "phone": "090-1111-2222",
            "consent": "on",
        },
    )

    text = assert_japanese_page(response, 422)
    assert text.count("見えない制御文字") >= 2  # the name and the furigana
    assert 'value="090-1111-2222"' in text  # what was typed is kept
    assert "public_booking" not in anonymous.session


# --- Bodies too big, unknown addresses: still the API's JSON shape -------------------------


def test_a_body_over_the_upload_limit_is_a_413_in_the_api_shape(anonymous: Client) -> None:
    body = json.dumps({"program": "kobe", "topic": "x" * (3 * 1024 * 1024)})

    response = anonymous.post(
        "/api/reservations",
        data=body,
        content_type="application/json",
        headers={"authorization": "Bearer sc_x"},
    )

    assert_api_error(response, 413, "too_large")


def test_a_form_over_the_upload_limit_is_a_413_page_in_japanese(
    anonymous: Client, kobe: Program
) -> None:
    response = anonymous.post("/line/kobe/register/", {"family_name": "x" * (3 * 1024 * 1024)})

    assert_japanese_page(response, 413)


def test_an_unknown_api_address_is_a_404_in_the_api_shape(anonymous: Client) -> None:
    assert_api_error(anonymous.get("/api/no-such-thing"), 404, "not_found")


def test_an_unknown_page_is_a_404_page_in_japanese(anonymous: Client) -> None:
    assert_japanese_page(anonymous.get("/no-such-page/"), 404)


def test_a_wrong_method_on_the_api_is_a_405_in_the_api_shape(anonymous: Client) -> None:
    response = anonymous.delete("/api/availability")

    assert_api_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_a_wrong_method_on_a_page_is_a_405_page_in_japanese(anonymous: Client) -> None:
    response = anonymous.delete("/book/")

    assert_japanese_page(response, 405)
    assert "GET" in response["Allow"]
