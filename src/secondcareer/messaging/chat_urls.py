"""The staff pages of the secure chat, under ``/staff/chat/``."""

from django.urls import path

from secondcareer.messaging import chat_views

app_name = "chat"

urlpatterns = [
    path("<slug:program>/<int:thread_id>/", chat_views.staff_thread, name="thread"),
    path(
        "<slug:program>/case/<int:case_pk>/", chat_views.staff_open_for_case, name="open_for_case"
    ),
]
