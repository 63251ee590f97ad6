from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from secondcareer.core.views import healthz
from secondcareer.messaging.line import fake_mount
from secondcareer.workspace.signin.views import admin_login_redirect

admin.site.site_header = "セカンドキャリア・プラットフォーム 管理"
admin.site.site_title = "セカンドキャリア・プラットフォーム"
admin.site.index_title = "設定と記録"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admin signs in through the staff sign-in (password and second factor).
    path("admin/login/", admin_login_redirect),
    path("admin/", admin.site.urls),
    path("staff/", include("secondcareer.people.urls")),
    path("staff/", include("secondcareer.workspace.urls")),
    path("staff/booking/", include("secondcareer.booking.staff_urls")),
    path("book/", include("secondcareer.booking.public_urls")),
    path("api/", include("secondcareer.api.urls")),
    path("calendar/", include("secondcareer.booking.feed_urls")),
    path("staff/inquiries/", include("secondcareer.messaging.urls")),
    path("staff/cases/", include("secondcareer.consultations.urls")),
    path("staff/followup/", include("secondcareer.consultations.followup_urls")),
    path("staff/jobs/", include("secondcareer.jobs.urls")),
    path("staff/matching/", include("secondcareer.matching.urls")),
    path("staff/internships/", include("secondcareer.placements.internship_urls")),
    path("staff/chat/", include("secondcareer.messaging.chat_urls")),
    path("chat/", include("secondcareer.messaging.chat_public_urls")),
    path("line/", include("secondcareer.messaging.line.urls")),
    # The fake LINE platform, in-process, for the demo and the LINE simulator page:
    # a 404 unless settings.FAKE_LINE_ENABLED (off in production).
    re_path(r"^fakeline/(?P<path>.*)$", fake_mount.serve, name="fakeline"),
    path("", RedirectView.as_view(pattern_name="workspace:home", permanent=False)),
]


# Django's own 400/403/404/500 answers in the API's JSON shape under /api/ and as
# Japanese pages elsewhere (core/errorpages.py).
handler400 = "secondcareer.core.errorpages.bad_request"
handler403 = "secondcareer.core.errorpages.permission_denied"
handler404 = "secondcareer.core.errorpages.page_not_found"
handler500 = "secondcareer.core.errorpages.server_error"


def _superusers_only(request) -> bool:  # type: ignore[no-untyped-def]
    # The Django admin edits configuration across programs, so it is for superusers
    # only; program staff use the staff screens, which check role and program.
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
