from django.urls import path

from secondcareer.booking import public_views as views

app_name = "booking_public"

urlpatterns = [
    path("", views.program_index, name="index"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
    path("r/<str:token>/", views.reservation_page, name="reservation"),
    path("<slug:program_slug>/", views.service_choice, name="service"),
    path("<slug:program_slug>/venue/", views.venue_choice, name="venue"),
    path("<slug:program_slug>/date/", views.date_choice, name="date"),
    path("<slug:program_slug>/time/", views.time_choice, name="time"),
    path("<slug:program_slug>/details/", views.details, name="details"),
    path("<slug:program_slug>/confirm/", views.confirm, name="confirm"),
    path("<slug:program_slug>/done/", views.done, name="done"),
]
