"""Render QA: parsing the detect filters' real reports, the cue checks, and one real render."""

import subprocess
from pathlib import Path

import pytest

from media.render import qa
from media.render.fonts import find_subtitle_font
from media.render.profiles import Cue
from media.render.subtitles import SubtitleLayout

SAMPLES = Path(__file__).parent / "qa_samples"


def _sample(name: str) -> str:
    """ffmpeg's stderr from ``qa.detect_command`` on a generated file (see the sample's name)."""
    return (SAMPLES / f"{name}.txt").read_text()


@pytest.mark.parametrize(
    ("sample", "duration_s", "expected"),
    [
        # 2 s test pattern + tone, 2 s black + silence, 2.5 s still red + tone; at -21.9 LUFS
        (
            "defect",
            6.52,
            [
                ("black", 2.0, 4.0),
                ("freeze", 4.0, 6.52),  # still until the end: the open stretch ends with the file
                ("silence", 2.0, 4.0),
                ("loudness", None, None),
            ],
        ),
        ("clean", 3.0, [("loudness", None, None)]),  # a plain sine at -21.8 LUFS
        ("quiet", 3.0, [("loudness", None, None)]),
    ],
)
def test_detect_reports_parse_into_findings(sample, duration_s, expected):
    found = qa.detector_findings(_sample(sample), duration_s, target_lufs=-16.0)
    got = [(f["check"], f["start_s"], f["end_s"]) for f in found]
    assert got == [(c, s, pytest.approx(e, abs=0.01) if e else e) for c, s, e in expected]


@pytest.mark.parametrize(
    ("sample", "lufs"), [("defect", -21.9), ("clean", -21.8), ("quiet", -41.8), ("empty", None)]
)
def test_integrated_loudness_is_read_from_the_last_summary(sample, lufs):
    text = "" if sample == "empty" else _sample(sample)
    assert qa.parse_integrated_lufs(text) == lufs


@pytest.mark.parametrize(
    ("measured", "target", "count"),
    [(-16.0, -16.0, 0), (-17.9, -16.0, 0), (-18.5, -16.0, 1), (-13.0, -16.0, 1), (-30, None, 0)],
)
def test_loudness_is_off_target_beyond_the_tolerance(measured, target, count):
    assert len(qa.loudness_findings(measured, target)) == count


def test_a_freeze_inside_a_black_stretch_is_not_reported_twice():
    stderr = (
        "[blackdetect @ 0x1] black_start:1 black_end:4 black_duration:3\n"
        "[freezedetect @ 0x2] lavfi.freezedetect.freeze_start: 1\n"
        "[freezedetect @ 0x2] lavfi.freezedetect.freeze_end: 4\n"
    )
    assert [f["check"] for f in qa.detector_findings(stderr, 10.0, None)] == ["black"]


WORDS = [
    qa.TimedWord(1000, 1400, "翡翠"),
    qa.TimedWord(1400, 2000, "手镯"),
    qa.TimedWord(5000, 5600, "便宜"),
]


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        ([(1000, 5000)], []),  # both edges between words
        ([(1020, 5010)], []),  # within the tolerance of a word's edge
        ([(1200, 5000)], [(0.0, "翡翠")]),  # starts inside 翡翠
        ([(1000, 5300)], [(4.3, "便宜")]),  # ends inside 便宜
        # two ranges: the second starts inside 手镯, 0.4 s into the clip
        ([(1000, 1400), (1700, 3000)], [(0.4, "手镯")]),
    ],
)
def test_cuts_inside_a_word_are_found_at_their_time_in_the_clip(ranges, expected):
    found = qa.word_cut_findings([qa.Range(*r) for r in ranges], WORDS)
    assert [(f["start_s"], f["detail"]) for f in found] == expected


def test_burned_text_outside_the_safe_area_is_found():
    """The renderer breaks lines to fit; a glyph wider than the safe width still spills over."""
    fits = Cue(0.0, 2.0, "这款翡翠手镯水头很好")
    assert qa.safe_area_findings([fits], SubtitleLayout.for_frame(720, 1280)) == []
    narrow = SubtitleLayout.for_frame(48, 1280)  # 44 px between the margins, 54 px a character
    found = qa.safe_area_findings([Cue(2.0, 4.0, "翡翠")], narrow)
    assert [(f["check"], f["start_s"], f["end_s"]) for f in found] == [("safe_area", 2.0, 4.0)]


def test_wide_capitals_that_the_layout_estimate_fits_overflow_in_the_real_font():
    """18 capital Ws: 11.7 em estimated (one line fits 11.9), about 16.5 em in Noto Sans CJK."""
    font = find_subtitle_font(None)
    measure = qa.font_measure(font.font_file, font.font_name)
    layout = SubtitleLayout.for_frame(720, 1280)
    wide = Cue(1.0, 3.0, "W" * 18)
    assert qa.safe_area_findings([wide], layout) == []
    found = qa.safe_area_findings([wide, Cue(3.0, 5.0, "这款翡翠手镯水头很好")], layout, measure)
    assert [(f["start_s"], f["end_s"]) for f in found] == [(1.0, 3.0)]


def test_a_render_with_black_and_silence_is_reported(tmp_path, ffmpeg_bin, render):
    """A real render (vertical, normalised) of 2 s picture, 2 s black and silence, 2 s picture."""
    source = tmp_path / "source.mp4"
    lavfi = [
        "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=2",
        "-f", "lavfi", "-i", "color=black:s=320x180:r=25:d=2",
        "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=2",
        "-f", "lavfi", "-i", "sine=f=440:d=2:r=48000",
        "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=2",
        "-f", "lavfi", "-i", "sine=f=550:d=2:r=48000",
    ]  # fmt: skip
    graph = "[0:v][3:a][1:v][4:a][2:v][5:a]concat=n=3:v=1:a=1[v][a]"
    subprocess.run(
        [ffmpeg_bin, "-v", "error", *lavfi, "-filter_complex", graph, "-map", "[v]", "-map",
         "[a]", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(source)],
        check=True, timeout=60,
    )  # fmt: skip
    result = render(source, in_s=0.0, out_s=6.0, profile="vertical", loudness_lufs=-16.0)
    found = qa.run_detectors(
        result.video_path, result.duration_s, target_lufs=-16.0, ffmpeg_bin=ffmpeg_bin
    )
    by_check = {f["check"]: f for f in found}
    assert set(by_check) == {"black", "silence"}
    assert by_check["black"]["start_s"] == pytest.approx(2.0, abs=0.1)
    assert by_check["black"]["end_s"] == pytest.approx(4.0, abs=0.1)
    assert by_check["silence"]["start_s"] == pytest.approx(2.0, abs=0.2)
