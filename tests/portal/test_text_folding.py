"""portal.text_folding: the folding mention matching, search and compliance share."""

from portal.text_folding import fold_char, fold_text


def test_fold_char_folds_width_case_and_traditional_one_character_at_a_time():
    assert [fold_char(char) for char in "ＶＸ開光Ä"] == ["v", "x", "开", "光", "ä"]
    assert fold_char("％") == "%"
    assert fold_char("㍻") == "平成"  # NFKC may give several characters
    assert fold_char("ß") == "ss"


def test_fold_text_converts_whole_phrases():
    assert fold_text("冰種翡翠手鐲 ＪＡＤＥ") == "冰种翡翠手镯 jade"
    assert fold_text("頭髮") == "".join(fold_char(char) for char in "頭髮") == "头发"
