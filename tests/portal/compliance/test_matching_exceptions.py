"""Exceptions of a banned term: ordinary words holding it (最后 for 最) are not hits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.claims.matching import Term, TimedCue, find_hits

ZUI = Term(1, "absolute", "最", ("最后", "最近", "最初", "最终"))
DIYI = Term(2, "absolute", "第一", ("第一次", "第一件"))
LOWEST = Term(3, "price", "最低价")
JIAWO = Term(4, "contact", "加我", ("参加我",))
HAHA = Term(5, "absolute", "哈", ("哈哈",))
NUMBER_ONE = Term(6, "absolute", "number one", ("item number one",))
TERMS = [ZUI, DIYI, LOWEST, JIAWO, HAHA, NUMBER_ONE]


def _found(text, terms=TERMS):
    hits = find_hits([TimedCue(0.0, 10.0, text, 0)], terms, items_certified=False)
    return [(hit.term, hit.matched_text, hit.span[0]) for hit in hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("最后大家看这只手镯", [], id="finally"),
        pytest.param("最近很多人问，最初和最终的价格", [], id="recently, at first, in the end"),
        pytest.param("这是最好的手镯", [("最", "最", 2)], id="a claim still hits"),
        pytest.param("最後說一下", [], id="Traditional exception"),
        pytest.param("ＶＸ最　後", [], id="full-width space inside the exception"),
        pytest.param("最，后一件", [], id="punctuation inside the exception"),
        pytest.param("最-好的", [("最", "最", 0)], id="a gap does not make a claim an exception"),
        pytest.param("最后这只是最好的", [("最", "最", 5)], id="exception next to a claim"),
        pytest.param("最最后", [("最", "最", 0)], id="the term just before its exception"),
        pytest.param("最后一批最低价", [("最低价", "最低价", 4)], id="longer claim after it"),
        pytest.param("最后最近最好", [("最", "最", 4)], id="exceptions side by side"),
        pytest.param("第一次来直播间，第一件看手镯", [], id="ordinal 第一"),
        pytest.param("品质第一，第一次见", [("第一", "第一", 2)], id="第一 claim beside ordinal"),
        pytest.param("欢迎参加我们的抽奖", [], id="participate"),
        pytest.param("参加我们，加我私聊", [("加我", "加我", 5)], id="参加我 beside 加我"),
        pytest.param("哈哈哈", [], id="overlapping exception matches"),
        pytest.param("哈", [("哈", "哈", 0)], id="the term alone"),
        pytest.param("ITEM ＮＵＭＢＥＲ-One", [], id="Latin exception folded"),
        pytest.param(
            "number one seller", [("number one", "number one", 0)], id="Latin claim still hits"
        ),
    ],
)
def test_hits_inside_an_exception_word_are_dropped(text, expected):
    assert _found(text) == expected


def test_exceptions_belong_to_their_own_term_only():
    other = Term(7, "price", "最后", ())

    assert _found("最后一批", [ZUI, other]) == [("最后", "最后", 0)]


def test_a_word_holding_an_exception_in_a_longer_term_still_hits():
    late = Term(8, "price", "最后一天特价")

    assert _found("最后一天特价", [ZUI, late]) == [("最后一天特价", "最后一天特价", 0)]


ALPHABET = "最后近好第一次件的价低加我参哈 ，。後-"
EXCEPTION_PARTS = st.text(alphabet="后近次件参我们哈", max_size=2)


@st.composite
def _term_with_exception(draw):
    term = draw(st.sampled_from([t for t in TERMS if t is not NUMBER_ONE]))
    exception = draw(EXCEPTION_PARTS) + term.term + draw(EXCEPTION_PARTS)
    return Term(term.id, term.category, term.term), exception


def _with(term, exceptions):
    return [Term(term.id, term.category, term.term, tuple(exceptions))] + [
        t for t in TERMS if t.id != term.id
    ]


def _plain(term):
    return _with(term, ())


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=20), pair=_term_with_exception())
def test_adding_an_exception_never_adds_hits(text, pair):
    term, exception = pair

    before = set(_found(text, _plain(term)))
    after = set(_found(text, _with(term, [exception])))

    assert after <= before
    if not _found(text, [Term(99, "absolute", exception)]):
        assert after == before  # no exception word in the text: the same hits as before
