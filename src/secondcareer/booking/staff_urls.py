"""Staff booking screens, mounted at ``/staff/booking/``. Every URL but the index names
its program, so access is checked per program (see ``staff_views``)."""

from django.urls import path

from secondcareer.booking import staff_views as views

app_name = "booking_staff"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:program>/calendar/", views.calendar, name="calendar"),
    path("<slug:program>/calls/", views.call_list, name="call_list"),
    path("<slug:program>/phone/", views.phone_find, name="phone_find"),
    path("<slug:program>/phone/<int:seeker>/", views.phone_slots, name="phone_slots"),
    path("<slug:program>/phone/<int:seeker>/confirm/", views.phone_confirm, name="phone_confirm"),
    path(
        "<slug:program>/reservations/<int:pk>/", views.reservation_detail, name="reservation_detail"
    ),
    path("<slug:program>/reservations/<int:pk>/booked/", views.phone_done, name="phone_done"),
    path(
        "<slug:program>/reservations/<int:pk>/cancel/",
        views.reservation_cancel_view,
        name="reservation_cancel",
    ),
    path(
        "<slug:program>/reservations/<int:pk>/reschedule/",
        views.reservation_reschedule_view,
        name="reservation_reschedule",
    ),
    path(
        "<slug:program>/reservations/<int:pk>/outcome/",
        views.reservation_outcome,
        name="reservation_outcome",
    ),
    path("<slug:program>/absence/", views.absence, name="absence"),
    path("<slug:program>/absence/reassign/", views.absence_reassign, name="absence_reassign"),
]
