import datetime as dt

import pytest

from secondcareer.core.errors import DomainError
from secondcareer.people.models import ConsentRecord, Seeker
from secondcareer.people.services import ConsentInput, seeker_register

BASE = dict(
    actor=None,
    channel="walk_in",
    family_name="鈴木",
    given_name="一郎",
    family_name_kana="すずき",
    given_name_kana="ｲﾁﾛｳ",
    birth_date=dt.date(1958, 4, 2),
    phone="０４－２９２２－１２３４",
    registered_on=dt.date(2026, 11, 20),
)


def test_registration_stores_normalised_kana_phone_and_postal_code(program):
    seeker = seeker_register(program=program, postal_code="３５９００４２", **BASE)
    assert seeker.family_name_kana == "スズキ"
    assert seeker.given_name_kana == "イチロウ"
    assert seeker.phone == "04-2922-1234"
    assert seeker.phone_digits == "0429221234"
    assert seeker.postal_code == "359-0042"


def test_registration_records_consents_with_version_and_method(program):
    seeker = seeker_register(
        program=program,
        consents=[ConsentInput(kind="privacy", version="2026.1", method="paper")],
        **BASE,
    )
    consent = ConsentRecord.objects.get(seeker=seeker)
    assert (consent.kind, consent.version, consent.method, consent.granted) == (
        "privacy",
        "2026.1",
        "paper",
        True,
    )


def test_bad_input_is_refused_with_japanese_field_messages_and_nothing_stored(program):
    bad = {**BASE, "phone": "12345", "given_name_kana": "Ichiro", "family_name": "  "}
    with pytest.raises(DomainError) as caught:
        seeker_register(program=program, postal_code="12", **bad)
    fields = caught.value.field_errors
    assert set(fields) >= {"phone", "given_name_kana", "family_name", "postal_code"}
    assert "カタカナ" in fields["given_name_kana"][0]
    assert caught.value.status == 422
    assert not Seeker.objects.exists()


def test_an_area_of_another_program_is_refused(program, other_program):
    with pytest.raises(DomainError) as caught:
        seeker_register(program=program, area=other_program.areas.first(), **BASE)
    assert "area" in caught.value.field_errors


def test_a_birth_date_in_the_future_is_refused(program):
    with pytest.raises(DomainError) as caught:
        seeker_register(program=program, **{**BASE, "birth_date": dt.date(2030, 1, 1)})
    assert "birth_date" in caught.value.field_errors


def test_a_paper_consent_entered_later_keeps_the_day_it_was_signed(program):
    signed = dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    seeker = seeker_register(
        program=program,
        consents=[ConsentInput(kind="privacy", version="1", method="paper")],
        consented_at=signed,
        **BASE,
    )
    assert ConsentRecord.objects.get(seeker=seeker).at == signed


def test_a_consent_time_in_the_future_is_refused(program):
    with pytest.raises(DomainError) as caught:
        seeker_register(
            program=program,
            consents=[ConsentInput(kind="privacy", version="1", method="paper")],
            consented_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
            **BASE,
        )
    assert "consents" in caught.value.field_errors
