"""The jobs API (``/api/employers``, ``/api/postings``): 401 before anything, 404 for a
program without a role, 403 for a role without the permission; the same search as the
screen; the centre's own postings created and changed, a Hello Work posting only closed;
wrong input a 400 with Japanese messages; lists that do not query per row."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secondcareer.apitokens.services import api_token_create
from secondcareer.jobs.models import Employer, JobPosting
from secondcareer.jobs.services import employer_contact_add
from secondcareer.jobs.tests.conftest import hellowork_posting
from secondcareer.people.models import Role

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    _, raw = api_token_create(user=user, name="タブレット")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def send(client: Client, method: str, url: str, body: Any) -> Any:
    call = getattr(client, method.lower())
    return call(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def world(program, make_employer, make_posting):
    employer = make_employer(program, "株式会社アルファ清掃", name_kana="アルファセイソウ")
    employer_contact_add(employer=employer, name="採用 花子")
    own = make_posting(employer, occupation="ビル清掃スタッフ", days_per_week=3)
    imported = hellowork_posting(employer)
    return employer, own, imported


def deadline() -> str:
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def new_posting(employer: Employer, **changes: Any) -> dict[str, Any]:
    body = {
        "program": "alpha",
        "employer_id": employer.pk,
        "occupation": "駐輪場の管理",
        "referral_deadline": deadline(),
        "wage_type": "hourly",
        "wage_from": 1050,
    }
    body.update(changes)
    return body


def calls(world) -> dict[str, tuple[str, str, Any]]:
    employer, own, _ = world
    return {
        "employer_list": ("GET", "/api/employers?program=alpha", None),
        "employer_create": ("POST", "/api/employers", {"program": "alpha", "name": "新規商事"}),
        "employer_detail": ("GET", f"/api/employers/{employer.pk}", None),
        "employer_patch": ("PATCH", f"/api/employers/{employer.pk}", {"employees": 30}),
        "posting_list": ("GET", "/api/postings?program=alpha", None),
        "posting_create": ("POST", "/api/postings", new_posting(employer)),
        "posting_detail": ("GET", f"/api/postings/{own.pk}", None),
        "posting_patch": ("PATCH", f"/api/postings/{own.pk}", {"wage_from": 1150}),
    }


def do(client: Client, call: tuple[str, str, Any]) -> Any:
    method, url, body = call
    if method == "GET":
        return client.get(url)
    return send(client, method, url, body)


ALLOWED = {
    Role.JOB_DEVELOPER: {"*"},
    Role.MANAGER: {"*"},
    Role.CONSULTANT: {"employer_list", "employer_detail", "posting_list", "posting_detail"},
    Role.RECEPTION: {"posting_list", "posting_detail"},
    Role.MUNICIPALITY: set(),
}
SUCCESS = {"GET": 200, "POST": 201, "PATCH": 200}


@pytest.mark.parametrize("role", list(ALLOWED))
def test_each_role_may_call_what_it_may_and_gets_403_elsewhere(world, staff_of, role):
    client = api(staff_of(role))
    for name, call in calls(world).items():
        allowed = "*" in ALLOWED[role] or name in ALLOWED[role]
        response = do(client, call)
        expected = SUCCESS[call[0]] if allowed else 403
        assert response.status_code == expected, (role, name, response.json())
        if not allowed:
            assert response.json()["message"] == "この操作を行う権限がありません。"


def test_another_program_is_a_404_and_no_token_a_401(world, staff_of):
    stranger = api(staff_of(Role.MANAGER, other=True))
    for name, call in calls(world).items():
        response = do(stranger, call)
        assert response.status_code == 404, name
        assert response.json()["error"] == "not_found"
        for client in (Client(), Client(HTTP_AUTHORIZATION="Bearer sc_wrong")):
            assert do(client, call).status_code == 401, name
    assert Employer.objects.count() == 1
    assert JobPosting.objects.count() == 2


def test_ids_beyond_64_bits_and_of_nothing_are_404(world, job_developer):
    client = api(job_developer)
    for url in (f"/api/postings/{2**64}", "/api/employers/999999"):
        assert client.get(url).status_code == 404


def test_the_posting_search_takes_the_screens_filters_and_japanese_free_text(world, job_developer):
    client = api(job_developer)

    def occupations(**query: Any) -> list[str]:
        response = client.get("/api/postings", {"program": "alpha", **query})
        assert response.status_code == 200, response.json()
        return [p["occupation"] for p in response.json()]

    assert occupations(q="介護") == ["介護職員"]
    assert occupations(q="ｾｲｿｳ") == []
    assert occupations(q="清掃　すたっふ") == ["ビル清掃スタッフ"]
    assert occupations(days_max=3) == ["ビル清掃スタッフ"]
    assert occupations(source="hellowork") == ["介護職員"]
    assert occupations(wage_type="hourly", wage_min=1300) == ["介護職員"]
    assert occupations(limit=1, offset=1) == ["介護職員"]
    own = client.get("/api/postings", {"program": "alpha", "q": "スタッフ"}).json()[0]
    assert own["is_open"] is True and own["source"] == "own" and own["number"] == "C-000001"


def test_wrong_queries_are_a_400_with_japanese_messages(world, job_developer):
    client = api(job_developer)
    cases = [
        (
            {"wage_min": 1000},
            "wage_type",
            "賃金の下限を指定するときは、賃金形態も指定してください。",
        ),
        ({"state": "maybe"}, "state", "open・closed・all のいずれかを指定してください。"),
        ({"limit": 1000}, "limit", None),
        ({"days_max": "three"}, "days_max", None),
        ({"colour": "red"}, "colour", "不明な項目です。"),
    ]
    for query, field, message in cases:
        response = client.get("/api/postings", {"program": "alpha", **query})
        assert response.status_code == 400, query
        body = response.json()
        assert body["error"] == "invalid"
        assert field in body["fields"], body
        if message:
            assert body["fields"][field] == [message]


def test_an_own_posting_is_created_and_changed_and_a_hello_work_one_only_closed(
    world, job_developer
):
    employer, _own, imported = world
    client = api(job_developer)
    created = send(client, "POST", "/api/postings", new_posting(employer, days_per_week=2))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["source"], body["number"], body["days_per_week"]) == ("own", "C-000002", 2)
    changed = send(client, "PATCH", f"/api/postings/{body['id']}", {"wage_to": 1200})
    assert changed.json()["wage_to"] == 1200 and changed.json()["wage_from"] == 1050
    refused = send(client, "PATCH", f"/api/postings/{imported.pk}", {"wage_from": 2000})
    assert refused.status_code == 409
    assert "ハローワーク" in refused.json()["message"]
    closed = send(client, "PATCH", f"/api/postings/{imported.pk}", {"status": "closed"})
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["is_open"]) == ("closed", False)
    again = send(client, "PATCH", f"/api/postings/{imported.pk}", {"status": "closed"})
    assert again.status_code == 409


def test_a_wrong_posting_is_a_400_on_its_field_and_writes_nothing(
    world, other_program, make_employer, job_developer
):
    employer = world[0]
    client = api(job_developer)
    theirs = make_employer(other_program, "ベータ商事")
    cases = [
        (new_posting(employer, wage_to=900), "wage_to", "賃金の上限は下限以上にしてください。"),
        (new_posting(theirs), "employer_id", "この事業に登録された事業所のIDを指定してください。"),
        (new_posting(employer, referral_deadline="2026-02-30"), "referral_deadline", None),
        (new_posting(employer, workplace_area="nowhere"), "workplace_area", None),
        (new_posting(employer, wage_from="1050"), "wage_from", None),
        (new_posting(employer, occupation=""), "occupation", "必須の項目です。"),
    ]
    for body, field, message in cases:
        response = send(client, "POST", "/api/postings", body)
        assert response.status_code == 400, (body, response.json())
        assert field in response.json()["fields"], response.json()
        if message:
            assert response.json()["fields"][field] == [message]
    assert JobPosting.objects.count() == 2


def test_employers_are_created_with_contacts_and_changed(world, program, job_developer):
    client = api(job_developer)
    created = send(
        client,
        "POST",
        "/api/employers",
        {
            "program": "alpha",
            "name": "有限会社さくら",
            "name_kana": "さくら",
            "area": "alpha-area",
            "retirement_age": 65,
            "contacts": [{"name": "桜 一郎", "role": "社長"}],
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["name_kana"], body["area"], body["retirement_age"]) == ("サクラ", "alpha-area", 65)
    assert [c["name"] for c in body["contacts"]] == ["桜 一郎"]
    patched = send(
        client, "PATCH", f"/api/employers/{body['id']}", {"area": None, "training": True}
    )
    assert patched.json()["area"] is None and patched.json()["training"] is True
    assert patched.json()["retirement_age"] == 65
    found = client.get("/api/employers", {"program": "alpha", "q": "ｻｸﾗ"}).json()
    assert [e["name"] for e in found] == ["有限会社さくら"]
    refused = send(
        client, "POST", "/api/employers", {"program": "alpha", "name": "x", "corporate_number": "1"}
    )
    assert refused.status_code == 400
    assert "corporate_number" in refused.json()["fields"]


def test_consultants_get_employers_without_their_contacts(world, consultant):
    body = api(consultant).get(f"/api/employers/{world[0].pk}").json()
    assert body["name"] == "株式会社アルファ清掃"
    assert body["contacts"] is None


@pytest.mark.parametrize("url", ["/api/postings?program=alpha", "/api/employers?program=alpha"])
def test_the_lists_do_not_query_per_row(
    world, program, make_employer, make_posting, job_developer, url
):
    client = api(job_developer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # the token's first use
    few = count()
    area = program.areas.get()
    for n in range(20):
        employer = make_employer(program, f"会社{n}", area=area)
        employer_contact_add(employer=employer, name=f"担当{n}")
        make_posting(employer, occupation=f"清掃{n}", workplace_area=area)
    assert count() == few
    assert few <= 8


def test_the_answers_are_what_the_openapi_document_says(world, job_developer):
    from secondcareer.jobs.api import EmployerOut, PostingOut

    client = api(job_developer)
    employer, _own, imported = world
    for body in client.get("/api/postings", {"program": "alpha", "state": "all"}).json():
        PostingOut.model_validate(body)
    PostingOut.model_validate(client.get(f"/api/postings/{imported.pk}").json())
    for body in client.get("/api/employers", {"program": "alpha"}).json():
        EmployerOut.model_validate(body)
    EmployerOut.model_validate(client.get(f"/api/employers/{employer.pk}").json())
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= paths["/api/postings"].keys()
    assert {"get", "patch"} <= paths["/api/postings/{posting_id}"].keys()
    assert {"get", "patch"} <= paths["/api/employers/{employer_id}"].keys()
