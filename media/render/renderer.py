"""Render a clip: cut, reframe, burn subtitles, normalise loudness, encode; poster and WebVTT.

Two ffmpeg processes run side by side, since ffmpeg 5.1 filters and encodes audio in the same
single thread that feeds the video filters: one encodes the picture (H.264), the other the sound
(AAC; see ``media.render.loudness``: the cut is measured, normalised to the loudness target by
loudnorm, and the written audio measured again). A third run copies both into the clip with
``+faststart``. Both cut with an input-side ``-ss``/``-t``, which is frame accurate when
re-encoding: ffmpeg decodes from the keyframe before the cut and drops frames until it.
Subtitles are burned by libass into a layer laid over the picture (``media.render.burn``).
A clip with several kept ranges reads from the first one's start to the last one's end and joins
them (``media.render.joins``): frame-accurate trims of the picture, short crossfades of the sound.

When nothing but a cut is asked (profile ``original`` at a size and codecs the profile keeps, no
burned subtitles, no loudness target) the streams are copied instead: the cut then starts at the
keyframe at or before ``in_s`` (stream copy cannot start between keyframes), and the subtitle
times are shifted by that difference so the WebVTT file still matches the picture.

Every output is written to a temporary name and renamed; a failed render removes what it wrote.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import av
import av.error
import ffmpeg

from media.ffmpeg import (
    DEFAULT_TIMEOUT_S,
    FfmpegError,
    ProgressCallback,
    input_file,
    run_to_file,
)
from media.probe import ALLOWED_FORMATS, ProbeLimits, ProbeRejected, ProbeResult, probe_media
from media.render.burn import burn_subtitles
from media.render.fonts import FontNotFoundError, SubtitleFont, find_subtitle_font
from media.render.joins import joined_video
from media.render.loudness import encode_audio
from media.render.overlays import lay_overlays
from media.render.profiles import (
    Profile,
    RenderSpec,
    apply_profile,
    frame_size,
    original_needs_scaling,
)
from media.render.styles import get_template
from media.render.subtitles import clip_cues, write_vtt

X264_PRESET = "ultrafast"
# ultrafast with CABAC, the deblocking filter, adaptive quantisation and the 8×8 transform back
# on. On the bench's 720×1280 render this costs 8 % more CPU than plain ultrafast for files 38 %
# smaller (15.8 against 25.5 MB a minute, no blocking); superfast takes about 60 % longer again
# to encode, which a 2-core host cannot afford (see bench/render_bench.py).
X264_PARAMS = "cabac=1:deblock=0,0:aq-mode=1:8x8dct=1"
X264_CRF = 23
_COPY_CODECS = ("h264", "aac")
_PAST_KEYFRAME_S = 0.0005  # shorter than any frame
# Shares of the progress bar: the encode (picture and sound side by side), the mux; the poster
# takes the rest.
_ENCODE_SHARE, _MUX_SHARE = 0.94, 0.04
_SOURCE_OPTIONS = {"format_whitelist": ",".join(ALLOWED_FORMATS), "protocol_whitelist": "file"}
_VIDEO_OPTIONS = {
    # The filters run in one thread: slice threading them on 2 cores, beside x264's and the
    # decoder's threads, cost more in hand-offs than it won (vertical blur: 18 % less wall time).
    # A global option; ffmpeg takes those anywhere on the command line.
    "filter_complex_threads": 1,
    "vcodec": "libx264",
    "preset": X264_PRESET,
    "x264-params": X264_PARAMS,
    "crf": X264_CRF,
    "profile:v": "high",
    "pix_fmt": "yuv420p",
    "map_metadata": -1,
    "f": "mp4",
}
_MUX_OPTIONS = {"c": "copy", "map_metadata": -1, "movflags": "+faststart", "f": "mp4"}


class RenderError(Exception):
    """The clip could not be rendered; ``stderr_tail`` holds ffmpeg's last words, if any."""

    def __init__(self, message: str, stderr_tail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.stderr_tail = stderr_tail


@dataclass(frozen=True)
class RenderResult:
    """The files a render wrote and what the video turned out to be.

    ``measured_lufs`` is the integrated loudness (EBU R128) of the written audio, measured after
    encoding it; ``None`` when no loudness target was asked. ``warnings`` are ffmpeg's warning
    lines from the encode (for example libass missing a glyph).
    """

    video_path: Path
    poster_path: Path
    vtt_path: Path
    duration_s: float
    width: int
    height: int
    measured_lufs: float | None
    warnings: tuple[str, ...] = ()


def render_clip(
    spec: RenderSpec,
    *,
    ffmpeg_bin: str,
    on_progress: ProgressCallback | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    font: SubtitleFont | None = None,
    preset: str = X264_PRESET,
    work_root: Path | None = None,
) -> RenderResult:
    """Render ``spec`` to its video, poster and WebVTT paths; raise ``RenderError`` on failure.

    ``on_progress`` receives the done fraction, never decreasing, ending at 1.0. ``timeout_s``
    bounds the whole render. ``font`` defaults to ``find_subtitle_font()`` when subtitles are
    burned. ``preset`` is the x264 preset (hosts with more cores can afford a slower one for
    smaller files). Intermediate files go to a temporary folder inside ``work_root`` (default:
    the system's). A failed render leaves none of the three outputs behind.
    """
    run = _Run(ffmpeg_bin, time.monotonic() + timeout_s, on_progress, font, preset, work_root)
    source = _probe_source(spec)
    written: list[Path] = []
    try:
        result = _write_outputs(spec, source, written, run)
    except FfmpegError as exc:
        message = f"ffmpeg could not render the clip: {exc.message}"
        raise RenderError(message, exc.stderr_tail) from exc
    finally:
        if len(written) < 3:  # failed part-way: remove what this render wrote
            for path in written:
                path.unlink(missing_ok=True)
    if on_progress is not None:
        on_progress(1.0)
    return result


@dataclass(frozen=True)
class _Run:
    """How one render runs (not what it renders): the tools, the deadline and where to report."""

    ffmpeg_bin: str
    deadline: float  # time.monotonic() by which the whole render must end
    on_progress: ProgressCallback | None
    font: SubtitleFont | None
    preset: str
    work_root: Path | None

    def time_left(self) -> float:
        """Return the seconds left before the deadline; raise ``RenderError`` once it passed."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise RenderError("The render ran out of time.")
        return left


def _write_outputs(
    spec: RenderSpec, source: ProbeResult, written: list[Path], run: _Run
) -> RenderResult:
    """Write the video, then the poster and the WebVTT file, appending each path to ``written``."""
    encoded = _copy_cut(spec, run) if _can_copy(spec, source) else _encode(spec, source, run)
    written.append(spec.video_path)
    width, height, duration_s = _video_facts(spec.video_path)
    offset_s = encoded.cue_offset_s
    poster_at_s = min(max(0.0, spec.poster_at_s + offset_s), max(0.0, duration_s - 0.1))
    _write_poster(spec, poster_at_s, run)
    written.append(spec.poster_path)
    write_vtt(spec.vtt_path, clip_cues(spec.cues, duration_s, offset_s=offset_s))
    written.append(spec.vtt_path)
    return RenderResult(
        video_path=spec.video_path,
        poster_path=spec.poster_path,
        vtt_path=spec.vtt_path,
        duration_s=duration_s,
        width=width,
        height=height,
        measured_lufs=encoded.measured_lufs,
        warnings=encoded.warnings,
    )


@dataclass(frozen=True)
class _Encoded:
    """What writing the video produced, beyond the file."""

    cue_offset_s: float = 0.0
    measured_lufs: float | None = None
    warnings: tuple[str, ...] = ()


def _probe_source(spec: RenderSpec) -> ProbeResult:
    """Probe the source and check the cut lies inside it."""
    try:
        source = probe_media(spec.source, ProbeLimits())
    except ProbeRejected as exc:
        raise RenderError(f"The source cannot be rendered: {exc.message}") from exc
    except FileNotFoundError as exc:
        raise RenderError(f"The source file does not exist: {spec.source}") from exc
    if spec.out_s > source.duration_s + 0.05:
        raise RenderError(
            f"The clip ends at {spec.out_s:.2f} s but the source lasts {source.duration_s:.2f} s."
        )
    return source


def _can_copy(spec: RenderSpec, source: ProbeResult) -> bool:
    """Tell whether stream copy gives what the spec asks (only a cut, nothing to re-encode)."""
    return (
        not spec.asks_processing
        and not spec.joins
        and not original_needs_scaling(source.width, source.height)
        and (source.video_codec, source.audio_codec) == _COPY_CODECS
    )


def _copy_cut(spec: RenderSpec, run: _Run) -> _Encoded:
    """Copy the streams from the keyframe at or before ``in_s`` to ``out_s``."""
    start_s = _keyframe_at_or_before(spec.source, spec.in_s)
    # -ss is read in microseconds and rescaled to the stream's time base: aim just past the
    # keyframe so no rounding can land the seek on the keyframe before it. Copied packets start
    # at the keyframe all the same.
    seek_s = start_s + _PAST_KEYFRAME_S
    source = input_file(spec.source, ss=seek_s, t=spec.out_s - seek_s)
    run_to_file(
        [source["v:0"], source["a:0"]],
        spec.video_path,
        ffmpeg_bin=run.ffmpeg_bin,
        duration_s=spec.out_s - start_s,
        output_options={
            "c": "copy",
            "avoid_negative_ts": "make_zero",
            "map_metadata": -1,
            "movflags": "+faststart",
            "f": "mp4",
        },
        on_progress=_scaled(run.on_progress, 0.0, _ENCODE_SHARE + _MUX_SHARE),
        timeout_s=run.time_left(),
    )
    return _Encoded(cue_offset_s=spec.in_s - start_s)


def _keyframe_at_or_before(path: Path, at_s: float) -> float:
    """Return the time (from the file's start) of the last video keyframe at or before ``at_s``."""
    try:
        with av.open(
            f"file:{Path(path).resolve()}", container_options=_SOURCE_OPTIONS
        ) as container:
            stream = container.streams.video[0]
            origin_s = (container.start_time or 0) / av.time_base
            container.seek(int((at_s + origin_s) * av.time_base), backward=True, any_frame=False)
            for packet in container.demux(stream):
                if packet.pts is not None and packet.is_keyframe:
                    return min(at_s, max(0.0, float(packet.pts * stream.time_base) - origin_s))
    except av.error.FFmpegError as exc:
        raise RenderError("The source cannot be read to find a keyframe.") from exc
    return 0.0


def _encode(spec: RenderSpec, source: ProbeResult, run: _Run) -> _Encoded:
    """Re-encode the cut with the profile, subtitles and loudness asked by ``spec``.

    The sound is encoded in a worker thread's ffmpeg while this thread encodes the picture (and
    reports progress); a failure of either stops the other.
    """
    stop = threading.Event()
    with (
        tempfile.TemporaryDirectory(prefix="beltcast-render-", dir=run.work_root) as work_dir,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        work = Path(work_dir)
        audio_path = work / "audio.m4a"
        sound = pool.submit(
            encode_audio,
            spec.source,
            spec.in_s,
            spec.duration_s,
            audio_path,
            target_lufs=spec.loudness_lufs,
            ffmpeg_bin=run.ffmpeg_bin,
            ranges=spec.joins,
            time_left=run.time_left,
            on_progress=lambda _: _raise_if_set(stop),
        )
        try:
            watch = _watching(run.on_progress, sound)
            video_path, warnings = _encode_video(spec, source, work, run, watch)
            measured_lufs = sound.result()
        except BaseException:
            stop.set()  # the sound's ffmpeg stops at its next progress report
            raise
        inputs = [input_file(video_path)["v:0"], input_file(audio_path)["a:0"]]
        run_to_file(
            inputs,
            spec.video_path,
            ffmpeg_bin=run.ffmpeg_bin,
            duration_s=spec.duration_s,
            output_options=_MUX_OPTIONS,
            on_progress=_scaled(run.on_progress, _ENCODE_SHARE, _ENCODE_SHARE + _MUX_SHARE),
            timeout_s=run.time_left(),
        )
    return _Encoded(measured_lufs=measured_lufs, warnings=warnings)


def _encode_video(
    spec: RenderSpec, source: ProbeResult, work: Path, run: _Run, on_progress: ProgressCallback
) -> tuple[Path, tuple[str, ...]]:
    """Encode the cut's picture alone into ``work``; return the file and ffmpeg's warnings."""
    inp = input_file(spec.source, ss=spec.in_s, t=spec.span_s)
    dest = work / "video.mp4"
    video = joined_video(inp.video, spec.joins)
    result = run_to_file(
        [_video_graph(video, spec, source, work, run.font)],
        dest,
        ffmpeg_bin=run.ffmpeg_bin,
        duration_s=spec.duration_s,
        output_options={**_VIDEO_OPTIONS, "preset": run.preset},
        on_progress=on_progress,
        timeout_s=run.time_left(),
    )
    return dest, tuple(line for line in result.stderr_tail.splitlines() if line.strip())


def _watching(
    on_progress: ProgressCallback | None, sound: Future[float | None]
) -> ProgressCallback:
    """Report the picture's encode as the encode share; raise the sound's error once it failed."""
    report = _scaled(on_progress, 0.0, _ENCODE_SHARE)

    def watch(fraction: float) -> None:
        if sound.done() and sound.exception() is not None:
            sound.result()  # raises the sound's error, which stops the picture's ffmpeg
        if report is not None:
            report(fraction)

    return watch


def _raise_if_set(stop: threading.Event) -> None:
    """Stop the ffmpeg run reporting progress once ``stop`` is set."""
    if stop.is_set():
        raise RenderError("The render was stopped.")


def _video_graph(
    video: ffmpeg.nodes.FilterableStream,
    spec: RenderSpec,
    source: ProbeResult,
    work: Path,
    font: SubtitleFont | None,
) -> ffmpeg.nodes.FilterableStream:
    """Return the profile's frames, subtitles and overlays drawn on, as 4:2:0 for H.264."""
    scale_original = original_needs_scaling(source.width, source.height)
    if not spec.has_burned_subtitles and not spec.decor.has_overlays:
        video = apply_profile(video, spec.profile, spec.fill, scale_original=scale_original)
        return video.filter("format", "yuv420p")
    try:
        font = font or find_subtitle_font()
    except FontNotFoundError as exc:
        raise RenderError(str(exc)) from exc
    size = _planned_size(spec, source)
    if spec.has_burned_subtitles:
        # The subtitle layer is drawn on a copy of the decoded frames: the profile's filters
        # write new frames, so sharing these costs nothing (sharing the profile's would copy).
        halves = video.split()
        picture = apply_profile(halves[0], spec.profile, spec.fill, scale_original=scale_original)
        cues = clip_cues(spec.cues, spec.duration_s)
        template, highlights = get_template(spec.decor.template), spec.decor.highlights
        picture = burn_subtitles(
            picture, halves[1], cues, size, work, font, template=template, highlights=highlights
        )
    else:
        picture = apply_profile(video, spec.profile, spec.fill, scale_original=scale_original)
    if spec.decor.has_overlays:
        picture = lay_overlays(picture, spec.decor, size, work, font)
    return picture.filter("format", "yuv420p")


def _planned_size(spec: RenderSpec, source: ProbeResult) -> tuple[int, int]:
    """Return the frame size the profile will produce (subtitles are laid out for it)."""
    width, height = source.width, source.height
    if spec.profile is Profile.ORIGINAL and _is_quarter_turned(spec.source):
        width, height = height, width  # ffmpeg turns the picture upright before filtering
    return frame_size(spec.profile, width, height)


def _is_quarter_turned(path: Path) -> bool:
    """Tell whether the source's first frame carries a ±90° display rotation (phone video)."""
    try:
        with av.open(
            f"file:{Path(path).resolve()}", container_options=_SOURCE_OPTIONS
        ) as container:
            for frame in container.decode(video=0):
                return round(frame.rotation) % 180 == 90
    except av.error.FFmpegError as exc:
        raise RenderError("The source cannot be decoded.") from exc
    return False


def _write_poster(spec: RenderSpec, at_s: float, run: _Run) -> None:
    """Write the frame of the rendered video at ``at_s`` as a JPEG the size of the video."""
    frame = input_file(spec.video_path, ss=at_s).video
    run_to_file(
        [frame],
        spec.poster_path,
        ffmpeg_bin=run.ffmpeg_bin,
        duration_s=None,
        output_options={"frames:v": 1, "vcodec": "mjpeg", "q:v": 3, "f": "image2", "update": 1},
        timeout_s=run.time_left(),
    )


def _video_facts(path: Path) -> tuple[int, int, float]:
    """Return the written video's displayed width, height and duration in seconds."""
    with av.open(f"file:{Path(path).resolve()}") as container:
        stream = container.streams.video[0]
        duration_s = (container.duration or 0) / av.time_base
        return stream.codec_context.width, stream.codec_context.height, duration_s


def _scaled(callback: ProgressCallback | None, start: float, end: float) -> ProgressCallback | None:
    """Map a step's 0..1 progress onto ``start``..``end`` of the whole render."""
    if callback is None:
        return None
    report: Callable[[float], None] = callback
    return lambda fraction: report(start + (end - start) * fraction)
