from django.urls import path

from secondcareer.booking import feeds

app_name = "booking_feed"

urlpatterns = [
    path("<str:token>.ics", feeds.consultant_feed, name="consultant"),
]
