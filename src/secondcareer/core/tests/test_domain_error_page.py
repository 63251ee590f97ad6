"""The page a DomainError becomes on an HTML request: it renders (it used to fail on a
missing ``{% load i18n %}``, a 500 instead of the message) and its back link works
without a ``javascript:`` URL, which the Content-Security-Policy blocks."""

from __future__ import annotations

from django.test import RequestFactory

from secondcareer.core.errors import DomainError
from secondcareer.core.middleware import DomainErrorMiddleware


def test_a_domain_error_on_a_page_is_a_polite_page_with_a_working_back_link(db):
    request = RequestFactory().get("/staff/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    middleware = DomainErrorMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    error = DomainError(
        "この枠は満席です。", status=409, field_errors={"start": ["別の時間を選んでください。"]}
    )
    response = middleware.process_exception(request, error)
    assert response is not None and response.status_code == 409
    page = response.content.decode()
    assert "この枠は満席です。" in page and "別の時間を選んでください。" in page
    assert "前の画面に戻る" in page and "javascript:" not in page
    assert "/static/core/back.js" in page
