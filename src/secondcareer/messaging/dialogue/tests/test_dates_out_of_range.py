"""A date outside the platform's range (core.inputs: 1900–2100) in a postback is not
understood, like any other unreadable pick, instead of crashing the turn (year 9999
with a -14:00 offset overflows the conversion to Tokyo time)."""

from __future__ import annotations

import pytest

from secondcareer.messaging.dialogue import Postback
from secondcareer.messaging.dialogue.base import read_date
from secondcareer.messaging.dialogue.tests.fakes import Chat, kobe_ctx


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2101-01-01", "1899-12-31"])
def test_a_picked_date_outside_the_range_is_not_read(value):
    assert read_date(value) is None


def test_read_date_still_reads_the_dates_of_the_range():
    assert read_date("2100-12-31") is not None
    assert read_date("1900-01-01") is not None


@pytest.mark.parametrize(
    "postback",
    [
        Postback("pick=slot&v=9999-12-31T23:59:59-14:00"),
        Postback("pick=slot&v=0001-01-01T00:00:00%2B14:00"),
        Postback("pick=date", {"datetime": "9999-12-31T23:59:59-14:00"}),
        Postback("pick=date", {"date": "9999-12-31"}),
    ],
)
def test_a_far_date_or_time_in_a_postback_is_asked_again(postback):
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book"))
    chat.say("電話で")
    assert chat.where == "book.date"

    chat.send(postback)

    assert chat.where == "book.date"
    assert chat.replies, "the caller is asked again"
