"""The seeker's chat page, under ``/chat/``: opened from the signed link LINE carries."""

from django.urls import path

from secondcareer.messaging import chat_views

app_name = "chat_public"

urlpatterns = [
    path("<str:token>/", chat_views.seeker_chat, name="chat"),
]
