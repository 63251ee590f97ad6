from django.urls import path

from secondcareer.booking import api

app_name = "booking_api"

urlpatterns = [
    path("availability", api.availability_list, name="availability"),
    path("reservations", api.reservation_list, name="reservations"),
    path(
        "reservations/<int:reservation_id>/cancel",
        api.reservation_cancel_view,
        name="reservation_cancel",
    ),
    path("openapi.json", api.openapi_json, name="openapi"),
]
