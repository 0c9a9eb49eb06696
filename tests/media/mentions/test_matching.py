"""Matching catalog terms in timed transcripts: exact, pinyin, fuzzy, overlaps, times."""

from __future__ import annotations

import pytest

from media.mentions.matching import (
    CatalogTerm,
    TimedSentence,
    TimedWord,
    find_mentions,
    normalise,
    normalise_with_offsets,
    terms_for,
)


def sentence(index: int, start: float, words: list[str], step: float = 0.5) -> TimedSentence:
    """Build a sentence whose words each last ``step`` seconds, back to back."""
    timed = tuple(
        TimedWord(start + n * step, start + (n + 1) * step, text) for n, text in enumerate(words)
    )
    return TimedSentence(index, start, start + len(words) * step, timed)


def test_normalise_folds_width_case_script_and_punctuation():
    assert normalise("Ｊａｄｅｉｔｅ, 翡翠手鐲！") == "jadeite翡翠手镯"


def test_normalise_with_offsets_maps_back_to_original_characters():
    found = normalise_with_offsets("a, 翡翠")
    assert found.text == "a翡翠"
    assert found.offsets == (0, 3, 4)
    assert found.breaks == (False, True, False)


def test_terms_for_skips_empty_and_repeated_names():
    terms = terms_for(7, ["翡翠手镯", " 翡翠手鐲 ", "", "Jadeite Bangle", "jadeite  bangle"])
    assert terms == (CatalogTerm(7, "翡翠手镯"), CatalogTerm(7, "Jadeite Bangle"))


def test_exact_chinese_match_takes_times_from_covering_words():
    transcript = [sentence(0, 10.0, ["大家", "看", "这个", "翡翠", "手", "镯", "很", "漂亮"])]
    [mention] = find_mentions(transcript, terms_for(1, ["翡翠手镯"]))
    assert mention.kind == "exact"
    assert mention.matched_text == "翡翠手镯"
    assert (mention.start, mention.end) == (11.5, 13.0)
    assert (mention.item_id, mention.sentence_index, mention.term) == (1, 0, "翡翠手镯")


@pytest.mark.parametrize(
    ("heard", "term", "matched"),
    [
        (["这个", "非", "翠", "手", "镯"], "翡翠手镯", "非翠手镯"),
        (["和", "田", "预", "的", "吊坠"], "和田玉", "和田预"),
        (["冰", "中", "很", "好"], "冰种", "冰中"),
    ],
)
def test_homophone_errors_match_by_pinyin(heard, term, matched):
    [mention] = find_mentions([sentence(3, 0.0, heard)], terms_for(1, [term]))
    assert (mention.kind, mention.matched_text, mention.term) == ("pinyin", matched, term)


def test_pinyin_match_tries_the_terms_other_readings():
    # 和 also reads huo, so 活田玉 (huo tian yu) is heard as 和田玉.
    [mention] = find_mentions([sentence(0, 0.0, ["活", "田", "玉"])], terms_for(1, ["和田玉"]))
    assert (mention.kind, mention.matched_text) == ("pinyin", "活田玉")


def test_pinyin_match_does_not_straddle_syllables():
    # "xi an" must not match 先 (xian): syllables are compared whole, per character.
    transcript = [sentence(0, 0.0, ["我们", "先", "看"]), sentence(1, 5.0, ["西", "安", "的"])]
    mentions = find_mentions(transcript, terms_for(1, ["西安"]))
    assert [(m.sentence_index, m.kind) for m in mentions] == [(1, "exact")]


def test_traditional_transcript_matches_simplified_term():
    [mention] = find_mentions([sentence(0, 0.0, ["翡翠", "手鐲"])], terms_for(1, ["翡翠手镯"]))
    assert (mention.kind, mention.matched_text) == ("exact", "翡翠手鐲")


def test_fuzzy_latin_match_with_word_times():
    words = [" This", " jadite", " bangle", " is", " lovely", "."]
    [mention] = find_mentions([sentence(0, 2.0, words)], terms_for(4, ["jadeite bangle"]))
    assert (mention.kind, mention.matched_text) == ("fuzzy", "jadite bangle")
    assert (mention.start, mention.end) == (2.5, 3.5)


