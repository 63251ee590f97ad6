from django.urls import path

from secondcareer.matching import views

app_name = "matching"

urlpatterns = [
    path("<slug:program>/meeting/", views.meeting, name="meeting"),
    path("<slug:program>/meeting.xlsx", views.meeting_xlsx, name="meeting_xlsx"),
    path("<slug:program>/seekers/<int:seeker_id>/", views.recommendations, name="recommendations"),
    path(
        "<slug:program>/seekers/<int:seeker_id>/profile/",
        views.profile_edit,
        name="profile_edit",
    ),
    path(
        "<slug:program>/seekers/<int:seeker_id>/postings/<int:posting_id>/decision/",
        views.decide,
        name="decide",
    ),
    path("<slug:program>/postings/<int:posting_id>/", views.candidates, name="candidates"),
]
