"""The clip's sound: measure a cut with EBU R128 (``ebur128``), normalise it with ``loudnorm``.

``encode_audio`` writes the cut's sound alone (AAC in an ``.m4a``), so the renderer can encode it
in an ffmpeg process of its own beside the picture's. Normalising takes two passes: an
audio-only pass measures the cut with ``ebur128`` (the EBU R128 figures loudnorm's own first
pass prints, at a fifth of its cost), then the encode gives loudnorm the measured values, so it
normalises linearly where the true-peak ceiling allows and falls back to its dynamic mode where
it does not (or when the measured range is zero, as for a pure tone). The written audio is
measured again, so a render reports the loudness it delivers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from media.ffmpeg import (
    DEFAULT_TIMEOUT_S,
    FfmpegError,
    ProgressCallback,
    input_file,
    run,
    run_to_file,
)
from media.render.joins import Ranges, source_audio

AUDIO_RATE_HZ = 48000
AUDIO_BITRATE = "128k"
AUDIO_OPTIONS = {
    "acodec": "aac",
    "aac_coder": "fast",  # a third of the default coder's time; transparent enough for speech
    "b:a": AUDIO_BITRATE,
    "ar": AUDIO_RATE_HZ,
    "map_metadata": -1,
    "f": "mp4",
}
TRUE_PEAK_DBTP = -1.5
LOUDNESS_RANGE_LU = 11.0
_SILENT_LUFS = -70.0  # below the EBU R128 absolute gate: nothing to normalise
_NUMBER = r"(-?(?:\d+(?:\.\d+)?|inf))"
_LUFS_LINE = re.compile(rf"\bI:\s+{_NUMBER}\s+LUFS")
_SUMMARY = {  # ebur128's closing summary; the first Threshold is the integrated one
    "i": _LUFS_LINE,
    "thresh": re.compile(rf"Threshold:\s+{_NUMBER}\s+LUFS"),
    "lra": re.compile(rf"LRA:\s+{_NUMBER}\s+LU\b"),
    "tp": re.compile(rf"Peak:\s+{_NUMBER}\s+dBFS"),
}


@dataclass(frozen=True)
class LoudnessMeasurement:
    """The cut's EBU R128 figures, fed to loudnorm as its first-pass measurement."""

    input_i: float  # integrated loudness, LUFS
    input_tp: float  # true peak, dBTP
    input_lra: float  # loudness range, LU
    input_thresh: float  # relative gate of the integrated measurement, LUFS


def encode_audio(
    source: Path,
    in_s: float,
    duration_s: float,
    dest: Path,
    *,
    target_lufs: float | None,
    ffmpeg_bin: str,
    time_left: Callable[[], float],
    on_progress: ProgressCallback | None = None,
    ranges: Ranges = (),
) -> float | None:
    """Write the cut's sound to ``dest`` as stereo AAC, normalised to ``target_lufs`` if set.

    ``ranges`` (seconds from ``in_s``, lasting ``duration_s`` together): the kept ranges to join,
    when there are several (``media.render.joins``).

    Return the integrated loudness of the written audio, or ``None`` without a target.
    ``time_left`` gives each ffmpeg run its timeout (and may raise once time is up);
    ``on_progress`` is called during each run (its fractions restart per run) and may raise to
    stop the work.
    """
    measurement = None
    if target_lufs is not None:
        measurement = measure_loudness(
            source,
            in_s,
            duration_s,
            ranges=ranges,
            ffmpeg_bin=ffmpeg_bin,
            on_progress=on_progress,
            timeout_s=time_left(),
        )
    audio = source_audio(source, in_s, duration_s, ranges)
    run_to_file(
        [normalised_audio(audio, target_lufs, measurement)],
        dest,
        ffmpeg_bin=ffmpeg_bin,
        duration_s=duration_s,
        output_options=AUDIO_OPTIONS,
        on_progress=on_progress,
        timeout_s=time_left(),
    )
    if target_lufs is None:
        return None
    return measure_integrated_lufs(
        dest,
        ffmpeg_bin=ffmpeg_bin,
        duration_s=duration_s,
        on_progress=on_progress,
        timeout_s=time_left(),
    )


