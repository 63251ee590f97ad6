from django.urls import path

from secondcareer.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<slug:program>/postings/", views.posting_list, name="posting_list"),
    path("<slug:program>/postings/new/", views.posting_edit, name="posting_create"),
    path("<slug:program>/postings/<int:pk>/", views.posting_detail, name="posting_detail"),
    path("<slug:program>/postings/<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("<slug:program>/postings/<int:pk>/close/", views.posting_close_view, name="posting_close"),
    path("<slug:program>/employers/", views.employer_list, name="employer_list"),
    path("<slug:program>/employers/new/", views.employer_edit, name="employer_create"),
    path("<slug:program>/employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("<slug:program>/employers/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path(
        "<slug:program>/employers/<int:pk>/activities/",
        views.activity_add,
        name="activity_add",
    ),
    path("<slug:program>/employers/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path(
        "<slug:program>/employers/<int:pk>/contacts/<int:contact_pk>/",
        views.contact_edit,
        name="contact_edit",
    ),
]