def test_latin_match_ignores_spacing_and_case():
    words = [" The", " He", " Tian", " jade", " pendant", "."]
    [mention] = find_mentions([sentence(0, 0.0, words)], terms_for(2, ["hetian jade pendant"]))
    assert mention.matched_text == "He Tian jade pendant"


def test_latin_match_survives_a_split_word():
    words = [" our", " fresh", " water", " pearl", " necklace", "."]
    terms = terms_for(3, ["freshwater pearl necklace"])
    [mention] = find_mentions([sentence(0, 0.0, words)], terms)
    assert mention.matched_text == "fresh water pearl necklace"


def test_latin_term_inside_chinese_speech():
    words = ["这个", " jadeite", " bangle", "很", "好"]
    [mention] = find_mentions([sentence(0, 0.0, words)], terms_for(4, ["Jadeite Bangle"]))
    assert (mention.kind, mention.matched_text) == ("exact", "jadeite bangle")
    assert (mention.start, mention.end) == (0.5, 1.5)


def test_empty_inputs_give_no_mentions():
    assert find_mentions([], terms_for(1, ["翡翠手镯"])) == []
    assert find_mentions([sentence(0, 0.0, ["翡翠"])], []) == []


def test_latin_text_below_threshold_does_not_match():
    words = [" a", " jade", " pendant", " and", " a", " bangle"]
    assert find_mentions([sentence(0, 0.0, words)], terms_for(4, ["jadeite bangle"])) == []


def test_generic_phrase_does_not_stand_for_a_name():
    # "a jade pendant" scores 86 against "hotan jade pendant" but keeps one letter of hotan.
    words = [" a", " jade", " pendant", " and", " a", " hotan", " jade", " pendant"]
    mentions = find_mentions([sentence(0, 0.0, words)], terms_for(2, ["hotan jade pendant"]))
    assert [m.matched_text for m in mentions] == ["hotan jade pendant"]


def test_a_stream_list_loosens_its_own_items_and_tightens_the_others():
    heard = [sentence(0, 0.0, [" the", " ice", " jade", " ring", " and", " a", " summer",
                               " necklace"])]  # fmt: skip
    terms = [*terms_for(1, ["icy jadeite ring"]), *terms_for(2, ["amber necklace"])]
    unlisted = find_mentions(heard, terms)  # ratio 80 and 86 against the default 85
    assert [(m.item_id, m.matched_text) for m in unlisted] == [(2, "a summer necklace")]
    listed = find_mentions(heard, terms, listed={1})
    assert [(m.item_id, m.matched_text) for m in listed] == [(1, "ice jade ring")]


def test_a_listed_name_heard_as_it_is_beats_an_unlisted_near_miss_around_it():
    heard = [sentence(0, 0.0, [" a", " second", " white", " jade", " donut", " pendant"])]
    terms = [*terms_for(1, ["white jade donut pendant"]),
             *terms_for(2, ["seed white jade donut pendant"])]  # fmt: skip
    assert [m.item_id for m in find_mentions(heard, terms)] == [2]  # 92 % alike, 3 letters more
    assert [m.item_id for m in find_mentions(heard, terms, listed={1})] == [1]


def test_a_repeated_word_of_a_name_may_be_heard_once():
    heard = [sentence(0, 0.0, [" a", " full", " green", " nephrite", " carving", " out"])]
    terms = [*terms_for(1, ["full green green nephrite carving"]),
             *terms_for(2, ["green nephrite carving"])]  # fmt: skip
    mentions = find_mentions(heard, terms)
    assert [(m.item_id, m.matched_text) for m in mentions] == [(1, "full green nephrite carving")]


