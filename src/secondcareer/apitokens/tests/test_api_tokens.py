"""API tokens: shown once, stored only as a SHA-256 hash, revocable, and only ever as
good as their user."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from secondcareer.apitokens.models import ApiToken
from secondcareer.apitokens.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff


def test_the_command_prints_the_token_once_and_stores_only_its_hash(receptionist):
    out, err = StringIO(), StringIO()

    call_command(
        "api-token", user=receptionist.username, name="予約電話システム", stdout=out, stderr=err
    )

    raw = out.getvalue().strip()
    assert raw.startswith("sc_") and len(raw) > 40
    assert "一度きり" in err.getvalue()
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.name, token.prefix, token.key_hash}
    assert raw.startswith(token.prefix) and len(token.prefix) < 12
    assert AuditEntry.objects.filter(object_type="apitokens.apitoken", action="create").exists()


def test_a_token_authenticates_as_its_user_and_notes_when_it_was_used(receptionist):
    token, raw = api_token_create(user=receptionist, name="連携")

    assert api_token_authenticate(raw) == receptionist
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_every_few_minutes(receptionist):
    token, raw = api_token_create(user=receptionist, name="連携")
    now = timezone.now()
    api_token_authenticate(raw, now=now)
    api_token_authenticate(raw, now=now + dt.timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == now
    api_token_authenticate(raw, now=now + dt.timedelta(minutes=10))
    token.refresh_from_db()
    assert token.last_used_at == now + dt.timedelta(minutes=10)


def test_revoked_unknown_and_malformed_tokens_authenticate_nobody(receptionist):
    token, raw = api_token_create(user=receptionist, name="連携")
    api_token_revoke(token=token)

    assert token.revoked
    assert api_token_authenticate(raw) is None
    assert api_token_authenticate("sc_" + "x" * 43) is None
    assert api_token_authenticate("not-ours") is None
    assert api_token_authenticate("sc_" + "x" * 500) is None


def test_a_token_of_a_deactivated_user_stops_working(receptionist):
    _, raw = api_token_create(user=receptionist, name="連携")
    receptionist.is_active = False
    receptionist.save()

    assert api_token_authenticate(raw) is None


def test_the_command_revokes_by_id(receptionist):
    token, raw = api_token_create(user=receptionist, name="連携")
    out = StringIO()

    call_command("api-token", revoke=token.pk, stdout=out)

    assert token.prefix in out.getvalue()
    assert api_token_authenticate(raw) is None


def test_the_command_explains_what_is_missing(receptionist):
    with pytest.raises(CommandError, match="--user"):
        call_command("api-token", user=receptionist.username)
    with pytest.raises(CommandError, match="nobody"):
        call_command("api-token", user="nobody", name="x")
    with pytest.raises(CommandError):
        call_command("api-token", revoke=424242)


def test_a_token_needs_a_purpose(receptionist):
    with pytest.raises(DomainError):
        api_token_create(user=receptionist, name="  ")


def test_the_admin_lists_tokens_but_cannot_add_one(client, receptionist, django_user_model):
    api_token_create(user=receptionist, name="連携")
    admin = django_user_model.objects.create_superuser("root", password="x" * 12)
    sign_in_staff(client, admin)

    listing = client.get("/admin/apitokens/apitoken/")
    add = client.get("/admin/apitokens/apitoken/add/")

    assert listing.status_code == 200 and "連携" in listing.content.decode()
    assert add.status_code == 403
