"""LINE's limits, state storage, run_turn, and random input in random states."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondcareer.messaging.dialogue import (
    DEFAULT_REGISTRY,
    BookSlot,
    Choice,
    CommandResult,
    DialogueState,
    Postback,
    Reply,
    Text,
    fit_line_limits,
    line_limit_problems,
    run_turn,
    step,
)
from secondcareer.messaging.dialogue.tests.fakes import (
    NOW,
    assert_valid,
    at,
    kobe_ctx,
    sample_states,
)

STATES = sample_states()


@pytest.mark.parametrize("where", sorted(STATES))
def test_every_state_survives_a_json_round_trip(where):
    state, _ctx = STATES[where]
    state = DialogueState(state.flow, state.step, state.data, misses=2)
    stored = json.dumps(state.to_json(), ensure_ascii=False)
    assert DialogueState.from_json(json.loads(stored)) == state


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "book",
        {},
        {"v": 99, "flow": "book", "step": "date", "data": {}},
        {"v": 1, "flow": 3, "step": "date", "data": {}},
        {"v": 1, "flow": "book", "step": "date", "data": {"date": 3}},
        {"v": 1, "flow": "book", "step": "date", "data": []},
    ],
)
def test_unreadable_stored_state_gives_a_fresh_one(raw):
    assert DialogueState.from_json(raw) == DialogueState()


def test_run_turn_carries_out_commands_and_feeds_back_their_results():
    ctx = kobe_ctx()
    state = DialogueState(
        "book",
        "confirm",
        {
            "service": "in_person",
            "method": "in_person",
            "venue": "sannomiya_east",
            "date": "2026-12-03",
            "time": "14:00",
        },
    )
    seen = []

    def execute(command):
        seen.append(command)
        return CommandResult(True)

    state, replies, done = run_turn(state, Text("はい"), ctx, execute)
    assert (
        done
        == seen
        == [BookSlot("in_person", "sannomiya_east", at(dt.date(2026, 12, 3), 14), "in_person")]
    )
    assert replies[0].text.startswith("ご予約が確定しました。")
    assert state == DialogueState()


def test_run_turn_counts_a_missing_result_as_a_failure():
    state, ctx = STATES["book.confirm"]
    state, replies, _ = run_turn(state, Text("はい"), ctx, lambda command: None)
    assert "ただいまお手続きができませんでした" in replies[0].text


def test_line_limit_problems_finds_every_breach():
    too_many = tuple(Choice(f"{i}", f"pick=x&v={i}") for i in range(14))
    replies = [
        Reply("a", (Choice("x", "d"),)),
        Reply("", ()),
        Reply("b" * 5001),
        Reply("c", (Choice("長" * 21, "d"),)),
        Reply("d"),
        Reply("e", too_many),
    ]
    problems = line_limit_problems(replies)
    assert len(problems) == 7
    fitted = fit_line_limits(replies)
    assert line_limit_problems(fitted) == []


# --- random input in random states ---------------------------------------------------------

WORDS = [
    "はい",
    "いいえ",
    "最初に戻る",
    "相談員に聞く",
    "予約したい",
    "キャンセル",
    "変更",
    "明日",
    "来週の火曜",
    "12/3 14時",
    "14時",
    "2時",
    "午後",
    "朝一",
    "電話",
    "チャット",
    "対面",
    "三宮",
    "所沢",
    "川越",
    "１５",
    "",
    " ",
    "?",
    "会場はどこですか",
]
POSTBACKS = [
    "action=menu",
    "action=ask_human",
    "action=book",
    "action=my_bookings",
    "action=cancel",
    "action=reschedule",
    "action=faq",
    "action=events",
    "action=jobs",
    "action=",
    "pick=yes",
    "pick=no",
    "pick=more&v=1",
    "pick=more&v=99999",
    "pick=redo",
    "pick=service&v=online",
    "pick=service&v=in_person",
    "pick=service&v=x",
    "pick=method&v=chat",
    "pick=method&v=x",
    "pick=venue&v=sannomiya_east",
    "pick=venue&v=lark_tokorozawa",
    "pick=area&v=A市",
    "pick=date&v=2026-12-03",
    "pick=date&v=2026-02-30",
    "pick=date&v=",
    "pick=time&v=14:00",
    "pick=time&v=25:00",
    "pick=slot&v=2026-12-04T10:00",
    "pick=slot&v=x",
    "pick=booking&v=12",
    "pick=booking&v=-1",
    "pick=booking&v=99999999999999999999999",
    "%%%",
    "=&=&",
]
text_events = st.one_of(st.sampled_from(WORDS), st.text(max_size=60)).map(Text)
postback_events = st.builds(
    Postback,
    st.one_of(st.sampled_from(POSTBACKS), st.text(max_size=60)),
    st.one_of(
        st.just({}),
        st.fixed_dictionaries({"date": st.sampled_from(["2026-12-03", "2027-13-01", "x"])}),
        st.fixed_dictionaries(
            {"datetime": st.sampled_from(["2026-12-04T10:00", "2026-12-04T10:00:00+09:00", "no"])}
        ),
        st.fixed_dictionaries({"time": st.sampled_from(["14:00", "99:99"])}),
    ),
)
result_events = st.builds(
    CommandResult,
    st.booleans(),
    st.sampled_from(["", "full", "overlap", "too_late", "too_many", "no_slot", "conflict", "x"]),
    st.sampled_from(["", "回答です。", "x" * 6000]),
    st.lists(
        st.datetimes(dt.datetime(2026, 11, 1), dt.datetime(2027, 3, 1)).map(
            lambda d: d.replace(tzinfo=NOW.tzinfo)
        ),
        max_size=15,
    ).map(tuple),
)
random_states = st.one_of(
    st.sampled_from(sorted(STATES)).map(lambda k: STATES[k][0]),
    st.builds(
        DialogueState,
        st.sampled_from(["menu", "book", "cancel", "reschedule", "faq", "human", "zzz"]),
        st.sampled_from(
            [
                "start",
                "service",
                "method",
                "area",
                "venue",
                "date",
                "time",
                "confirm",
                "pending",
                "alternatives",
                "choose",
                "ask",
                "open",
                "?",
            ]
        ),
        st.dictionaries(
            st.sampled_from(
                [
                    "service",
                    "method",
                    "venue",
                    "area",
                    "near",
                    "date",
                    "time",
                    "part",
                    "alts",
                    "rid",
                    "q",
                ]
            ),
            st.sampled_from(
                [
                    "online",
                    "chat",
                    "in_person",
                    "sannomiya_east",
                    "2026-12-03",
                    "2026-12-33",
                    "14:00",
                    "9:99",
                    "morning",
                    "nope",
                    "12",
                    "x,y",
                    "2026-12-04T10:00,bad",
                ]
            ),
        ),
        st.integers(0, 5),
    ),
)
contexts = st.sampled_from(
    [STATES["menu.start"][1], STATES["book.venue"][1], STATES["book.area"][1]]
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    state=random_states,
    events=st.lists(st.one_of(text_events, postback_events, result_events), min_size=1, max_size=6),
    ctx=contexts,
)
def test_random_input_in_random_states_never_breaks_the_machine(state, events, ctx):
    for event in events:
        state, replies, commands = step(state, event, ctx)
        flow = DEFAULT_REGISTRY.get(state.flow)
        assert flow is not None and state.step in flow.steps
        assert DialogueState.from_json(state.to_json()) == state
        answer = isinstance(event, CommandResult) and len(event.message) > 60
        assert_valid(replies, short_lines=not answer)
        if isinstance(event, (Text, Postback)):
            assert replies or any(c.expects_result for c in commands)
