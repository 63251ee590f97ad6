"""Every place a staff password is set checks Django's password validators, with their
Japanese messages."""

from __future__ import annotations

import pytest
from django.test import Client

from secondcareer.core.errors import DomainError
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role, User
from secondcareer.people.services import staff_create


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12", "このパスワードは短すぎます。最低 8 文字以上必要です。"),
        ("password123", "このパスワードは一般的すぎます。"),
        ("12345678901", "このパスワードは数字しか使われていません。"),
        ("alpha-clerk-1", "このパスワードは ユーザー名 と似すぎています。"),
    ],
)
def test_staff_create_refuses_a_weak_password_with_the_validators_messages(
    program, password, message
):
    with pytest.raises(DomainError) as refused:
        staff_create(
            username="alpha-clerk-1", password=password, program=program, role=Role.RECEPTION
        )

    assert refused.value.status == 422
    assert message in refused.value.field_errors["password"]
    assert not User.objects.filter(username="alpha-clerk-1").exists()


def test_staff_create_accepts_a_good_password_and_an_unusable_one(program):
    good = staff_create(
        username="alpha-clerk-2",
        password="Kobe-harbour-lantern-42",
        program=program,
        role=Role.RECEPTION,
    )
    assert good.check_password("Kobe-harbour-lantern-42")
    none = staff_create(
        username="alpha-clerk-3", password=None, program=program, role=Role.RECEPTION
    )
    assert not none.has_usable_password()


def test_the_admin_user_form_refuses_a_weak_password(manager):
    manager.is_superuser = manager.is_staff = True
    manager.save()
    admin = sign_in_staff(Client(), manager)

    response = admin.post(
        "/admin/people/user/add/",
        {"username": "weakling", "usable_password": "true", "password1": "abc", "password2": "abc"},
    )

    assert response.status_code == 200
    assert "このパスワードは短すぎます" in response.content.decode()
    assert not User.objects.filter(username="weakling").exists()
