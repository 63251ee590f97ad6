from django.urls import path

from secondcareer.people import views

app_name = "people"

urlpatterns = [
    path("seekers/", views.seeker_list, name="seeker_list"),
    path("seekers/<int:pk>/", views.seeker_detail, name="seeker_detail"),
    path("seekers/<int:pk>/card.pdf", views.seeker_card_pdf, name="seeker_card_pdf"),
]
