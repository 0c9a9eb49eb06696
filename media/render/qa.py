"""The QA checks of a rendered clip: what ffmpeg's detect filters find, and checks on its cues.

One ffmpeg pass decodes the rendered file once (the picture scaled down, which the detectors do
not need) through ``blackdetect`` and ``freezedetect``, and its sound through ``silencedetect``
and ``ebur128``; the filters' reports on stderr are parsed here. The other checks need no
decoding: a cut inside a word (the range edges against the recognised words' times) and burned
text outside the safe area (the subtitle layout the renderer uses). A finding is a plain dict
(stored as JSON): ``check``, ``start_s``, ``end_s`` (seconds into the clip) and ``detail``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
from fontTools.ttLib import TTCollection, TTFont

from media.ffmpeg import DEFAULT_TIMEOUT_S, FfmpegError, input_file, run
from media.render.profiles import Cue
from media.render.subtitles import (
    MAX_LINES,
    SubtitleLayout,
    char_width_em,
    layout_cues,
    text_width_em,
)

BLACK_MIN_S = 0.5  # shorter dips are cuts or transitions
FREEZE_MIN_S = 2.0  # a still product shot for a second is normal
SILENCE_MIN_S = 1.0
SILENCE_NOISE_DB = -50
LOUDNESS_TOLERANCE_LU = 2.0
WORD_EDGE_MS = 40  # a cut this close to a word's start or end does not clip it audibly
SCALED_WIDTH_PX = 160
# Every check a report covers, in the order it is listed.
CHECKS = ("black", "freeze", "silence", "loudness", "word_cut", "safe_area", "banned_word")
_NUMBER = r"(-?\d+(?:\.\d+)?)"
_BLACK = re.compile(rf"black_start:\s*{_NUMBER}\s+black_end:\s*{_NUMBER}")
_EVENT = re.compile(rf"\b(?:lavfi\.freezedetect\.)?(freeze|silence)_(start|end):\s*{_NUMBER}")
_INTEGRATED = re.compile(rf"\bI:\s+{_NUMBER}\s+LUFS")
_TAIL_LINES = 400  # room for many findings and ebur128's summary


@dataclass(frozen=True)
class Range:
    """A kept range of the recording, in milliseconds."""

    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class TimedWord:
    """A recognised word of the recording, in milliseconds."""

    start_ms: int
    end_ms: int
    text: str


def finding(
    check: str, start_s: float | None, end_s: float | None = None, detail: str = ""
) -> dict:
    """Return one finding as it is stored (times rounded to a tenth of a millisecond).

    ``start_s`` is ``None`` for a finding about the whole clip or a text shown beside it.
    """
    return {
        "check": check,
        "start_s": None if start_s is None else round(start_s, 4),
        "end_s": None if end_s is None else round(end_s, 4),
        "detail": detail,
    }


def parse_black(stderr: str) -> list[dict]:
    """The black stretches ``blackdetect`` reported."""
    return [finding("black", float(start), float(end)) for start, end in _BLACK.findall(stderr)]


def parse_events(stderr: str, kind: str, duration_s: float) -> list[dict]:
    """The ``freeze`` or ``silence`` stretches reported; one still open ends with the file."""
    found, start = [], None
    for event_kind, edge, value in _EVENT.findall(stderr):
        if event_kind != kind:
            continue
        if edge == "start":
            start = float(value)
        elif start is not None:
            found.append(finding(kind, start, float(value)))
            start = None
    if start is not None and duration_s - start > 0:
        found.append(finding(kind, start, duration_s))
    return found


def parse_integrated_lufs(stderr: str) -> float | None:
    """The integrated loudness of ``ebur128``'s closing summary, if it printed one."""
    summary = stderr[stderr.rfind("Summary:") :] if "Summary:" in stderr else ""
    match = _INTEGRATED.search(summary)
    return float(match.group(1)) if match else None


def loudness_findings(measured_lufs: float | None, target_lufs: float | None) -> list[dict]:
    """A finding when the clip's loudness is further than the tolerance from the target."""
    if target_lufs is None or measured_lufs is None:
        return []
    if abs(measured_lufs - target_lufs) <= LOUDNESS_TOLERANCE_LU:
        return []
    return [finding("loudness", None, None, f"{measured_lufs:.1f}/{target_lufs:.1f}")]


def detector_findings(stderr: str, duration_s: float, target_lufs: float | None) -> list[dict]:
    """Every finding of the detect pass's report, by check: black, frozen, silent, loudness."""
    black = parse_black(stderr)
    frozen = [f for f in parse_events(stderr, "freeze", duration_s) if not _inside(f, black)]
    return [
        *black,
        *(f for f in frozen if f["end_s"] - f["start_s"] >= FREEZE_MIN_S),
        *parse_events(stderr, "silence", duration_s),
        *loudness_findings(parse_integrated_lufs(stderr), target_lufs),
    ]


