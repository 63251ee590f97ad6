from urllib.parse import quote

from django.urls import reverse

from secondcareer.conftest import PASSWORD


def test_program_staff_log_in_with_the_staff_login_page(client, receptionist):
    # The password leads to the second factor (its first enrolment here), then home.
    response = client.post(
        reverse("workspace:login"), {"username": receptionist.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("workspace:second_factor_enrol")
        + "?next="
        + quote(reverse("workspace:home"), safe="")
    )


def test_a_wrong_password_gets_a_japanese_message(client, receptionist):
    response = client.post(
        reverse("workspace:login"), {"username": receptionist.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "パスワードが正しくありません" in response.content.decode()


def test_home_lists_only_the_users_own_programs(client_for, consultant, other_program):
    page = client_for(consultant).get(reverse("workspace:home")).content.decode()
    assert "アルファ市セカンドキャリア事業" in page
    assert other_program.name not in page
    assert "利用者を探す" in page


def test_the_municipality_home_offers_no_seeker_search(client_for, municipality_viewer):
    page = client_for(municipality_viewer).get(reverse("workspace:home")).content.decode()
    assert "利用者を探す" not in page


def test_the_site_root_leads_anonymous_visitors_to_the_login(client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("workspace:login"))
