import datetime as dt

import pytest

from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditEntry
from secondcareer.people.cards import parse_card_number
from secondcareer.people.models import CardSequence, ConsentRecord, Seeker
from secondcareer.people.services import (
    ConsentInput,
    SeekerRegistration,
    seeker_register,
    seekers_register_bulk,
)

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


# --- Many registrations at once (a list handed over, the demo's history) -------------------

JST = dt.timezone(dt.timedelta(hours=9))


def _registration(**fields):
    base = {k: v for k, v in BASE.items() if k != "actor"}
    return SeekerRegistration(
        consents=[ConsentInput(kind="privacy", version="1", method="paper")], **{**base, **fields}
    )


def test_a_bulk_registration_numbers_the_cards_in_order_within_each_fiscal_year(
    program, receptionist
):
    first = seeker_register(program=program, **BASE)  # FY2026: serial 1
    seekers = seekers_register_bulk(
        program=program,
        registrations=[
            _registration(
                registered_on=dt.date(2026, 3, 30),  # FY2025
                consented_at=dt.datetime(2026, 3, 30, 14, 5, tzinfo=JST),
                actor=receptionist,
            ),
            _registration(family_name="佐藤", registered_on=dt.date(2026, 11, 21)),
            _registration(family_name="高橋", registered_on=dt.date(2026, 11, 22)),
        ],
    )

    assert first.card_number == "AL-26-00001-" + first.card_number[-1]
    assert [s.card_number[:11] for s in seekers] == ["AL-25-00001", "AL-26-00002", "AL-26-00003"]
    stored = Seeker.objects.get(pk=seekers[0].pk)
    assert parse_card_number(stored.card_number) == stored.card_number  # the check digit holds
    assert stored.phone == "04-2922-1234" and stored.given_name_kana == "イチロウ"
    assert stored.created_by == receptionist
    consent = ConsentRecord.objects.get(seeker=stored)
    assert consent.at == dt.datetime(2026, 3, 30, 14, 5, tzinfo=JST)
    assert consent.recorded_by == receptionist
    created = AuditEntry.objects.filter(object_type="people.seeker", action="create")
    assert {e.object_id for e in created} == {str(s.pk) for s in [first, *seekers]}
    assert created.get(object_id=str(stored.pk)).actor_username == receptionist.username

    # The sequence goes on from where the list left it.
    later = seeker_register(program=program, **{**BASE, "family_name": "伊藤"})
    assert later.card_number.startswith("AL-26-00004-")


def test_one_invalid_registration_refuses_the_whole_list_and_says_which_one(program):
    with pytest.raises(DomainError) as caught:
        seekers_register_bulk(
            program=program,
            registrations=[
                _registration(),
                _registration(phone="12345"),
                _registration(consented_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)),
            ],
        )

    assert set(caught.value.field_errors) == {"2.phone", "3.consents"}
    assert caught.value.field_errors["3.consents"] == ["同意日時が未来になっています。"]
    assert not Seeker.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert not CardSequence.objects.filter(last_serial__gt=0).exists()
