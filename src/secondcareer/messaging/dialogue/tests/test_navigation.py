"""最初に戻る and 相談員に聞く from every state, the menu, the FAQ hook, and what the
machine does with what it does not understand."""

from __future__ import annotations

import pytest

from secondcareer.messaging.dialogue import (
    DEFAULT_REGISTRY,
    AnswerFaq,
    CommandResult,
    DialogueState,
    HandToHuman,
    Postback,
    Reply,
    Text,
    Turn,
    build_registry,
    step,
)
from secondcareer.messaging.dialogue.tests.fakes import Chat, assert_valid, kobe_ctx, sample_states

STATES = sample_states()
MENU_TEXT = "ご用件をお選びください。\nご質問は、そのまま文章でお送りください。"
TWENTY_FOUR_HOURS = "担当のキャリアコンサルタントが24時間以内にお答えします"


def test_the_samples_cover_every_step_of_every_flow():
    declared = {f"{flow.name}.{s}" for flow in DEFAULT_REGISTRY for s in flow.steps}
    assert declared == set(STATES)


@pytest.mark.parametrize("where", sorted(STATES))
def test_every_state_prompt_offers_both_nav_buttons(where):
    state, ctx = STATES[where]
    # Re-showing a state's prompt: a tap on an unknown button is a misunderstanding.
    _new, replies, _ = step(state, Postback("pick=nothing"), ctx)
    assert replies
    assert_valid(replies)


@pytest.mark.parametrize("where", sorted(STATES))
@pytest.mark.parametrize("event", [Text("最初に戻る"), Postback("action=menu"), Text("メニュー")])
def test_back_to_the_start_from_every_state(where, event):
    state, ctx = STATES[where]
    new, replies, commands = step(state, event, ctx)
    assert (new.flow, new.step, dict(new.data)) == ("menu", "start", {})
    assert commands == []
    assert replies[-1].text == MENU_TEXT
    assert_valid(replies)


@pytest.mark.parametrize("where", sorted(STATES))
@pytest.mark.parametrize("event", [Text("相談員に聞く"), Postback("action=ask_human")])
def test_ask_a_consultant_from_every_state_asks_for_the_question_before_filing_it(where, event):
    state, ctx = STATES[where]
    new, replies, commands = step(state, event, ctx)
    origin = "menu.start" if where.endswith(".pending") else where  # a lost result
    # Nothing is filed and nothing promised before there is a question.
    assert commands == []
    assert (new.flow, new.step) == ("human", "ask")
    assert "このまま文章でお送りください" in replies[-1].text
    assert "時間以内にお答えします" not in "".join(r.text for r in replies)
    assert_valid(replies)

    question = "ハローワークとの違いを知りたいです"
    filed, replies, commands = step(new, Text(question), ctx)
    assert commands == [HandToHuman(question, "requested", origin)]
    assert (filed.flow, filed.step) == ("human", "open")
    said = "".join(r.text for r in replies)
    assert said.count(TWENTY_FOUR_HOURS) == 1 and "ありがとうございます" in said
    assert question not in said  # the question is never echoed back
    assert_valid(replies)


def test_a_tap_instead_of_the_question_asks_again_and_files_nothing():
    state, ctx = STATES["human.ask"]
    new, replies, commands = step(state, Postback("pick=nothing"), ctx)
    assert commands == [] and (new.flow, new.step) == ("human", "ask")
    assert "このまま文章でお送りください" in replies[-1].text


def test_more_text_after_the_question_is_added_without_a_second_promise():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=ask_human"))
    chat.say("シルバー人材センターについて教えてください")
    chat.say("できれば週3日くらいで")
    assert chat.commands == [
        HandToHuman("シルバー人材センターについて教えてください", "requested", "menu.start"),
        HandToHuman("できれば週3日くらいで", "follow_up", "human.open"),
    ]
    assert TWENTY_FOUR_HOURS not in chat.text and "お伝えします" in chat.text


def test_the_menu_lists_the_registered_flows():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=menu"))
    assert chat.labels() == [
        "相談を予約する",
        "予約の確認・変更",
        "よくある質問",
        "最初に戻る",
        "相談員に聞く",
    ]


@pytest.mark.parametrize("action", ["events", "jobs", "no_such_thing"])
def test_rich_menu_actions_not_built_yet_answer_politely(action):
    chat = Chat(kobe_ctx())
    chat.send(Postback(f"action={action}"))
    assert chat.text == "申し訳ありません。こちらは準備中です。"
    assert chat.where == "menu.start"


def test_a_rich_menu_action_interrupts_any_flow():
    state, ctx = STATES["book.confirm"]
    new, _replies, commands = step(state, Postback("action=my_bookings"), ctx)
    assert new.flow == "menu" and commands == []


