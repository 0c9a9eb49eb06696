"""Suggestions read well: they start where the item is introduced and carry a proposed title."""

from __future__ import annotations

import pytest

from media.mentions.matching import Mention, TimedSentence, TimedWord
from media.mentions.suggestions import suggest_clips
from media.mentions.titles import key_facts, proposed_title


def said(texts: list[str], length: float = 4.0, pause: float = 3.0) -> list[TimedSentence]:
    """One sentence per text, ``length`` seconds each, ``pause`` apart."""
    sentences = []
    for index, text in enumerate(texts):
        start = index * (length + pause)
        word = TimedWord(start, start + length, text)
        sentences.append(TimedSentence(index, start, start + length, (word,)))
    return sentences


def named(item_id: int, sentence: TimedSentence) -> Mention:
    return Mention(item_id, sentence.index, sentence.start, sentence.start + 1.0, "x", "x", "exact")


@pytest.mark.parametrize("connective", ["然后我们再看", "所以说", "So anyway", "and then"])
def test_suggestion_skips_leading_sentences_that_continue_a_thought(connective):
    texts = ["话"] * 14
    texts[9], texts[10] = "好的", connective
    sentences = said(texts)

    [clip] = suggest_clips(sentences, [named(1, sentences[n]) for n in (11, 13)])

    assert clip.first_sentence == 11  # where the item is named, after the connective
    assert clip.start == sentences[11].start


def test_suggestion_keeps_a_plain_opening_sentence():
    sentences = said(["话"] * 14)

    [clip] = suggest_clips(sentences, [named(1, sentences[n]) for n in (11, 13)])

    assert clip.first_sentence == 10  # the item is named 7 s in: a lead-in, not mid-thought


def test_suggestion_starts_at_the_naming_sentence_a_few_seconds_in():
    sentences = said(["话"] * 14, length=4.0, pause=1.0)

    [clip] = suggest_clips(sentences, [named(1, sentences[n]) for n in (11, 13)], min_s=10)

    assert clip.first_sentence == 11


@pytest.mark.parametrize(
    ("texts", "title"),
    [
        (["然后这手镯, 1280 元", "圈口 56, 有 NGTC 证书"], "冰种手镯 · 1280元 · 圈口56 · 带证书"),
        (["这只一千二百块", "18mm 的"], "冰种手镯 · 一千二百块 · 18mm"),
        (["一块翡翠", "1号链接"], "冰种手镯"),
        (["￥ 980 就可以"], "冰种手镯 · ￥980"),
    ],
)
def test_proposed_title_names_the_item_and_the_facts_said(texts, title):
    assert proposed_title("冰种手镯", texts) == title


def test_english_facts_keep_english_words():
    texts = ["This bangle is 58 mm wide", "only $ 199, certified by NGTC"]
    assert key_facts(texts) == ["$199", "58 mm", "certified"]
    assert proposed_title("Jade bangle", texts) == "Jade bangle · $199 · 58 mm · certified"


def test_proposed_title_is_cut_to_the_title_limit():
    assert len(proposed_title("手" * 250, ["1280元"])) == 200
