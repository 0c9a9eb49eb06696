"""The pure term matcher: folding, gaps, word boundaries, times and satisfied claims."""

from __future__ import annotations

import pytest

from portal.claims.matching import Term, TimedCue, find_hits, fold_term

TERMS = [
    Term(1, "absolute", "最"),
    Term(2, "absolute", "第一"),
    Term(3, "absolute", "100%"),
    Term(4, "medical", "开光"),
    Term(5, "contact", "加微信"),
    Term(6, "contact", "VX"),
    Term(7, "price", "最低价"),
    Term(8, "authenticity", "天然"),
    Term(9, "authenticity", "证书"),
    Term(10, "medical", "cure"),
    Term(11, "contact", "WeChat"),
    Term(12, "absolute", "number one"),
]


def _hits(*texts, certified=False, terms=TERMS):
    cues = [TimedCue(i * 10.0, i * 10.0 + 10.0, text, i) for i, text in enumerate(texts)]
    return find_hits(cues, terms, items_certified=certified)


def _found(*texts, **options):
    return [(hit.term, hit.matched_text) for hit in _hits(*texts, **options)]


def test_chinese_absolute_claims_are_found():
    assert _found("这只手镯是我们店里最好的，品质第一") == [("最", "最"), ("第一", "第一")]


def test_spaces_and_punctuation_between_characters_are_ignored():
    assert _found("想要的加 微 信", "加-微-信", "加，微。信") == [
        ("加微信", "加 微 信"),
        ("加微信", "加-微-信"),
        ("加微信", "加，微。信"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("私信我ＶＸ１２３４５", ("VX", "ＶＸ")),
        ("加vx详聊", ("VX", "vx")),
        ("大師開光的吊墜", ("开光", "開光")),
        ("保证１００％满意", ("100%", "１００％")),
        ("保证100％满意", ("100%", "100％")),
    ],
)
def test_full_width_case_and_traditional_forms_are_folded(text, expected):
    assert _found(text) == [expected]


def test_percent_is_part_of_the_term():
    assert _found("100元包邮", "1100%") == []


def test_authenticity_claim_is_satisfied_only_when_items_are_certified():
    [uncertified] = _hits("天然翡翠，有证书", certified=False)[:1]
    hits = _hits("天然翡翠，有证书", certified=True)

    assert uncertified.satisfied is False
    assert [(h.term, h.satisfied) for h in hits] == [("天然", True), ("证书", True)]


def test_certified_items_do_not_excuse_other_claims():
    hits = _hits("天然的，全网最低价", certified=True)

    assert [(h.term, h.category, h.satisfied) for h in hits] == [
        ("天然", "authenticity", True),
        ("最低价", "price", False),
    ]


def test_hit_times_lie_inside_the_cue_and_are_ordered():
    hits = _hits("开头没问题，后面说第一", "最开始就说")

    assert [(h.term, h.cue_index) for h in hits] == [("第一", 0), ("最", 1)]
    first, second = hits
    assert 5.0 < first.start_s < 10.0  # 第一 sits near the end of cue 0 (0–10 s)
    assert second.start_s == 10.0  # 最 opens cue 1 (10–20 s)


def test_hits_from_several_cues_come_in_time_order():
    cues = [TimedCue(30.0, 32.0, "最后一件", 7), TimedCue(1.0, 3.0, "加我VX", 2)]

    hits = find_hits(cues, TERMS, items_certified=False)

    assert [(h.cue_index, h.term) for h in hits] == [(2, "VX"), (7, "最")]
    assert hits == sorted(hits, key=lambda h: h.start_s)


def test_a_term_split_across_two_cues_is_not_found():
    assert _found("喜欢的可以加微", "信聊") == []


def test_latin_terms_match_whole_words_only():
    assert _found("It is secure and curious") == []
    assert _found("A cure for everything", "Add me on We-Chat", "NUMBER  ONE seller") == [
        ("cure", "cure"),
        ("WeChat", "We-Chat"),
        ("number one", "NUMBER  ONE"),
    ]


def test_latin_term_may_touch_digits_and_chinese():
    assert _found("加VX12345", "我的vx号") == [("VX", "VX"), ("VX", "vx")]


def test_shorter_hit_inside_a_longer_one_is_dropped():
    assert _found("全网最低价") == [("最低价", "最低价")]


def test_hit_keeps_the_cue_text_around_the_match():
    [hit] = _hits("真的第一名")

    assert (hit.before, hit.matched_text, hit.after) == ("真的", "第一", "名")
    assert hit.cue_text[slice(*hit.span)] == "第一"


def test_duplicate_terms_after_folding_give_one_hit():
    terms = [Term(1, "contact", "VX"), Term(2, "contact", "ｖｘ")]

    assert [h.term_id for h in _hits("加vx", terms=terms)] == [1]


def test_fold_term_keeps_letters_digits_and_percent():
    assert fold_term(" Number-One ") == "numberone"
    assert fold_term("１００％") == "100%"
    assert fold_term("開光") == "开光"
    assert fold_term("—，。") == ""
