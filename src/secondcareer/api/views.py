"""ninja's interactive API docs page, for signed-in staff only (the OpenAPI document
itself is public: it holds no data)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from secondcareer.api.site import api


@login_required
@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    # Swagger UI from ninja's own static files (no CDN), configured by a JSON block
    # that a script file reads: nothing inline, so the site's CSP holds.
    return api.docs.render_page(request, api)
