from django.urls import path

from secondcareer.api import views
from secondcareer.api.site import api

urlpatterns = [
    path("docs", views.docs, name="api_docs"),
    path("", api.urls),
]