def test_free_text_at_the_top_goes_to_the_faq_and_its_answer_comes_back():
    chat = Chat(kobe_ctx())
    chat.results = [CommandResult(True, message="三宮ビル東館は三宮駅から徒歩5分です。")]
    chat.say("会場はどこですか")
    assert chat.commands == [AnswerFaq("会場はどこですか")]
    assert chat.replies[0].text == "三宮ビル東館は三宮駅から徒歩5分です。"
    assert chat.where == "faq.ask"


def test_a_question_the_faq_cannot_answer_goes_to_a_consultant_within_24_hours():
    chat = Chat(kobe_ctx())
    chat.results = [CommandResult(False, "not_confident")]
    chat.say("年金をもらいながら働けますか")
    assert chat.commands == [
        AnswerFaq("年金をもらいながら働けますか"),
        HandToHuman("年金をもらいながら働けますか", "faq_not_confident", "faq.pending"),
    ]
    assert chat.text.count(TWENTY_FOUR_HOURS) == 1  # promised once, not twice
    assert chat.where == "human.open"
    assert "年金" not in chat.text  # the question is never echoed back
    chat.say("よろしくお願いします")
    assert chat.commands[-1] == HandToHuman("よろしくお願いします", "follow_up", "human.open")
    assert TWENTY_FOUR_HOURS not in chat.text


def test_the_faq_menu_button_asks_for_the_question():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=faq"))
    assert chat.where == "faq.ask"
    chat.results = [CommandResult(True, message="はい、無料です。")]
    chat.say("相談は無料ですか")
    assert chat.replies[0].text == "はい、無料です。"


def test_short_requests_at_the_top_start_their_flow():
    for text, where in (
        ("予約したい", "book.service"),
        ("相談の予約をお願いします", "book.service"),
        ("予約の確認", "menu.start"),
        ("キャンセル", "menu.start"),  # no bookings: said so, back at the menu
    ):
        chat = Chat(kobe_ctx())
        chat.say(text)
        assert chat.where == where, text
        assert not any(isinstance(c, AnswerFaq) for c in chat.commands), text


def test_after_two_misunderstandings_the_consultant_comes_first():
    chat = Chat(kobe_ctx())
    chat.send(Postback("action=book&service=online&method=chat"))
    chat.say("ええと")
    assert chat.text.startswith("すみません、うまく読み取れませんでした。")
    assert chat.labels()[-1] == "相談員に聞く"
    chat.say("わからない")
    assert "「相談員に聞く」を押してください" in chat.text
    assert chat.labels()[0] == "相談員に聞く"
    assert chat.where == "book.date"
    chat.say("明日")
    assert chat.state.misses == 0
    assert chat.labels()[-1] == "相談員に聞く"


def test_a_result_nobody_waits_for_is_ignored():
    state, ctx = STATES["book.date"]
    assert step(state, CommandResult(True), ctx) == (state, [], [])


def test_a_user_message_while_a_result_is_pending_starts_over():
    state, ctx = STATES["book.pending"]
    new, _replies, _ = step(state, Text("予約したい"), ctx)
    assert (new.flow, new.step) == ("book", "service")


def test_an_unknown_stored_state_starts_at_the_menu():
    ctx = kobe_ctx()
    for state in (DialogueState("gone", "x"), DialogueState("book", "nope")):
        new, _replies, _ = step(state, Postback("action=menu"), ctx)
        assert new == DialogueState()


@pytest.mark.parametrize("where", sorted(STATES))
def test_personal_data_typed_by_the_user_is_never_echoed(where):
    state, ctx = STATES[where]
    text = "山田太郎です。電話は090-1234-5678、住所は神戸市中央区加納町6-5-1"
    _new, replies, _commands = step(state, Text(text), ctx)
    shown = "\n".join(r.text for r in replies) + "".join(
        c.label + c.shown for r in replies for c in r.choices
    )
    for piece in ("山田", "090", "1234", "5678", "加納町"):
        assert piece not in shown


class _SeatsFlow:
    """A stand-in for a later issue's flow (event seats)."""

    name = "events"
    steps = ("list",)
    pending_steps: frozenset[str] = frozenset()

    def menu_label(self):
        return "セミナーを探す"

    def start(self, ctx, params):
        return Turn(DialogueState("events", "list"), [Reply("開催予定のセミナーです。")])

    def handle(self, state, event, ctx):
        return Turn(state, [Reply("開催予定のセミナーです。")], misunderstood=True)


def test_a_new_flow_plugs_in_through_the_registry():
    registry = build_registry(_SeatsFlow())
    ctx = kobe_ctx()
    state, replies, _ = step(DialogueState(), Postback("action=menu"), ctx, registry=registry)
    assert "セミナーを探す" in [c.label for c in replies[-1].choices]
    state, replies, _ = step(state, Postback("action=events"), ctx, registry=registry)
    assert (state.flow, state.step) == ("events", "list")
    assert_valid(replies)
    state, replies, _ = step(state, Text("最初に戻る"), ctx, registry=registry)
    assert state == DialogueState()
