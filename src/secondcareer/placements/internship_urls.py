from django.urls import path

from secondcareer.placements import internship_views as views

app_name = "placements_internships"

urlpatterns = [
    path("<slug:program>/", views.internship_list, name="list"),
    path("<slug:program>/new/", views.internship_new, name="new"),
    path("<slug:program>/<int:pk>/", views.internship_detail, name="detail"),
    path("<slug:program>/<int:pk>/consents/", views.consent_record, name="consent"),
    path("<slug:program>/<int:pk>/insurance/", views.insurance_record, name="insurance"),
    path("<slug:program>/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<slug:program>/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
]
