"""media.transcripts.sentences: recognised words become sentences at ends, pauses and limits."""

from __future__ import annotations

import pytest

from media.transcription.engine import Segment, Word
from media.transcripts.sentences import HARD_LIMIT_S, PAUSE_S, SOFT_LIMIT_S, split_sentences


def words_at(*timed: tuple[float, float, str]) -> tuple[Word, ...]:
    return tuple(Word(start=s, end=e, text=t, probability=0.9) for s, e, t in timed)


def segment(*timed: tuple[float, float, str]) -> Segment:
    words = words_at(*timed)
    return Segment(
        start=words[0].start,
        end=words[-1].end,
        text="".join(w.text for w in words).strip(),
        words=words,
    )


def evenly(texts: list[str], start: float = 0.0, step: float = 1.0) -> Segment:
    """One word per ``step`` seconds, each lasting 0.9 of it (no pauses)."""
    return segment(
        *[
            (round(start + i * step, 3), round(start + i * step + 0.9 * step, 3), t)
            for i, t in enumerate(texts)
        ]
    )


def texts(sentences) -> list[str]:
    return [s.text for s in sentences]


def test_english_sentences_end_at_punctuation_with_times():
    found = split_sentences(
        [
            segment(
                (0.0, 0.4, " Welcome"), (0.4, 0.6, " to"), (0.6, 0.8, " the"), (0.8, 1.1, " jade"),
                (1.1, 1.4, " stream."), (1.5, 1.7, " Is"), (1.7, 1.9, " it"),
                (1.9, 2.3, " real?"), (2.4, 2.6, " Yes!"), (2.7, 3.0, " Good"),
            )
        ]
    )  # fmt: skip
    assert texts(found) == ["Welcome to the jade stream.", "Is it real?", "Yes!", "Good"]
    assert [(s.start, s.end) for s in found] == [(0.0, 1.4), (1.5, 2.3), (2.4, 2.6), (2.7, 3.0)]
    assert [len(s.words) for s in found] == [5, 3, 1, 1]


def test_chinese_punctuation_ends_sentences_and_text_has_no_spaces():
    found = split_sentences(
        [
            segment(
                (0.0, 0.3, "这款"), (0.3, 0.7, "翡翠"), (0.7, 1.0, "手镯"), (1.0, 1.3, "很好。"),
                (1.4, 1.8, "和田玉"), (1.8, 2.1, "吊坠"), (2.1, 2.3, "？"),
                (2.4, 2.7, "太美了"), (2.7, 2.8, "！"), (2.9, 3.2, "第一"), (3.2, 3.4, "；"),
                (3.5, 3.8, "还有"), (3.8, 4.0, "…"), (4.1, 4.5, "下单"),
            )
        ]
    )  # fmt: skip
    assert texts(found) == [
        "这款翡翠手镯很好。", "和田玉吊坠？", "太美了！", "第一；", "还有…", "下单",
    ]  # fmt: skip


def test_chinese_comma_does_not_end_a_short_sentence():
    found = split_sentences(
        [segment((0.0, 0.5, "冰种，"), (0.5, 1.0, "水头好、"), (1.0, 1.5, "便宜。"))]
    )
    assert texts(found) == ["冰种，水头好、便宜。"]


@pytest.mark.parametrize(
    ("gap_end", "next_start", "splits"),
    [
        (1.0, 1.79, False),  # 790 ms: one sentence
        (1.0, 1.8, True),  # exactly 800 ms
        (2.0, 2.8, True),  # exactly 800 ms, where 2.8 - 2.0 < 0.8 in floating point
        (5.0, 5.8, True),
        (2.5, 3.3, True),
        (2.0, 4.5, True),
    ],
)
def test_pause_of_at_least_800_ms_ends_a_sentence(gap_end, next_start, splits):
    assert PAUSE_S == 0.8
    found = split_sentences(
        [segment((0.0, gap_end, " so"), (next_start, next_start + 0.5, " then"))]
    )
    assert texts(found) == (["so", "then"] if splits else ["so then"])


def test_long_sentence_breaks_at_a_comma_after_the_soft_limit():
    assert SOFT_LIMIT_S == 12.0
    words = [f" w{i}" for i in range(16)]
    words[5] = " early,"  # before the soft limit: no break
    words[13] = " late,"  # ends at 13.9 s: break
    found = split_sentences([evenly(words)])
    assert len(found) == 2
    assert found[0].text.endswith("late,")
    assert "early," in found[0].text
    assert found[0].end == 13.9
    assert found[1].start == 14.0
    assert found[1].text == "w14 w15"


@pytest.mark.parametrize("start", [0.0, 4.025])  # 16.025 - 4.025 < 12.0 in floating point
def test_comma_ending_exactly_at_the_soft_limit_breaks(start):
    found = split_sentences(
        [
            segment(
                (start, round(start + 11.0, 3), " long"),
                (round(start + 11.0, 3), round(start + 12.0, 3), " part,"),
                (round(start + 12.0, 3), round(start + 12.5, 3), " rest"),
            )
        ]
    )
    assert texts(found) == ["long part,", "rest"]


def test_comma_before_the_soft_limit_does_not_break():
    found = split_sentences(
        [segment((0.0, 11.0, " long"), (11.0, 11.999, " part,"), (12.0, 12.5, " rest"))]
    )
    assert texts(found) == ["long part, rest"]


def test_sentence_without_any_break_is_cut_by_the_word_reaching_the_hard_limit():
    assert HARD_LIMIT_S == 20.0
    found = split_sentences([evenly([f" w{i}" for i in range(45)])])
    # Word i lasts from i to i + 0.9 s: word 20 is the first to reach 20 s from the start.
    assert [len(s.words) for s in found] == [21, 21, 3]
    assert [(s.start, s.end) for s in found] == [(0.0, 20.9), (21.0, 41.9), (42.0, 44.9)]
    assert [w.text for s in found for w in s.words] == [f" w{i}" for i in range(45)]


@pytest.mark.parametrize("start", [0.0, 12.047])  # 32.047 - 12.047 < 20.0 in floating point
def test_word_ending_exactly_at_the_hard_limit_cuts(start):
    found = split_sentences(
        [
            segment(
                (start, round(start + 10.0, 3), " one"),
                (round(start + 10.0, 3), round(start + 20.0, 3), " two"),
                (round(start + 20.0, 3), round(start + 20.5, 3), " three"),
            )
        ]
    )
    assert texts(found) == ["one two", "three"]


def test_segments_keep_time_order_blank_words_are_dropped_and_no_sentence_spans_segments():
    first = segment((0.0, 0.5, " Hello"), (0.5, 0.6, "  "), (0.6, 1.0, " there"))
    second = segment((1.1, 1.5, " and"), (1.5, 2.0, " welcome."))
    empty = Segment(start=3.0, end=3.5, text="", words=())
    found = split_sentences([first, empty, second])
    assert texts(found) == ["Hello there", "and welcome."]
    assert [w.text for w in found[0].words] == [" Hello", " there"]
    starts = [s.start for s in found]
    assert starts == sorted(starts)


def test_nothing_recognised_gives_no_sentences():
    assert split_sentences([]) == []
    assert split_sentences([Segment(0.0, 1.0, "", words_at((0.0, 1.0, " ")))]) == []
