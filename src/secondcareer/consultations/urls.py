from django.urls import path

from secondcareer.consultations import views

app_name = "consultations"

urlpatterns = [
    path("<slug:program>/", views.case_list, name="case_list"),
    path("<slug:program>/records/new/", views.record_create, name="record_create"),
    path("<slug:program>/records/group/", views.group_record, name="group_record"),
    path("<slug:program>/<int:pk>/", views.case_detail, name="case_detail"),
    path("<slug:program>/<int:pk>/plan/", views.plan_edit, name="plan_edit"),
    path(
        "<slug:program>/<int:pk>/plan/<int:plan_pk>/approve/",
        views.plan_approve_view,
        name="plan_approve",
    ),
    path(
        "<slug:program>/<int:pk>/reviews/<int:review_pk>/",
        views.review_done,
        name="review_done",
    ),
    path("<slug:program>/<int:pk>/assign/", views.case_reassign, name="case_assign"),
]
