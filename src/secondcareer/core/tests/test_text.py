import pytest

from secondcareer.core.text import is_kana, normalize_text, search_key, to_katakana


def test_normalisation_folds_widths_and_collapses_spaces():
    assert normalize_text("　山田　　太郎 ") == "山田 太郎"
    assert normalize_text("ＡＢＣ１２３") == "ABC123"
    assert normalize_text("ﾔﾏﾀﾞ") == "ヤマダ"


@pytest.mark.parametrize("typed", ["やまだたろう", "ヤマダ タロウ", "ﾔﾏﾀﾞﾀﾛｳ", "ヤマダ・タロウ"])
def test_every_way_of_typing_furigana_gives_the_same_search_key(typed):
    assert search_key(typed) == "やまだたろう"


def test_furigana_is_stored_in_katakana():
    assert to_katakana("やまだ") == "ヤマダ"
    assert to_katakana("ﾔﾏﾀﾞ") == "ヤマダ"


def test_kana_check_rejects_kanji_and_latin():
    assert is_kana("ヤマダ タロウ")
    assert is_kana("ゆうこ")
    assert not is_kana("山田")
    assert not is_kana("Yamada")
    assert not is_kana("")
