from django.urls import path

from secondcareer.workspace import views
from secondcareer.workspace.signin import views as signin

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", signin.StaffLoginView.as_view(), name="login"),
    path("login/second-factor/", signin.second_factor, name="second_factor"),
    path("login/second-factor/setup/", signin.second_factor_enrol, name="second_factor_enrol"),
    path("recovery-codes/", signin.recovery_codes_renew, name="recovery_codes_renew"),
    path("logout/", signin.StaffLogoutView.as_view(), name="logout"),
]
