"""Probe uploaded media with PyAV: accept only allowlisted containers within the limits.

libav is told which demuxers it may use (``format_whitelist``) and which protocols it may open
(``protocol_whitelist``) before it reads a byte, so a playlist, a concat list or a container
embedding one is refused before it can open any other file. Only headers and the first packets are
read; nothing is decoded beyond what stream detection needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from pathlib import Path

import av
import av.error
from av.audio.stream import AudioStream
from av.container import InputContainer
from av.stream import Disposition
from av.video.stream import VideoStream

from portal.i18n import N_

ALLOWED_FORMATS = ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "flv", "mpegts")
_FORMAT_WHITELIST = ",".join(ALLOWED_FORMATS)
_MAX_FIRST_PACKETS = 2000
_INDEX_TAIL_ENTRIES = 16
_SNIFF_BYTES = 4096
_UNREADABLE_START = N_("The start of the video cannot be read; the file is damaged.")


class RejectReason(StrEnum):
    """Machine-readable reasons for refusing a file."""

    NOT_MEDIA = "not_media"
    UNSUPPORTED_CONTAINER = "unsupported_container"
    NO_VIDEO = "no_video"
    NO_AUDIO = "no_audio"
    TOO_LONG = "too_long"
    FRAME_TOO_LARGE = "frame_too_large"
    FRAME_RATE_TOO_HIGH = "frame_rate_too_high"
    TOO_MANY_STREAMS = "too_many_streams"
    DAMAGED = "damaged"


class ProbeRejected(Exception):  # noqa: N818 (name agreed in the media API brief)
    """The file is refused; ``reason`` is a ``RejectReason``.

    Why, untranslated: ``key`` (a msgid) and ``key_args``, its named arguments, for each reader
    to translate; ``message`` is the same in plain English (logs, operators).
    """

    def __init__(self, reason: RejectReason, key: str, **key_args: str | int) -> None:
        self.reason, self.key, self.key_args = reason, key, key_args
        self.message = key % key_args if key_args else key
        super().__init__(f"{reason}: {self.message}")


@dataclass(frozen=True)
class ProbeLimits:
    """What an accepted file may contain; frame limits apply to either orientation."""

    max_duration_s: float = 6 * 3600
    max_frame_long_side: int = 3840
    max_frame_short_side: int = 2160
    max_fps: float = 120.0
    max_streams: int = 8
    open_timeout_s: float = 30.0


@dataclass(frozen=True)
class ProbeResult:
    """What the probe learnt about an accepted file."""

    container: str
    duration_s: float
    width: int
    height: int
    fps: float
    video_codec: str
    audio_codec: str
    audio_sample_rate: int
    audio_channels: int
    video_streams: int
    audio_streams: int
    other_streams: int


def probe_media(path: Path, limits: ProbeLimits) -> ProbeResult:
    """Open ``path`` safely, check it against ``limits`` and describe it.

    Raises ``ProbeRejected`` with a reason and an untranslated message for anything refused.
    """
    path = Path(path)
    head = _read_head(path)
    if not head:
        raise ProbeRejected(RejectReason.NOT_MEDIA, N_("The file is empty."))
    container = _open(path, head, limits)
    with container:
        return _inspect(container, path, limits)


def _read_head(path: Path) -> bytes:
    """Return the first bytes of ``path`` for sniffing."""
    with path.open("rb") as handle:
        return handle.read(_SNIFF_BYTES)


def _open(path: Path, head: bytes, limits: ProbeLimits) -> InputContainer:
    """Open ``path`` with the demuxer and protocol allowlists; classify a refusal."""
    try:
        return av.open(
            f"file:{path.resolve()}",
            container_options={
                "format_whitelist": _FORMAT_WHITELIST,
                "protocol_whitelist": "file",
            },
            metadata_errors="replace",
            timeout=limits.open_timeout_s,
        )
    except av.error.ArgumentError as exc:
        # EINVAL here means libav recognised a demuxer that is not on the allowlist.
        raise _refusal_for_unlisted(head) from exc
    except av.error.FFmpegError as exc:
        if _looks_like_image(head) or _looks_like_text(head):
            raise _refusal_for_unlisted(head) from exc
        if _looks_like_allowed_container(head):
            raise ProbeRejected(
                RejectReason.DAMAGED,
                N_(
                    "The file looks like a video but cannot be read: it is damaged or incomplete "
                    "(for example an MP4 whose index is missing because the upload was cut short)."
                ),
            ) from exc
        raise ProbeRejected(
            RejectReason.NOT_MEDIA, N_("The file is not a video that can be read.")
        ) from exc


def _refusal_for_unlisted(head: bytes) -> ProbeRejected:
    """Explain a file that is not one of the allowed containers."""
    if _looks_like_image(head):
        return ProbeRejected(RejectReason.NOT_MEDIA, N_("The file is an image, not a video."))
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"#EXTM3U"):
        return ProbeRejected(
            RejectReason.UNSUPPORTED_CONTAINER,
            N_("The file is a streaming playlist (HLS), not a video file. Upload the recording."),
        )
    if text.startswith(b"ffconcat"):
        return ProbeRejected(
            RejectReason.UNSUPPORTED_CONTAINER,
            N_("The file is a concat list, not a video file. Upload the recording."),
        )
    if _looks_like_text(head):
        return ProbeRejected(RejectReason.NOT_MEDIA, N_("The file is text, not a video."))
    return ProbeRejected(
        RejectReason.UNSUPPORTED_CONTAINER,
        N_("This file format is not accepted. Upload MP4/MOV, MKV/WebM, FLV or MPEG-TS."),
    )


def _inspect(container: InputContainer, path: Path, limits: ProbeLimits) -> ProbeResult:
    """Check the opened ``container`` against ``limits`` and build the result."""
    name = container.format.name
    if name not in ALLOWED_FORMATS:  # the whitelist already refused it; belt and braces
        raise ProbeRejected(
            RejectReason.UNSUPPORTED_CONTAINER,
            N_("The container format %(name)s is not accepted."),
            name=name,
        )
    streams = list(container.streams)
    if len(streams) > limits.max_streams:
        raise ProbeRejected(
            RejectReason.TOO_MANY_STREAMS,
            N_("The file has %(count)s streams; at most %(limit)s are accepted."),
            count=len(streams),
            limit=limits.max_streams,
        )
    videos = [
        s
        for s in container.streams.video
        if not s.disposition & Disposition.attached_pic and s.codec_context is not None
    ]
    audios = [s for s in container.streams.audio if s.codec_context is not None]
    if not videos:
        raise ProbeRejected(RejectReason.NO_VIDEO, N_("The file has no video."))
    if not audios:
        raise ProbeRejected(RejectReason.NO_AUDIO, N_("The file has no sound."))
    video, audio = videos[0], audios[0]
    duration_s = _duration_s(container)
    width, height = video.codec_context.width, video.codec_context.height
    fps = _frame_rate(video)
    _check_limits(duration_s, width, height, fps, limits)
    _check_packets(container, path, video, audio)
    return ProbeResult(
        container=name,
        duration_s=duration_s,
        width=width,
        height=height,
        fps=fps,
        video_codec=video.codec_context.name,
        audio_codec=audio.codec_context.name,
        audio_sample_rate=audio.codec_context.sample_rate,
        audio_channels=audio.codec_context.channels,
        video_streams=len(videos),
        audio_streams=len(audios),
        other_streams=len(streams) - len(videos) - len(audios),
    )


def _duration_s(container: InputContainer) -> float:
    """Return the container duration in seconds; a file without one is damaged."""
    if container.duration is None or container.duration <= 0:
        raise ProbeRejected(
            RejectReason.DAMAGED, N_("The length of the video cannot be read; the file is damaged.")
        )
    return container.duration / av.time_base


def _frame_rate(video: VideoStream) -> float:
    """Return the average frame rate, falling back to libav's guess."""
    rate: Fraction | None = video.average_rate or video.guessed_rate or video.base_rate
    return float(rate) if rate else 0.0