def test_a_window_counts_only_the_characters_it_shares_with_its_term():
    # The fuzzy window "a seed dushan jade bangle" is longer than the exact name inside it, but
    # shares 19 characters with "carved dushan jade bangle" against the exact name's 20.
    heard = [sentence(0, 0.0, [" a", " seed", " dushan", " jade", " bangle"])]
    terms = [*terms_for(1, ["seed dushan jade bangle"]),
             *terms_for(2, ["carved dushan jade bangle"])]  # fmt: skip
    mentions = find_mentions(heard, terms)
    assert [(m.item_id, m.matched_text, m.kind) for m in mentions] == [
        (1, "seed dushan jade bangle", "exact")
    ]


def test_latin_terms_match_whole_words_only():
    words = [" bring", " the", " earring", " and", " the", " ring", " or", " rings"]
    mentions = find_mentions([sentence(0, 0.0, words)], terms_for(5, ["ring"]))
    assert [(m.matched_text, m.kind) for m in mentions] == [("ring", "exact"), ("rings", "fuzzy")]


def test_short_terms_match_only_exactly():
    transcript = [sentence(0, 0.0, ["这", "是", "预", "料", " jd", " jade"])]
    terms = terms_for(1, ["玉"]) + terms_for(2, ["jd"]) + terms_for(3, ["jt"])
    mentions = find_mentions(transcript, terms)
    assert [(m.item_id, m.matched_text) for m in mentions] == [(2, "jd")]


def test_longest_match_wins_across_items():
    transcript = [sentence(0, 0.0, ["这个", "翡翠", "手镯", "和", "那个", "手镯"])]
    terms = terms_for(1, ["翡翠手镯", "手镯"]) + terms_for(2, ["手镯"])
    mentions = find_mentions(transcript, terms)
    assert [(m.item_id, m.matched_text) for m in mentions] == [
        (1, "翡翠手镯"),
        (1, "手镯"),
        (2, "手镯"),
    ]


def test_longer_homophone_beats_shorter_exact_of_another_item():
    transcript = [sentence(0, 0.0, ["非", "翠", "手", "镯"])]
    terms = terms_for(1, ["翡翠手镯"]) + terms_for(2, ["手镯"])
    [mention] = find_mentions(transcript, terms)
    assert (mention.item_id, mention.kind) == (1, "pinyin")


def test_overlapping_terms_of_one_item_count_once():
    transcript = [sentence(0, 0.0, [" the", " jadeite", " bangle", " here"])]
    terms = terms_for(1, ["jadeite bangle", "jadeite", "bangle"])
    [mention] = find_mentions(transcript, terms)
    assert (mention.matched_text, mention.kind) == ("jadeite bangle", "exact")


def test_matches_never_cross_sentences():
    transcript = [sentence(0, 0.0, ["这个", "翡翠"]), sentence(1, 2.0, ["手镯", "好"])]
    assert find_mentions(transcript, terms_for(1, ["翡翠手镯"])) == []


def test_same_input_gives_same_mentions():
    transcript = [
        sentence(n, n * 5.0, ["非", "翠", "手", "镯", " jadite", " bangle", "和田", "玉"])
        for n in range(20)
    ]
    terms = terms_for(1, ["翡翠手镯", "jadeite bangle"]) + terms_for(2, ["和田玉", "手镯"])
    first = find_mentions(transcript, terms)
    assert first == find_mentions(list(transcript), list(reversed(terms)))
    assert len(first) == 60


def test_a_listed_chinese_name_may_be_heard_with_one_close_syllable():
    said = ["下一个宝贝是莫种琥珀戒指", "旁边这件是冰柱玛瑙挂件", "冰种翡翠手串也不错",
            "这个糯种琥珀戒指"]  # fmt: skip
    heard = [sentence(n, n * 5.0, list(text)) for n, text in enumerate(said)]
    terms = [*terms_for(1, ["糯种琥珀戒指"]), *terms_for(2, ["琥珀戒指"]),
             *terms_for(3, ["冰种玛瑙挂件"]), *terms_for(4, ["玛瑙挂件"]),
             *terms_for(5, ["冰种翡翠手镯"])]  # fmt: skip

    unlisted = find_mentions(heard, terms)
    listed = find_mentions(heard, terms, listed={1, 3, 5})

    # without a list too: each heard name is one syllable from one catalog name only
    assert [(m.item_id, m.matched_text) for m in unlisted] == [
        (1, "莫种琥珀戒指"), (3, "冰柱玛瑙挂件"), (1, "糯种琥珀戒指")
    ]  # fmt: skip
    # mo for nuo (one final), zhu for zhong (one initial); chuan is not zhuo (neither)
    assert [(m.item_id, m.matched_text, m.kind) for m in listed] == [
        (1, "莫种琥珀戒指", "pinyin"), (3, "冰柱玛瑙挂件", "pinyin"), (1, "糯种琥珀戒指", "exact")
    ]  # fmt: skip


