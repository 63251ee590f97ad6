"""The project's URLs plus ``/bench/ok``: the same middleware stack, no database."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok", trivial),
    path("", include("secondcareer.config.urls")),
]
