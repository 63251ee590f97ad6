"""The Japanese admin for program configuration."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import User
from secondcareer.programs.models import (
    Area,
    Closure,
    ConsultationKind,
    EventAllocation,
    EventKind,
    Kpi,
    Program,
    Publication,
    ReportItem,
    Service,
    SubstituteDate,
    Venue,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Program,
    Area,
    Venue,
    ConsultationKind,
    Service,
    Closure,
    SubstituteDate,
    EventKind,
    EventAllocation,
    Kpi,
    ReportItem,
    Publication,
]


@pytest.fixture
def admin_client_ja(client: Client) -> Client:
    user = User.objects.create_superuser("root", "root@example.com", "pw-for-tests-only")
    sign_in_staff(client, user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_configuration_list_opens_for_a_superuser(
    admin_client_ja: Client, kobe: Program, saitama: Program, model: type
) -> None:
    meta = model._meta
    response = admin_client_ja.get(reverse(f"admin:programs_{meta.model_name}_changelist"))
    assert response.status_code == 200
    assert str(meta.verbose_name_plural) in response.content.decode()


def test_program_page_shows_its_venues_and_services_inline(
    admin_client_ja: Client, saitama: Program
) -> None:
    response = admin_client_ja.get(reverse("admin:programs_program_change", args=[saitama.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ラーク所沢" in page
    assert "就職相談" in page
    assert "所沢市" in page


def test_venue_page_offers_only_areas_of_the_same_program(
    admin_client_ja: Client, kobe: Program, saitama: Program
) -> None:
    venue = Venue.objects.get(program=saitama, code="lark_tokorozawa")
    response = admin_client_ja.get(reverse("admin:programs_venue_change", args=[venue.pk]))
    area_field = response.context["adminform"].form.fields["area"]
    assert set(area_field.queryset.values_list("program__slug", flat=True)) == {"saitama"}


def test_service_page_shows_opening_periods(admin_client_ja: Client, kobe: Program) -> None:
    service = Service.objects.get(program=kobe, code="online")
    response = admin_client_ja.get(reverse("admin:programs_service_change", args=[service.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "受付時間帯" in page
    assert "21:00" in page


def test_non_superuser_staff_cannot_open_the_configuration(client: Client, kobe: Program) -> None:
    user = User.objects.create_user("staff", "staff@example.com", "pw-for-tests-only")
    user.is_staff = True
    user.save()
    sign_in_staff(client, user)
    response = client.get(reverse("admin:programs_program_changelist"), follow=True)
    assert response.status_code == 403  # after the admin's redirect to its login page
    assert "システム管理者だけ" in response.content.decode()