def _check_limits(
    duration_s: float, width: int, height: int, fps: float, limits: ProbeLimits
) -> None:
    """Raise ``ProbeRejected`` when a measured value exceeds its limit."""
    if duration_s > limits.max_duration_s:
        raise ProbeRejected(
            RejectReason.TOO_LONG,
            N_("The video lasts %(duration)s; at most %(limit)s is accepted."),
            duration=_hms(duration_s),
            limit=_hms(limits.max_duration_s),
        )
    if width <= 0 or height <= 0:
        raise ProbeRejected(RejectReason.DAMAGED, N_("The picture size cannot be read."))
    if (
        max(width, height) > limits.max_frame_long_side
        or min(width, height) > limits.max_frame_short_side
    ):
        raise ProbeRejected(
            RejectReason.FRAME_TOO_LARGE,
            N_(
                "The picture is %(width)s×%(height)s; at most %(long_side)s×%(short_side)s "
                "(either orientation) is accepted."
            ),
            width=width,
            height=height,
            long_side=limits.max_frame_long_side,
            short_side=limits.max_frame_short_side,
        )
    if fps > limits.max_fps:
        raise ProbeRejected(
            RejectReason.FRAME_RATE_TOO_HIGH,
            N_("The video has %(fps)s frames per second; at most %(limit)s is accepted."),
            fps=f"{fps:g}",
            limit=f"{limits.max_fps:g}",
        )


def _check_packets(
    container: InputContainer,
    path: Path,
    video: VideoStream,
    audio: AudioStream,
) -> None:
    """Read the first packets of both streams and check the index does not point past the end."""
    size = path.stat().st_size
    for stream in (video, audio):
        tail = stream.index_entries[-_INDEX_TAIL_ENTRIES:]
        if any(entry.pos + entry.size > size for entry in tail):
            raise ProbeRejected(
                RejectReason.DAMAGED,
                N_(
                    "The file is incomplete: it ends before the video does "
                    "(was the upload cut short?)."
                ),
            )
    missing = {video.index, audio.index}
    try:
        for count, packet in enumerate(container.demux(video, audio)):
            if packet.size > 0:
                missing.discard(packet.stream.index)
            if not missing or count >= _MAX_FIRST_PACKETS:
                break
    except av.error.FFmpegError as exc:
        raise ProbeRejected(RejectReason.DAMAGED, _UNREADABLE_START) from exc
    if missing:
        raise ProbeRejected(RejectReason.DAMAGED, _UNREADABLE_START)


def _hms(seconds: float) -> str:
    """Format ``seconds`` as H:MM:SS."""
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _looks_like_image(head: bytes) -> bool:
    """Tell whether ``head`` starts with a common still-image signature."""
    return (
        head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM"))
        or head.startswith((b"II*\x00", b"MM\x00*"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


def _looks_like_text(head: bytes) -> bool:
    """Tell whether ``head`` is plain UTF-8 text (no NUL bytes, decodes cleanly)."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sniff window is still text.
        return exc.start >= len(head) - 3
    return True


def _looks_like_allowed_container(head: bytes) -> bool:
    """Tell whether ``head`` carries the signature of an allowed container."""
    mp4_box = head[4:8] in {b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot"}
    matroska = head.startswith(b"\x1a\x45\xdf\xa3")
    flv = head.startswith(b"FLV")
    ts = len(head) > 376 and head[0] == 0x47 and head[188] == 0x47 and head[376] == 0x47
    return mp4_box or matroska or flv or ts
