"""What the index compares: normalised content words, folded across width and kana."""

from __future__ import annotations

from secondcareer.messaging.faq import retrieval
from secondcareer.messaging.faq.retrieval import analyse, tokenize


def test_tokenisation_folds_width_and_kana() -> None:
    assert tokenize("ｽﾏﾎ") == tokenize("スマホ") == ["すまほ"]
    assert tokenize("ＬＩＮＥ") == tokenize("line") == tokenize("LINE")
    assert tokenize("１時間") == tokenize("1時間")


def test_words_are_reduced_to_their_normalised_form() -> None:
    assert "貰う" in tokenize("年金もらってても働いていいの？")
    assert "働く" in tokenize("年金もらってても働いていいの？")
    assert "年金" in tokenize("ねんきんもらってもはたらけますか")


def test_particles_auxiliaries_and_punctuation_are_dropped() -> None:
    words = tokenize("予約を、キャンセルしたいです！")
    assert words == ["予約", "きゃんせる"]


def test_a_compound_also_yields_its_parts() -> None:
    assert tokenize("在職老齢年金") == ["在職老齢年金", "在職", "老齢", "年金"]


def test_readings_let_a_kana_only_question_meet_its_kanji_form() -> None:
    kana = set(analyse("りれきしょ").readings)
    kanji = set(analyse("履歴書").readings)
    assert kana == kanji == {"りれ", "れき", "きし", "しょ"}


def test_the_tokenizer_is_created_once_per_process() -> None:
    tokenize("最初の呼び出し")
    first = retrieval._Sudachi._tokenizer
    tokenize("二回目の呼び出し")
    assert first is not None and retrieval._Sudachi._tokenizer is first