def test_an_unlisted_name_heard_exactly_beats_a_listed_near_one():
    heard = [sentence(0, 0.0, list("这是碧玉手镯"))]  # bi yu, close to the listed bai yu
    terms = [*terms_for(1, ["白玉手镯"]), *terms_for(2, ["碧玉手镯"])]
    assert [m.item_id for m in find_mentions(heard, terms, listed={1})] == [2]
    assert [m.item_id for m in find_mentions(heard, terms[:1], listed={1})] == [1]


def test_a_long_listed_chinese_name_may_be_heard_with_two_close_syllables():
    said = [
        "下一个宝贝是莫种被脆平安扣",
        "这个莫种被脆扣子卖得最好",
        "冰种被脆手镯",
        "莫种被脆手镯",
    ]
    heard = [sentence(n, n * 5.0, list(text)) for n, text in enumerate(said)]
    terms = [*terms_for(1, ["糯种翡翠平安扣", "糯种翡翠扣子"]), *terms_for(2, ["冰种翡翠手镯"])]

    # without a list, one syllable only (or the two of the grade: 莫种被脆 is not)
    assert [(m.sentence_index, m.item_id) for m in find_mentions(heard, terms)] == [(2, 2)]
    # nuo → mo (one final), fei → bei (one final); 冰种翡翠手镯 is six characters too, but
    # 莫种被脆 differs from 冰种翡翠 in two syllables, one of them (mo for bing) not close
    assert [(m.sentence_index, m.item_id, m.matched_text) for m in find_mentions(
        heard, terms, listed={1, 2})] == [
        (0, 1, "莫种被脆平安扣"), (1, 1, "莫种被脆扣子"), (2, 2, "冰种被脆手镯")
    ]  # fmt: skip


def test_a_long_listed_chinese_name_may_be_heard_with_one_far_syllable_not_another_word():
    said = ["喜欢这款冰种蜉玉戒指的宝宝", "今天没有冰种碧玉戒指", "这个冰种蜉玉见面", "蜉玉项链"]
    heard = [sentence(n, n * 5.0, list(text)) for n, text in enumerate(said)]
    terms = [*terms_for(1, ["冰种岫玉戒指", "冰种岫玉戒面"]), *terms_for(2, ["碧玉项链"]),
             *terms_for(3, ["岫玉项链"])]  # fmt: skip

    # fu for xiu shares neither initial nor final, but the other five syllables are the
    # listed name's; 碧玉 is another catalog word heard as it is (a near miss, not a
    # mishearing); two misses, one of them far, are too many; four characters too few
    assert [(m.sentence_index, m.item_id, m.matched_text) for m in find_mentions(
        heard, terms, listed={1, 3})] == [(0, 1, "冰种蜉玉戒指")]  # fmt: skip
    assert [(m.sentence_index, m.item_id) for m in find_mentions(heard, terms)] == [(0, 1)]


def test_a_listed_name_is_not_heard_in_another_catalog_word_of_a_close_sound():
    heard = [sentence(0, 0.0, list("今天没有籽料碧玉挂件"))]  # bi yu, close to bai yu
    terms = [*terms_for(1, ["籽料白玉挂件"]), *terms_for(2, ["碧玉项链"])]
    assert find_mentions(heard, terms, listed={1}) == []
    assert [m.item_id for m in find_mentions(heard, terms[:1], listed={1})] == [1]