def _inside(found: dict, stretches: Iterable[dict]) -> bool:
    """Tell whether ``found`` lies within one of ``stretches`` (a black screen is still too)."""
    return any(
        s["start_s"] - 0.05 <= found["start_s"] and found["end_s"] <= s["end_s"] + 0.05
        for s in stretches
    )


def word_cut_findings(ranges: Sequence[Range], words: Iterable[TimedWord]) -> list[dict]:
    """A finding for each range edge that falls inside a word, timed in the clip.

    A clip plays its ranges one after another, so an edge's time in the clip is the length of
    the ranges before it (plus its own, for an end).
    """
    words = list(words)
    found, offset_ms = [], 0
    for kept in ranges:
        length_ms = kept.end_ms - kept.start_ms
        for edge_ms, at_ms in ((kept.start_ms, offset_ms), (kept.end_ms, offset_ms + length_ms)):
            cut = _word_at(edge_ms, words)
            if cut is not None:
                found.append(finding("word_cut", at_ms / 1000, None, cut.text))
        offset_ms += length_ms
    return found


def _word_at(edge_ms: int, words: Iterable[TimedWord]) -> TimedWord | None:
    return next(
        (w for w in words if w.start_ms + WORD_EDGE_MS < edge_ms < w.end_ms - WORD_EDGE_MS),
        None,
    )


def safe_area_findings(
    cues: Iterable[Cue], layout: SubtitleLayout, measure: Callable[[str], float] = text_width_em
) -> list[dict]:
    """A finding for each burned line that reaches outside the frame's safe area.

    The safe area is the frame less the layout's side margins; text is laid out as the renderer
    lays it out (at most ``MAX_LINES`` lines above the bottom margin kept for a feed's controls),
    from estimated widths. ``measure`` gives a line's real width in ems (``font_measure``): where
    the estimate was short (wide capitals), the drawn line overflows.
    """
    safe_width_px = layout.width - 2 * layout.margin_h_px
    found = []
    for cue in layout_cues(cues, layout.max_line_em):
        lines = cue.text.split("\n")
        widest = max(measure(line) for line in lines) * layout.em_px + 2 * layout.outline_px
        if widest > safe_width_px or len(lines) > MAX_LINES:
            found.append(finding("safe_area", cue.start_s, cue.end_s, cue.text.replace("\n", " ")))
    return found


def font_measure(font_file: Path, family: str) -> Callable[[str], float]:
    """Return a function giving a text's advance width in ems in the font that burns it.

    Characters the font lacks count as the estimate does. Raise ``OSError`` or ``TTLibError``
    when the file cannot be read.
    """
    if font_file.suffix.lower() in {".ttc", ".otc"}:
        faces = list(TTCollection(str(font_file), lazy=True).fonts)
        font = next((f for f in faces if f["name"].getBestFamilyName() == family), faces[0])
    else:
        font = TTFont(str(font_file), lazy=True)
    cmap, advances = font.getBestCmap(), font["hmtx"]
    units = font["head"].unitsPerEm

    def measure(text: str) -> float:
        return sum(
            advances[cmap[ord(c)]][0] / units if ord(c) in cmap else char_width_em(c) for c in text
        )

    return measure


def detect_command(video: Path) -> ffmpeg.nodes.OutputStream:
    """The one-pass detect graph: picture and sound of ``video`` into the null muxer."""
    source = input_file(video)
    picture = (
        source.video.filter("scale", SCALED_WIDTH_PX, -2)
        .filter("blackdetect", d=BLACK_MIN_S, pix_th=0.1)
        .filter("freezedetect", n=0.003, d=1)
    )
    sound = source.audio.filter("silencedetect", n=f"{SILENCE_NOISE_DB}dB", d=SILENCE_MIN_S).filter(
        "ebur128", framelog="verbose"
    )
    return ffmpeg.output(picture, sound, "-", f="null").global_args("-loglevel", "info")


def run_detectors(
    video: Path,
    duration_s: float,
    *,
    target_lufs: float | None,
    ffmpeg_bin: str,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> list[dict]:
    """Decode ``video`` once through the detect filters and return what they found.

    Raise ``FfmpegError`` when ffmpeg fails or the loudness summary is missing.
    """
    result = run(
        detect_command(video),
        ffmpeg_bin=ffmpeg_bin,
        duration_s=duration_s,
        timeout_s=timeout_s,
        tail_lines=_TAIL_LINES,
    )
    if target_lufs is not None and parse_integrated_lufs(result.stderr_tail) is None:
        raise FfmpegError("ebur128 did not report the integrated loudness", result.stderr_tail)
    return detector_findings(result.stderr_tail, duration_s, target_lufs)
