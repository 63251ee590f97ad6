import datetime as dt

import pytest
from django.urls import reverse

from secondcareer.conftest import register_seeker
from secondcareer.core.models import AuditEntry
from secondcareer.people.selectors import seeker_search


@pytest.fixture
def suzuki(program):
    return register_seeker(
        program,
        birth_date=dt.date(1959, 8, 8),
        family="鈴木",
        given="恵子",
        family_kana="スズキ",
        given_kana="ケイコ",
        phone="04-2922-1234",
    )


@pytest.mark.parametrize(
    "typed", ["鈴木", "すずき", "ｽｽﾞｷ", "スズキ ケイコ", "鈴木　恵子", "けいこ"]
)
def test_reception_finds_a_seeker_however_the_name_is_typed(receptionist, seeker, suzuki, typed):
    assert list(seeker_search(user=receptionist, query=typed)) == [suzuki]


@pytest.mark.parametrize("typed", ["0429221234", "04-2922-1234", "２９２２１２３４", "2922"])
def test_reception_finds_a_seeker_by_phone_digits(receptionist, seeker, suzuki, typed):
    assert suzuki in seeker_search(user=receptionist, query=typed)
    assert seeker not in seeker_search(user=receptionist, query=typed)


def test_reception_finds_a_seeker_by_card_number_typed_loosely(receptionist, seeker, suzuki):
    typed = suzuki.card_number.replace("-", "").lower()
    assert list(seeker_search(user=receptionist, query=typed)) == [suzuki]


def test_search_never_reaches_into_another_program(receptionist, seeker, other_seeker):
    assert list(seeker_search(user=receptionist, query="サトウ")) == []
    assert list(seeker_search(user=receptionist, query=other_seeker.card_number)) == []


def test_the_seeker_list_writes_one_audit_entry_per_seeker_listed(
    receptionist, client_for, seeker, suzuki
):
    page = client_for(receptionist).get(reverse("people:seeker_list"), {"q": "すずき"})
    assert suzuki.card_number in page.content.decode()
    views = AuditEntry.objects.filter(action="view", object_type="people.seeker")
    assert [(e.object_id, e.actor_id, e.note) for e in views] == [
        (str(suzuki.pk), receptionist.pk, "search")
    ]
