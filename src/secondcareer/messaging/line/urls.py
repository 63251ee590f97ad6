from django.urls import path

from secondcareer.messaging.line import pages, simulator, views

app_name = "line"

urlpatterns = [
    path("<slug:program_slug>/webhook", views.webhook, name="webhook"),
    path("<slug:program_slug>/register/", pages.register, name="register"),
    path("<slug:program_slug>/link/", pages.link, name="link"),
    path("<slug:program_slug>/privacy/", pages.privacy, name="privacy"),
    path("<slug:program_slug>/answer/<str:token>/", pages.answer, name="answer"),
    path("simulator/<slug:program_slug>/", simulator.page, name="simulator"),
]
