"""media.transcripts.exports: SubRip, WebVTT, plain text and JSON from timed sentences."""

from __future__ import annotations

import json

import pysubs2

from media.transcripts.exports import MIME_TYPES, to_json, to_srt, to_text, to_vtt
from media.transcripts.models import Sentence


def sentence(start_ms: int, end_ms: int, text: str, edited: str | None = None) -> Sentence:
    return Sentence(start_ms=start_ms, end_ms=end_ms, text=text, edited_text=edited)


CUES = [
    sentence(0, 1500, "Welcome to the jade live stream."),
    sentence(1750, 3_723_004, "This bangle is real jade.", edited="This bangle is real jadeite."),
    sentence(3_723_100, 3_725_000, "这款翡翠手镯是冰种的。"),
]


def parsed(text: str, fmt: str) -> list[tuple[int, int, str]]:
    """Read subtitle text back as (start ms, end ms, text) cues."""
    subs = pysubs2.SSAFile.from_string(text, format_=fmt, keep_html_tags=True)
    return [(event.start, event.end, event.plaintext) for event in subs]


EXPECTED = [
    (0, 1500, "Welcome to the jade live stream."),
    (1750, 3_723_004, "This bangle is real jadeite."),
    (3_723_100, 3_725_000, "这款翡翠手镯是冰种的。"),
]


def test_srt_numbers_cues_with_comma_milliseconds_and_uses_edited_text():
    srt = to_srt(CUES)
    assert "2\n00:00:01,750 --> 01:02:03,004\nThis bangle is real jadeite.\n" in srt
    assert parsed(srt, "srt") == EXPECTED


def test_vtt_has_header_and_dot_milliseconds():
    vtt = to_vtt(CUES)
    assert vtt.startswith("WEBVTT\n\n")
    assert "00:00:01.750 --> 01:02:03.004\nThis bangle is real jadeite.\n" in vtt
    assert parsed(vtt, "vtt") == EXPECTED


def test_vtt_neutralises_arrows_and_markup_in_cue_text():
    vtt = to_vtt(
        [
            sentence(0, 1000, "price --> 100", edited="price --> 200 <b>today</b> & tomorrow"),
            sentence(1000, 2000, "a<b"),
        ]
    )
    lines = vtt.splitlines()
    timing_lines = [line for line in lines if "-->" in line]
    assert timing_lines == ["00:00:00.000 --> 00:00:01.000", "00:00:01.000 --> 00:00:02.000"]
    assert "price → 200 &lt;b&gt;today&lt;/b&gt; &amp; tomorrow" in lines
    assert "a&lt;b" in lines
    # What a WebVTT parser shows after unescaping is what the merchant wrote (arrow aside).
    assert "100" not in vtt


def test_timestamps_clamp_negative_times_to_zero():
    assert "00:00:00,000 --> 00:00:00,250" in to_srt([sentence(-40, 250, "x")])


def test_text_has_one_shown_sentence_per_line():
    assert to_text(CUES) == (
        "Welcome to the jade live stream.\nThis bangle is real jadeite.\n这款翡翠手镯是冰种的。\n"
    )
    assert to_text([]) == ""


def test_json_carries_header_fields_seconds_and_unescaped_chinese():
    body = to_json(CUES, recording=7, title="直播", language="zh", hotwords="翡翠手镯")
    assert "翡翠手镯是冰种的" in body  # not \\u escapes
    document = json.loads(body)
    assert {k: document[k] for k in ("recording", "title", "language", "hotwords")} == {
        "recording": 7,
        "title": "直播",
        "language": "zh",
        "hotwords": "翡翠手镯",
    }
    assert document["sentences"] == [
        {"start": 0.0, "end": 1.5, "text": "Welcome to the jade live stream."},
        {"start": 1.75, "end": 3723.004, "text": "This bangle is real jadeite."},
        {"start": 3723.1, "end": 3725.0, "text": "这款翡翠手镯是冰种的。"},
    ]


def test_empty_transcript_exports_are_well_formed():
    assert to_srt([]) == ""
    assert to_vtt([]).strip() == "WEBVTT"
    assert json.loads(to_json([]))["sentences"] == []


def test_backslash_escapes_in_text_stay_literal():
    srt = to_srt([sentence(0, 1000, "a\\Nb c\\d")])
    assert parsed(srt, "srt") == [(0, 1000, "a＼Nb c\\d")]


def test_mime_types_per_format():
    assert MIME_TYPES == {
        "srt": "application/x-subrip",
        "vtt": "text/vtt",
        "txt": "text/plain",
        "json": "application/json",
    }
