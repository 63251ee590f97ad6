from django.urls import path

from secondcareer.consultations import referral_views, sharing_views, views

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
    path("<slug:program>/<int:pk>/shares/", sharing_views.share_add, name="case_share"),
    path(
        "<slug:program>/<int:pk>/shares/<int:share_pk>/revoke/",
        sharing_views.share_revoke,
        name="case_share_revoke",
    ),
    path("<slug:program>/<int:pk>/referrals/", referral_views.referral_add, name="referral_add"),
    path(
        "<slug:program>/<int:pk>/referrals/<int:referral_pk>/outcome/",
        referral_views.referral_outcome,
        name="referral_outcome",
    ),
]
