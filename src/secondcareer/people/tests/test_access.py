"""Every role in program A sees nothing of program B, and each role sees in A only
what it should (the municipality: no personal records at all)."""

import pytest
from django.urls import reverse

from secondcareer.core.models import AuditEntry
from secondcareer.people.access import has_program_perm, program_of, seekers_visible_to
from secondcareer.people.models import Membership, Role, User

ALL_ROLES = list(Role.values)
SEEKER_ROLES = [Role.RECEPTION, Role.CONSULTANT, Role.JOB_DEVELOPER, Role.MANAGER]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_role_of_program_a_can_open_a_seeker_of_program_b(
    role, staff_of, client_for, other_seeker
):
    response = client_for(staff_of(role)).get(
        reverse("people:seeker_detail", args=[other_seeker.pk])
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="view", object_id=str(other_seeker.pk)).exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_role_of_program_a_finds_seekers_of_program_b_in_search(
    role, staff_of, client_for, seeker, other_seeker
):
    user = staff_of(role)
    assert other_seeker not in seekers_visible_to(user)
    response = client_for(user).get(reverse("people:seeker_list"), {"q": "サトウ"})
    assert "佐藤" not in response.content.decode()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_role_holds_a_permission_in_the_other_program(role, staff_of, other_program):
    user = staff_of(role)
    for perm in ["people.view_seeker", "people.add_seeker", "people.view_program_reports"]:
        assert not has_program_perm(user, other_program, perm)


@pytest.mark.parametrize("role", SEEKER_ROLES)
def test_staff_who_work_with_seekers_open_their_own_programs_records(
    role, staff_of, client_for, seeker
):
    response = client_for(staff_of(role)).get(reverse("people:seeker_detail", args=[seeker.pk]))
    assert response.status_code == 200
    assert "山田 太郎" in response.content.decode()


