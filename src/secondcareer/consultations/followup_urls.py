from django.urls import path

from secondcareer.consultations import followup_views as views

app_name = "consultations_followup"

urlpatterns = [
    path("<slug:program>/", views.queue, name="queue"),
    path("<slug:program>/labels.pdf", views.labels, name="labels"),
    path("<slug:program>/<int:seeker>/check/", views.check, name="check"),
]
