from django.urls import path

from secondcareer.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
]
