"""Hostile subtitle text in the SubRip and WebVTT files: every cue stays one cue, where it was.

A subtitle line is the merchant's own (a corrected cue) or the transcript's. Written as it is, a
line that looks like a timing line (``00:00:05,000 --> 00:00:09,000 加微信``) makes a player
read a cue the trainer never saw, at another time, or drop the cue it belongs to. ffprobe reads
the files as players do (ffmpeg's SubRip and WebVTT readers).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from media.subtitle_files import TimedText, srt_text, vtt_text

WRITERS = {"srt": srt_text, "vtt": vtt_text}
TIMING_LINES = [
    "00:00:05,000 --> 00:00:09,000 加微信",
    "00:00:05.000 --> 00:00:09.000",
    "5:00.000 --> 9:00.000 全网最低价",
    "-->",
    "a --> b",
    "1\n00:00:05,000 --> 00:00:09,000\n加微信",
    "好的\n\n00:00:05,000 --> 00:00:09,000\n加微信",
]


def read_cue_times(path: Path) -> list[tuple[float, float]]:
    """The cues' start and end (seconds) as ffmpeg reads the file."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_entries", "packet=pts_time,duration_time",
         str(path)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    packets = json.loads(out).get("packets", [])
    return [
        (round(float(p["pts_time"]), 3), round(float(p["pts_time"]) + float(p["duration_time"]), 3))
        for p in packets
    ]


def check_one_cue_each(cues: list[TimedText], kind: str, folder: Path) -> None:
    path = folder / f"cues.{kind}"
    path.write_text(WRITERS[kind](cues), encoding="utf-8")
    assert read_cue_times(path) == [(start / 1000, end / 1000) for start, end, _ in cues]


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("hostile", TIMING_LINES)
def test_a_line_that_looks_like_a_timing_line_stays_text_of_its_cue(tmp_path, kind, hostile):
    cues = [(0, 1000, "好的"), (1000, 2000, hostile), (2000, 3000, "圈口五十六")]
    check_one_cue_each(cues, kind, tmp_path)


line_text = st.text(alphabet="0:,.-> \n加微信ab1", min_size=1, max_size=40).filter(
    lambda t: any(c not in " \n" for c in t)
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(line_text, min_size=1, max_size=4), kind=st.sampled_from(sorted(WRITERS)))
def test_any_text_of_timing_characters_keeps_every_cue_in_place(tmp_path, texts, kind):
    cues = [(n * 1000, n * 1000 + 900, text) for n, text in enumerate(texts)]
    check_one_cue_each(cues, kind, tmp_path)