def test_the_municipality_never_sees_a_persons_record(municipality_viewer, client_for, seeker):
    client = client_for(municipality_viewer)
    assert client.get(reverse("people:seeker_detail", args=[seeker.pk])).status_code == 403
    assert client.get(reverse("people:seeker_list")).status_code == 403
    assert not seekers_visible_to(municipality_viewer).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, seeker):
    response = client.get(reverse("people:seeker_detail", args=[seeker.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_role_in_both_programs_sees_both(
    staff_of, client_for, seeker, other_seeker, other_program
):
    from secondcareer.people.services import membership_grant

    user = staff_of(Role.RECEPTION)
    membership_grant(user=user, program=other_program, role=Role.RECEPTION)
    assert set(seekers_visible_to(user)) == {seeker, other_seeker}


def test_program_staff_cannot_use_the_django_admin(manager, client_for):
    response = client_for(manager).get("/admin/")
    assert response.status_code == 302  # to the admin login: superusers only


def test_opening_a_seeker_record_writes_an_audit_entry(consultant, client_for, seeker):
    client_for(consultant).get(
        reverse("people:seeker_detail", args=[seeker.pk]), REMOTE_ADDR="192.0.2.10"
    )
    entry = AuditEntry.objects.get(action="view", object_id=str(seeker.pk))
    assert entry.actor_username == consultant.username
    assert entry.program_slug == "alpha"
    assert entry.object_type == "people.seeker"
    assert entry.ip_address == "192.0.2.10"
    assert entry.path == reverse("people:seeker_detail", args=[seeker.pk])


def test_a_refused_look_writes_no_view_entry(municipality_viewer, client_for, seeker):
    client_for(municipality_viewer).get(reverse("people:seeker_detail", args=[seeker.pk]))
    assert not AuditEntry.objects.filter(action="view").exists()


BOOKERS = {Role.RECEPTION, Role.CONSULTANT, Role.MANAGER}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_booking_is_a_permission_of_its_own_held_by_the_roles_that_book(
    role, staff_of, program, other_program
):
    from django.contrib.auth.models import Group

    from secondcareer.people.roles import ROLE_GROUP_NAMES

    user = staff_of(role)
    for perm in ("booking.add_reservation", "booking.change_reservation"):
        assert has_program_perm(user, program, perm) is (role in BOOKERS)
        assert not has_program_perm(user, other_program, perm)
    # The role's group in the database (what Django's admin shows) says the same.
    group = Group.objects.get(name=ROLE_GROUP_NAMES[role])
    assert group.permissions.filter(codename="add_reservation").exists() is (role in BOOKERS)


def test_a_program_asked_for_twice_in_one_request_is_read_once(
    staff_of, program, other_program, django_assert_num_queries
):
    # The answer (and the roles there) stay on the user object of the request.
    user = User.objects.get(pk=staff_of(Role.RECEPTION).pk)
    with django_assert_num_queries(2):
        assert program_of(user, "alpha") == program
        assert program_of(user, "alpha") == program
        assert program_of(user, "beta") is None  # no role there: looks like no program
        assert program_of(user, "beta") is None
        assert has_program_perm(user, program, "booking.add_reservation")
    # Another request loads its user afresh and sees a role given in between.
    Membership.objects.create(user=user, program=other_program, role=Role.MANAGER)
    fresh = User.objects.get(pk=user.pk)
    assert program_of(fresh, "beta") == other_program
    assert has_program_perm(fresh, other_program, "booking.add_reservation")


def test_program_or_404_hides_a_program_without_a_role_and_refuses_a_missing_permission(
    program, other_program, receptionist, municipality_viewer
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from secondcareer.people.access import program_or_404

    assert program_or_404(receptionist, program.slug, "booking.add_reservation") == program
    with pytest.raises(Http404):
        program_or_404(receptionist, other_program.slug)  # a role elsewhere only
    with pytest.raises(Http404):
        program_or_404(receptionist, "no-such-program")
    with pytest.raises(PermissionDenied):
        program_or_404(municipality_viewer, program.slug, "people.view_seeker")


def test_program_object_or_404_answers_404_for_another_programs_record_and_403_without_perm(
    seeker, other_seeker, receptionist, municipality_viewer, django_assert_num_queries
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from secondcareer.people.access import program_object_or_404
    from secondcareer.people.models import Seeker

    with django_assert_num_queries(2):  # the record, the user's roles in its program
        found = program_object_or_404(
            receptionist, Seeker.objects.filter(pk=seeker.pk), "people.view_seeker"
        )
    assert found == seeker
    with pytest.raises(Http404):
        program_object_or_404(
            receptionist, Seeker.objects.filter(pk=other_seeker.pk), "people.view_seeker"
        )
    with pytest.raises(Http404):
        program_object_or_404(receptionist, Seeker.objects.filter(pk=-1), "people.view_seeker")
    with pytest.raises(PermissionDenied):
        program_object_or_404(
            municipality_viewer, Seeker.objects.filter(pk=seeker.pk), "people.view_seeker"
        )


def test_each_app_declares_its_own_role_permissions_and_people_combines_them():
    from secondcareer.people.roles import ROLE_PERMISSIONS, register_role_permissions

    assert "booking.add_reservation" in ROLE_PERMISSIONS[Role.RECEPTION]
    assert "messaging.answer_inquiry" in ROLE_PERMISSIONS[Role.CONSULTANT]
    assert "messaging.answer_inquiry" not in ROLE_PERMISSIONS[Role.RECEPTION]
    assert not any(
        p.startswith(("booking.", "messaging.")) for p in ROLE_PERMISSIONS[Role.MUNICIPALITY]
    )
    with pytest.raises(ValueError, match="only its own"):
        register_role_permissions("booking", {Role.MUNICIPALITY: {"people.view_seeker"}})
    with pytest.raises(ValueError, match="unknown role"):
        register_role_permissions("booking", {"janitor": {"booking.view_reservation"}})
    assert "people.view_seeker" not in ROLE_PERMISSIONS[Role.MUNICIPALITY]
