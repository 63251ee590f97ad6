"""The seeker endpoints of the API: ``GET/POST /api/seekers`` and ``GET /api/seekers/<id>``.

Access per role and program (the same rules as the staff screens), registration through
``seeker_register`` with the model's field names, Japanese field messages, audit of every
read, and one query count for the list whatever its length."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secondcareer.apitokens.services import api_token_create
from secondcareer.conftest import register_seeker
from secondcareer.core.models import AuditAction, AuditEntry
from secondcareer.devtools.testing.queries import same_count_with_more_rows
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import ConsentRecord, Role, Seeker

LIST = "/api/seekers"
READERS = [Role.RECEPTION, Role.CONSULTANT, Role.MANAGER, Role.JOB_DEVELOPER]
WRITERS = [Role.RECEPTION, Role.CONSULTANT, Role.MANAGER]


def registration(**changes: Any) -> dict[str, Any]:
    return {
        "program": "kobe",
        "family_name": "佐藤",
        "given_name": "一郎",
        "family_name_kana": "さとう",
        "given_name_kana": "いちろう",
        "birth_date": "1958-06-15",
        "phone": "０７８－３３３－４４４４",
        **changes,
    }


@pytest.fixture
def staff(preset_staff):
    return preset_staff


@pytest.fixture
def yamada(kobe) -> Seeker:
    return register_seeker(kobe, birth_date=dt.date(1959, 9, 9))


def as_role(role: str, staff, *, program=None) -> Client:
    client = Client()
    sign_in_staff(client, staff(role, program=program))
    return client


def post(client: Client, body: Any, **headers: str):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(LIST, data, content_type="application/json", **headers)


def detail_url(seeker_id: int) -> str:
    return reverse("api:seeker", args=[seeker_id])


# --- Access, per endpoint, role and program ------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_roles_that_see_seekers_may_search(staff, yamada, role):
    response = as_role(role, staff).get(LIST, {"program": "kobe", "q": "やまだ"})
    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == [yamada.pk]


def test_the_municipality_may_not_search_seekers(staff, yamada):
    response = as_role(Role.MUNICIPALITY, staff).get(LIST, {"program": "kobe"})
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize("role", list(Role.values))
def test_staff_of_another_program_find_no_such_program(staff, saitama, yamada, role):
    client = as_role(role, staff, program=saitama)
    response = client.get(LIST, {"program": "kobe", "q": "やまだ"})
    assert response.status_code == 404
    assert response.json()["fields"]["program"]
    assert post(client, registration()).status_code == 404
    assert client.get(detail_url(yamada.pk)).status_code == 404
    assert Seeker.objects.count() == 1


@pytest.mark.parametrize("role", READERS)
def test_roles_that_see_seekers_may_open_one(staff, yamada, role):
    response = as_role(role, staff).get(detail_url(yamada.pk))
    assert response.status_code == 200
    assert response.json()["card_number"] == yamada.card_number


def test_the_municipality_may_not_open_a_seeker(staff, yamada):
    assert as_role(Role.MUNICIPALITY, staff).get(detail_url(yamada.pk)).status_code == 403


@pytest.mark.parametrize("role", WRITERS)
def test_reception_consultants_and_managers_may_register(staff, role):
    response = post(as_role(role, staff), registration())
    assert response.status_code == 201
    assert Seeker.objects.get().created_by.username == f"kobe-{role}"


@pytest.mark.parametrize("role", [Role.JOB_DEVELOPER, Role.MUNICIPALITY])
def test_job_developers_and_the_municipality_may_not_register(staff, role):
    response = post(as_role(role, staff), registration())
    assert response.status_code == 403
    assert not Seeker.objects.exists()


@pytest.mark.parametrize(
    "request_it",
    [
        lambda c, s: c.get(LIST, {"program": "kobe"}),
        lambda c, s: post(c, registration()),
        lambda c, s: c.get(detail_url(s.pk)),
    ],
    ids=["search", "register", "open"],
)
def test_anonymous_callers_and_bad_tokens_get_401(yamada, request_it):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer sc_wrong"}):
        client = Client(**headers)
        response = request_it(client, yamada)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    assert Seeker.objects.count() == 1


def test_a_reception_token_registers_without_csrf_and_a_session_needs_it(staff):
    _, raw = api_token_create(user=staff(Role.RECEPTION), name="受付タブレット")
    strict = Client(enforce_csrf_checks=True)
    assert post(strict, registration(), HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 201
    sign_in_staff(strict, staff(Role.MANAGER))
    refused = post(strict, registration(phone="078-111-2222"))
    assert refused.status_code == 403
    assert refused.json()["error"] == "csrf"
    assert Seeker.objects.count() == 1


def test_an_id_of_another_program_or_beyond_64_bits_is_a_404(staff, saitama):
    stranger = register_seeker(saitama, birth_date=dt.date(1955, 5, 5))
    client = as_role(Role.MANAGER, staff)
    assert client.get(detail_url(stranger.pk)).status_code == 404
    assert client.get(f"/api/seekers/{2**64}").json()["error"] == "not_found"


# --- Search ------------------------------------------------------------------------------------


def test_search_finds_by_furigana_phone_and_card_number_within_the_program(staff, kobe, saitama):
    yamada = register_seeker(kobe, birth_date=dt.date(1959, 9, 9))
    suzuki = register_seeker(
        kobe,
        birth_date=dt.date(1950, 1, 1),
        family="鈴木",
        given="花子",
        family_kana="スズキ",
        given_kana="ハナコ",
        phone="080-5555-6666",
    )
    register_seeker(saitama, birth_date=dt.date(1959, 9, 9))  # another 山田, not Kobe's
    client = as_role(Role.RECEPTION, staff)

    def ids(q: str) -> list[int]:
        response = client.get(LIST, {"program": "kobe", "q": q})
        assert response.status_code == 200
        return [s["id"] for s in response.json()]

    assert ids("ﾔﾏﾀﾞ") == [yamada.pk]
    assert ids("すずき はなこ") == [suzuki.pk]
    assert ids("5555-6666") == [suzuki.pk]
    assert ids(suzuki.card_number) == [suzuki.pk]
    assert sorted(ids("")) == sorted([yamada.pk, suzuki.pk])
    assert ids("田中") == []


def test_search_results_are_audited_one_entry_per_seeker(staff, yamada):
    client = as_role(Role.CONSULTANT, staff)
    client.get(LIST, {"program": "kobe", "q": "やまだ"})
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (entry.object_id, entry.note, entry.program_slug) == (
        str(yamada.pk),
        "api search",
        "kobe",
    )


def test_opening_a_seeker_is_audited(staff, yamada):
    as_role(Role.JOB_DEVELOPER, staff).get(detail_url(yamada.pk))
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert entry.object_id == str(yamada.pk)
    assert entry.actor_username == "kobe-job_developer"
    assert entry.path == detail_url(yamada.pk)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"colour": "red"}, "colour"), ({"limit": "many"}, "limit"), ({"limit": "0"}, "limit")],
)
def test_unreadable_search_parameters_are_a_400_naming_the_field(staff, params, field):
    response = as_role(Role.RECEPTION, staff).get(LIST, {"program": "kobe", **params})
    assert response.status_code == 400
    assert response.json()["fields"][field]


def test_a_missing_program_is_a_400(staff):
    response = as_role(Role.RECEPTION, staff).get(LIST)
    assert response.status_code == 400
    assert response.json()["fields"]["program"] == ["必須の項目です。"]


def test_the_search_asks_the_same_number_of_queries_for_more_seekers(
    staff, kobe, django_assert_max_num_queries
):
    client = as_role(Role.RECEPTION, staff)
    register_seeker(kobe, birth_date=dt.date(1957, 3, 3))

    def grow() -> None:
        for n in range(12):
            register_seeker(kobe, birth_date=dt.date(1957, 3, 3), phone=f"080-2345-{n:04d}")

    same_count_with_more_rows(
        client, LIST, {"program": "kobe"}, grow, 8, django_assert_max_num_queries
    )


# --- Registration ------------------------------------------------------------------------------


def test_registration_stores_the_normalised_fields_issues_a_card_and_records_consent(staff, kobe):
    client = as_role(Role.RECEPTION, staff)
    body = registration(
        email="Sato@Example.JP",
        postal_code="６５０－００２１",
        address="神戸市中央区三宮町1-1",
        gender="male",
        heard_from="hello_work",
        registered_on="2026-11-20",
        area=kobe.areas.first().code,
        consents=[
            {"kind": "privacy", "version": "2026-04", "method": "paper"},
            {"kind": "mail_magazine", "version": "2026-04", "method": "paper", "granted": False},
        ],
    )

    response = post(client, body)

    assert response.status_code == 201
    data = response.json()
    seeker = Seeker.objects.get()
    assert data["id"] == seeker.pk and data["card_number"] == seeker.card_number
    assert (seeker.family_name_kana, seeker.given_name_kana) == ("サトウ", "イチロウ")
    assert seeker.phone == "078-333-4444"
    assert (seeker.email, seeker.postal_code) == ("sato@example.jp", "650-0021")
    assert seeker.registered_on == dt.date(2026, 11, 20)
    assert seeker.registration_channel == "staff"
    assert data["consents"] == [
        {**c, "granted": c.get("granted", True), "at": data["consents"][i]["at"]}
        for i, c in enumerate(body["consents"])
    ]
    assert ConsentRecord.objects.filter(seeker=seeker).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(seeker.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"birth_date": "1958-02-30"}, "birth_date", "YYYY-MM-DD"),
        ({"birth_date": 19580615}, "birth_date", "文字列"),
        ({"phone": None}, "phone", "null"),
        ({"family_name": "  "}, "family_name", "必須"),
        ({"nickname": "イッチー"}, "nickname", "不明"),
        ({"consents": [{"kind": "privacy"}]}, "consents[0].version", "必須"),
        ({"consents": "privacy"}, "consents", "リスト"),
    ],
)
def test_unreadable_registrations_are_a_400_naming_the_field(staff, change, field, message):
    response = post(as_role(Role.RECEPTION, staff), registration(**change))
    assert response.status_code == 400
    assert message in response.json()["fields"][field][0]
    assert not Seeker.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"family_name_kana": "Sato"}, "family_name_kana"),
        ({"phone": "12"}, "phone"),
        ({"birth_date": "2020-01-01"}, "birth_date"),
        ({"gender": "unknown"}, "gender"),
        ({"channel": "fax"}, "channel"),
        ({"area": "atlantis"}, "area"),
        ({"consents": [{"kind": "gossip", "version": "1", "method": "paper"}]}, "consents"),
    ],
)
def test_what_registration_refuses_is_a_422_in_japanese(staff, change, field):
    response = post(as_role(Role.RECEPTION, staff), registration(**change))
    assert response.status_code == 422
    message = response.json()["fields"][field][0]
    assert not message.isascii()
    assert not Seeker.objects.exists()


def test_a_bad_body_with_a_bad_token_is_a_401_and_with_a_good_one_a_400(staff):
    _, raw = api_token_create(user=staff(Role.RECEPTION), name="受付タブレット")
    for body in ("{oops", "[1]", ""):
        assert post(Client(), body, HTTP_AUTHORIZATION="Bearer sc_wrong").status_code == 401
        good = post(Client(), body, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert good.status_code == 400
        assert good.json()["error"] == "invalid"