def measure_loudness(
    source: Path,
    in_s: float,
    duration_s: float,
    *,
    ffmpeg_bin: str,
    on_progress: ProgressCallback | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    ranges: Ranges = (),
) -> LoudnessMeasurement:
    """Measure the cut's audio (only the audio is decoded) with ffmpeg's ebur128 filter.

    This is loudnorm's first pass: ebur128 reports the same EBU R128 figures five times
    cheaper than ``loudnorm=print_format=json``, which runs its whole 192 kHz limiter to measure.
    """
    audio = cut_audio(source, in_s, duration_s, ranges).filter(
        "ebur128", peak="true", framelog="verbose"
    )
    result = run(
        null_output(audio),
        ffmpeg_bin=ffmpeg_bin,
        duration_s=duration_s,
        on_progress=on_progress,
        timeout_s=timeout_s,
    )
    summary = result.stderr_tail[result.stderr_tail.rfind("Summary:") :]
    found = {key: pattern.search(summary) for key, pattern in _SUMMARY.items()}
    if not all(found.values()):
        raise FfmpegError("ebur128 did not report its measurement", result.stderr_tail)
    figures = {key: float(match.group(1)) for key, match in found.items() if match}
    return LoudnessMeasurement(
        input_i=max(figures["i"], -99.0),
        input_tp=min(max(figures["tp"], -99.0), 99.0),
        input_lra=min(figures["lra"], 99.0),
        input_thresh=max(figures["thresh"], -99.0),
    )


def measure_integrated_lufs(
    path: Path,
    *,
    ffmpeg_bin: str,
    duration_s: float | None = None,
    on_progress: ProgressCallback | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> float:
    """Return the integrated loudness of ``path``'s audio, measured by ffmpeg's ebur128.

    ``duration_s``, the length of the audio, lets ``on_progress`` be called.
    """
    result = run(
        null_output(input_file(path).audio.filter("ebur128", framelog="verbose")),
        ffmpeg_bin=ffmpeg_bin,
        duration_s=duration_s,
        on_progress=on_progress,
        timeout_s=timeout_s,
    )
    found = _LUFS_LINE.findall(result.stderr_tail)
    if not found:
        raise FfmpegError("ebur128 did not report the integrated loudness", result.stderr_tail)
    return float(found[-1])


def cut_audio(
    source: Path, in_s: float, duration_s: float, ranges: Ranges = ()
) -> ffmpeg.nodes.FilterableStream:
    """Return the cut's audio (its ``ranges`` joined, if any) as stereo, as renders write it."""
    audio = source_audio(source, in_s, duration_s, ranges)
    return audio.filter("aformat", channel_layouts="stereo")


def normalised_audio(
    audio: ffmpeg.nodes.FilterableStream,
    target_lufs: float | None,
    measurement: LoudnessMeasurement | None,
) -> ffmpeg.nodes.FilterableStream:
    """Return the stereo audio, normalised with the measured values when a target is set."""
    audio = audio.filter("aformat", channel_layouts="stereo")
    if target_lufs is None or measurement is None or measurement.input_i <= _SILENT_LUFS:
        return audio
    normalised = audio.filter(
        "loudnorm",
        I=target_lufs,
        TP=TRUE_PEAK_DBTP,
        LRA=LOUDNESS_RANGE_LU,
        measured_I=measurement.input_i,
        measured_TP=measurement.input_tp,
        measured_LRA=measurement.input_lra,
        measured_thresh=measurement.input_thresh,
        linear="true",
    )
    return normalised.filter("aresample", AUDIO_RATE_HZ)  # loudnorm works (and outputs) at 192 kHz


def null_output(stream: ffmpeg.nodes.FilterableStream) -> ffmpeg.nodes.OutputStream:
    """Return an output that discards ``stream`` and logs filter reports (info level)."""
    # The runner logs warnings only; a later -loglevel wins, and filters report at info level.
    return ffmpeg.output(stream, "-", f="null").global_args("-loglevel", "info")
