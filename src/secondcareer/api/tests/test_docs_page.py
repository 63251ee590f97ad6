"""ninja's interactive docs page (/api/docs): for signed-in staff only, served from the
platform's own static files, with nothing inline that the CSP would have to allow."""

from __future__ import annotations

import re

from django.test import Client

from secondcareer.devtools.testing.staff import sign_in_staff


def test_anonymous_visitors_are_sent_to_the_staff_sign_in(db):
    response = Client().get("/api/docs")
    assert response.status_code == 302
    assert "/staff/" in response["Location"] and "next=/api/docs" in response["Location"]


def test_staff_get_the_docs_from_local_files_under_the_csp(receptionist):
    client = Client()
    sign_in_staff(client, receptionist)

    response = client.get("/api/docs")

    assert response.status_code == 200
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    sources = [re.search(r'src="([^"]+)"', attrs) for attrs, _body in scripts]
    executable = [
        (attrs, body) for attrs, body in scripts if 'type="application/json"' not in attrs
    ]
    # Every executable script is a file of ours; the only inline block is JSON data.
    assert executable and all(src and src.group(1).startswith("/static/") for src in sources if src)
    assert all(not body.strip() for _attrs, body in executable)
    assert "cdn" not in page.lower()
    assert "/api/openapi.json" in page
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[-1].split(";", 1)[0]
    for path in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert client.get(path).status_code == 200, path


def test_the_openapi_document_needs_no_sign_in(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert {"/api/seekers", "/api/seekers/{seeker_id}"} <= set(response.json()["paths"])