def test_without_a_list_a_chinese_name_heard_near_counts_where_no_other_name_is_as_near():
    said = [
        "接下来是冰种密纳项链",  # na for la: one syllable, no other name as near
        "这是冰种怀玉挂件",  # huai is as near to bai as to huang: neither
        "先看莫总和田玉手串",  # the grade heard near: not the plain 和田玉手串 inside it
        "每一件布种独山一链子",  # 种独 goes on from 糯种独山玉链子, misheard: no 独山玉链子
        "今天没有籽料碧玉挂件",  # another catalog word heard as it is
        # a grade heard near keeps its syllables' initials (mo/nuo, zong/zhong): xian kan
        # rhymes with tian ran, but 先看 is "first look at", not the grade 天然
        "先看岫玉吊坠,灯光下颜色很正",
        "先看冰种翡翠",  # no name after the grade
    ]
    heard = [sentence(n, n * 5.0, list(text)) for n, text in enumerate(said)]
    names = ["冰种蜜蜡项链", "冰种白玉挂件", "冰种黄玉挂件", "糯种和田玉手串", "和田玉手串",
             "独山玉链子", "糯种独山玉链子", "籽料白玉挂件", "碧玉项链", "天然岫玉吊坠",
             "岫玉吊坠"]  # fmt: skip
    terms = [term for n, name in enumerate(names, start=1) for term in terms_for(n, [name])]

    assert [(m.sentence_index, m.item_id, m.matched_text) for m in find_mentions(heard, terms)] == [
        (0, 1, "冰种密纳项链"), (2, 4, "莫总和田玉手串"), (5, 11, "岫玉吊坠")
    ]  # fmt: skip


def _words(text: str) -> list[str]:
    return [f" {word}" for word in text.split()]


EARRINGS = [*terms_for(1, ["old mine hetian jade earrings"]),
            *terms_for(2, ["seed dushan jade pixiu charm"]),
            *terms_for(3, ["full green xiuyan jade bead bracelet"])]  # fmt: skip


@pytest.mark.parametrize(
    "heard",
    [
        "do we have a old mine dushan jade earrings tonight",  # another material, said right
        "no old mine pixiu jade earrings in this show",  # another form word
        "an old mine dushan earrings maybe next week",  # a word less, another material
    ],
)
def test_a_fuzzy_match_never_holds_another_catalog_word_in_place_of_its_own(heard):
    """The words differ where the name tells its item apart, and what was heard there is
    another item's word: some other piece was named (the distractor), listed or not."""
    said = [sentence(0, 0.0, _words(heard))]
    assert find_mentions(said, EARRINGS, listed={1, 2, 3}) == []
    assert find_mentions(said, EARRINGS) == []


@pytest.mark.parametrize(
    ("heard", "matched"),
    [
        ("our full green million jade bead bracelet now", "full green million jade bead bracelet"),
        ("the full green she young jade bead bracelet", "full green she young jade bead bracelet"),
        ("an old mine lotus jade earrings", "old mine lotus jade earrings"),
    ],
)
def test_a_long_listed_name_may_lose_one_word_to_a_word_of_no_catalog_name(heard, matched):
    """Five words or more, all but one heard as said: the listed item (xiuyan heard as
    "million"); not without a list, where nothing says which piece it is."""
    said = [sentence(0, 0.0, _words(heard))]
    mentions = find_mentions(said, EARRINGS, listed={1, 3})
    assert [m.matched_text for m in mentions] == [matched]
    assert [m.item_id for m in find_mentions(said, EARRINGS, listed={2})] == []


@pytest.mark.parametrize(
    "heard",
    [
        "full green dushan jade bead bracelet",  # the lost word is another item's
        "full green million jade bead",  # two words lost
        "a million jade bead bracelet",  # a short name: too little left
    ],
)
def test_a_listed_name_losing_a_word_needs_the_rest_and_no_other_catalog_word(heard):
    said = [sentence(0, 0.0, _words(heard))]
    assert find_mentions(said, EARRINGS, listed={3}) == []
