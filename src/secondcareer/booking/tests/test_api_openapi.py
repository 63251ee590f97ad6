"""/api/openapi.json documents every route of the API, and what the real endpoints
answer has the documented shape (checked by a small JSON Schema subset checker:
type, enum, format, minimum, properties, required, additionalProperties, items, $ref)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking import api_urls
from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create
from secondcareer.programs.services import program_load_preset

_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def schema_errors(
    value: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "$"
) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return schema_errors(value, root["components"]["schemas"][name], root, at)
    errors: list[str] = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            isinstance(value, _TYPES[t])
            and not (t in ("integer", "number") and isinstance(value, bool))
            for t in types
        )
        if not ok:
            return [f"{at}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{at}: {value!r} not in {schema['enum']}")
    if isinstance(value, str) and schema.get("format") == "date-time":
        try:
            assert dt.datetime.fromisoformat(value).tzinfo is not None
        except (ValueError, AssertionError):
            errors.append(f"{at}: {value!r} is not an ISO date-time with offset")
    if isinstance(value, str) and schema.get("format") == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            errors.append(f"{at}: {value!r} is not an ISO date")
    if isinstance(value, int | float) and "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{at}: {value} < {schema['minimum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{at}: missing {name!r}")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                errors += schema_errors(item, properties[name], root, f"{at}.{name}")
            elif extra is False:
                errors.append(f"{at}: undocumented property {name!r}")
            elif isinstance(extra, dict):
                errors += schema_errors(item, extra, root, f"{at}.{name}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], root, f"{at}[{i}]")
    return errors


@pytest.fixture
def document(client) -> dict[str, Any]:
    response = client.get(reverse("booking_api:openapi"))
    assert response.status_code == 200
    return response.json()


def _openapi_path(route: str) -> str:
    return "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_route_in_api_urls_is_documented_with_its_methods(document):
    routes = {}
    for pattern in api_urls.urlpatterns:
        path = _openapi_path(str(pattern.pattern))
        routes[path] = {m.lower() for m in pattern.callback.api_methods}
        assert path in document["paths"], f"{path} is not in openapi.json"
        assert set(document["paths"][path]) == routes[path], path
        for operation in document["paths"][path].values():
            # Public endpoints say so; every other one uses the document's security.
            assert (operation.get("security") == []) == pattern.callback.api_public, path
    assert set(document["paths"]) == set(routes), "documented paths that are not routes"


def test_the_document_is_openapi_3_1_and_every_reference_resolves(document):
    assert document["openapi"] == "3.1.0"
    assert {"bearerToken", "staffSession"} <= set(document["components"]["securitySchemes"])
    text = json.dumps(document)
    for name in re.findall(r'"#/components/schemas/(\w+)"', text):
        assert name in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        declared = {
            p["name"]
            for op in operations.values()
            for p in op.get("parameters", [])
            if p["in"] == "path"
        }
        assert declared == set(re.findall(r"{(\w+)}", path)), path
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                assert answer["description"], (path, status)
                assert "schema" in answer["content"]["application/json"], (path, status)


def test_the_checker_notices_a_wrong_shape(document):
    wrong = {"id": "7", "program": "kobe", "surprise": True}
    errors = schema_errors(wrong, {"$ref": "#/components/schemas/Reservation"}, document)
    assert any("'7'" in e for e in errors)
    assert any("missing 'seeker_id'" in e for e in errors)
    assert any("surprise" in e for e in errors)


def test_real_responses_have_the_documented_shape(client, document, db):
    kobe = program_load_preset(path_or_name="kobe").program
    program_load_preset(path_or_name="saitama")
    writer = staff_create(username="w", password=None, program=kobe, role=Role.RECEPTION)
    reader = staff_create(username="r", password=None, program=kobe, role=Role.MUNICIPALITY)
    seeker = register_seeker(kobe, birth_date=dt.date(1959, 9, 9))
    other = register_seeker(kobe, birth_date=dt.date(1950, 1, 1), phone="080-1234-0000")
    today = timezone.localdate()
    starts = [
        a.slot.start
        for a in availability(
            program=kobe,
            service_code="in_person",
            start=today + dt.timedelta(days=2),
            end=today + dt.timedelta(days=20),
        )
        if a.free > 0
    ]
    reservation_create(
        program=kobe,
        seeker=other,
        service=kobe.services.get(code="in_person"),
        venue=kobe.venues.get(code="sannomiya_east"),
        start=starts[1],
        method="in_person",
        channel="phone",
    )
    good = {
        "program": "kobe",
        "seeker_id": seeker.pk,
        "service": "in_person",
        "venue": "sannomiya_east",
        "start": starts[0].isoformat(),
        "method": "in_person",
        "channel": "phone",
    }
    assert not schema_errors(good, {"$ref": "#/components/schemas/ReservationCreate"}, document)
    availability_url = reverse("booking_api:availability")
    create_url = reverse("booking_api:reservations")

    def post(url: str, body: Any):
        data = body if isinstance(body, str) else json.dumps(body)
        return client.post(url, data, content_type="application/json")

    answers: list[tuple[str, str, Any]] = []

    def record(method: str, path: str, response: Any) -> Any:
        answers.append((method, path, response))
        return response

    record("get", "/api/availability", client.get(availability_url, {"program": "kobe"}))
    record("post", "/api/reservations", post(create_url, good))
    sign_in_staff(client, reader)
    record("get", "/api/availability", client.get(availability_url, {"program": "kobe"}))
    record("post", "/api/reservations", post(create_url, good))
    sign_in_staff(client, writer)
    record(
        "get", "/api/availability", client.get(availability_url, {"program": "kobe", "from": "x"})
    )
    record("get", "/api/availability", client.get(availability_url, {"program": "saitama"}))
    record(
        "get",
        "/api/availability",
        client.get(availability_url, {"program": "kobe", "service": "x"}),
    )
    record("delete", "/api/availability", client.delete(availability_url))
    record("post", "/api/reservations", post(create_url, "{oops"))
    record("post", "/api/reservations", post(create_url, {**good, "method": "chat"}))
    record("post", "/api/reservations", post(create_url, {**good, "start": starts[1].isoformat()}))
    created = record("post", "/api/reservations", post(create_url, good)).json()
    cancel = "/api/reservations/{reservation_id}/cancel"
    cancel_url = reverse("booking_api:reservation_cancel", args=[created["id"]])
    record("post", cancel, post(cancel_url, {"colour": 1}))
    record("post", cancel, post(cancel_url, {"channel": "fax"}))
    record("post", cancel, post(cancel_url, ""))
    record("post", cancel, post(cancel_url, ""))
    record("post", cancel, post(reverse("booking_api:reservation_cancel", args=[99999]), ""))
    sign_in_staff(client, reader)
    record("post", cancel, post(cancel_url, ""))
    record("get", "/api/openapi.json", client.get(reverse("booking_api:openapi")))

    seen = set()
    for method, path, response in answers:
        operation = document["paths"][path].get(method) or document["paths"][path]["get"]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {path} answered undocumented {status}"
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        errors = schema_errors(response.json(), schema, document)
        assert not errors, (method, path, status, errors)
        seen.add((path, status))
    assert {s for p, s in seen if p == "/api/availability"} == {
        "200",
        "400",
        "401",
        "404",
        "405",
        "422",
    }
    assert {s for p, s in seen if p == "/api/reservations"} == {
        "201",
        "400",
        "401",
        "403",
        "409",
        "422",
    }
    assert {s for p, s in seen if p == cancel} == {"200", "400", "403", "404", "409", "422"}
