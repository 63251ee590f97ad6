"""The Django admin shows memberships and the roster but changes neither: roles are
given by ``membership_grant`` and shifts by the scheduling services (clash checks, the
schedule stamp), so a superuser's click cannot bypass them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from secondcareer.people.models import Membership, Role
from secondcareer.people.services import staff_create
from secondcareer.scheduling.models import ShiftPattern
from secondcareer.scheduling.services import shift_pattern_create


@pytest.fixture
def pattern(saitama) -> ShiftPattern:
    consultant = staff_create(
        username="tanaka", password=None, program=saitama, role=Role.CONSULTANT
    )
    return shift_pattern_create(
        program=saitama,
        consultant=consultant,
        venue=saitama.venues.get(code="lark_tokorozawa"),
        weekday=3,
        start=dt.time(9, 0),
        end=dt.time(12, 0),
        valid_from=dt.date(2026, 12, 1),
    )


def test_the_roster_admin_lists_shifts_but_offers_no_add_change_or_delete(admin_client, pattern):
    listing = admin_client.get(reverse("admin:scheduling_shiftpattern_changelist"))
    assert listing.status_code == 200
    assert reverse("admin:scheduling_shiftpattern_add") not in listing.content.decode()
    assert admin_client.get(reverse("admin:scheduling_shiftpattern_add")).status_code == 403
    delete = reverse("admin:scheduling_shiftpattern_delete", args=[pattern.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:scheduling_shiftpattern_change", args=[pattern.pk])
    admin_client.post(change, {"start": "08:00", "end": "20:00"})
    pattern.refresh_from_db()
    assert (pattern.start, pattern.end) == (dt.time(9, 0), dt.time(12, 0))
    assert ShiftPattern.objects.count() == 1


def test_the_user_admin_shows_roles_but_cannot_add_or_remove_one(admin_client, consultant):
    page = admin_client.get(reverse("admin:people_user_change", args=[consultant.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "所属・役割" in body
    assert 'name="memberships-0-role"' not in body  # shown as text, not a field
    assert "Add another" not in body and "追加" not in body.split("所属・役割")[1][:2000]
    assert Membership.objects.filter(user=consultant, role=Role.CONSULTANT).count() == 1
