"""Render profiles and the render request: frame sizes and the video filter chain of each profile.

- ``original``: the source's aspect ratio, even dimensions, the long side capped to 1920 px.
- ``vertical``: 720×1280 (9:16) for phone feeds.
- ``square``: 720×720. 1080×1080 would cost 2.25× the pixels to filter and encode for a frame
  that is shown at phone-feed size; 720 keeps a square render inside the speed budget.

``vertical`` and ``square`` fill the frame either by ``blur`` (the whole source, scaled to fit
and centred over a blurred, darkened copy of itself scaled to fill) or by ``crop`` (a centre crop
scaled to fill). The blurred background is made cheaply: the source is shrunk to an eighth of the
frame, box-blurred and darkened at that size, then scaled back up; a full-size blur would cost
more than the H.264 encode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

import ffmpeg

from media.render.styles import Decor

ORIGINAL_MAX_LONG_SIDE = 1920
DEFAULT_LOUDNESS_LUFS = -16.0
_BACKGROUND_SHRINK = 8  # the blurred background is built at 1/8 of the frame size
_BACKGROUND_BLUR_RADIUS = 4  # box radius at the shrunk size, applied twice (≈ a Gaussian)
_BACKGROUND_BRIGHTNESS = 0.55  # luma factor that darkens the background behind the picture


class Profile(StrEnum):
    """Output frame shapes."""

    ORIGINAL = "original"
    VERTICAL = "vertical"
    SQUARE = "square"


class Fill(StrEnum):
    """How ``vertical`` and ``square`` fill a frame whose shape differs from the source."""

    BLUR = "blur"
    CROP = "crop"


FRAME_SIZES: dict[Profile, tuple[int, int]] = {
    Profile.VERTICAL: (720, 1280),
    Profile.SQUARE: (720, 720),
}


class Cue(NamedTuple):
    """One subtitle: times in seconds relative to the clip start, and its text."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class RenderSpec:
    """What to render: a cut of ``source`` in a profile, with subtitles, loudness and outputs.

    ``ranges`` are the kept ranges of the source, in seconds and in order, played one after
    another (default: ``in_s`` to ``out_s``, which bound them). ``cues`` are timed on that output
    (seconds from its start), already edited, hidden and cut lines removed.
    ``loudness_lufs`` is the integrated loudness target, or ``None`` to leave the sound as is.
    ``poster_at_s`` is relative to the clip start. ``decor`` is the subtitle template, the
    highlighted words and the pictures laid over the frames (``media.render.overlays``).
    """

    source: Path
    in_s: float
    out_s: float
    video_path: Path
    poster_path: Path
    vtt_path: Path
    profile: Profile = Profile.ORIGINAL
    fill: Fill = Fill.BLUR
    cues: tuple[Cue, ...] = field(default=())
    burn_subtitles: bool = True
    loudness_lufs: float | None = DEFAULT_LOUDNESS_LUFS
    poster_at_s: float = 0.0
    ranges: tuple[tuple[float, float], ...] = field(default=())
    decor: Decor = field(default=Decor())

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", Path(self.source))
        object.__setattr__(self, "video_path", Path(self.video_path))
        object.__setattr__(self, "poster_path", Path(self.poster_path))
        object.__setattr__(self, "vtt_path", Path(self.vtt_path))
        object.__setattr__(self, "profile", Profile(self.profile))
        object.__setattr__(self, "fill", Fill(self.fill))
        object.__setattr__(self, "cues", tuple(Cue(*cue) for cue in self.cues))
        if self.in_s < 0 or self.out_s <= self.in_s:
            raise ValueError(f"the cut must satisfy 0 <= in < out, got {self.in_s}..{self.out_s}")
        ranges = tuple((float(a), float(b)) for a, b in self.ranges) or ((self.in_s, self.out_s),)
        edges = [edge for pair in ranges for edge in pair]
        if edges != sorted(edges) or edges[0] != self.in_s or edges[-1] != self.out_s:
            raise ValueError("the ranges must be in order, apart, from in to out")
        object.__setattr__(self, "ranges", ranges)

    @property
    def duration_s(self) -> float:
        """Return the length of the output (the kept ranges together) in seconds."""
        return sum(b - a for a, b in self.ranges)

    @property
    def span_s(self) -> float:
        """Return the seconds of the source read: from ``in_s`` to ``out_s``."""
        return self.out_s - self.in_s

    @property
    def joins(self) -> tuple[tuple[float, float], ...]:
        """The ranges from ``in_s`` to join, when there are several (else none: a plain cut)."""
        if len(self.ranges) < 2:
            return ()
        return tuple((a - self.in_s, b - self.in_s) for a, b in self.ranges)

    @property
    def has_burned_subtitles(self) -> bool:
        """Tell whether any subtitle will be drawn into the picture."""
        return self.burn_subtitles and any(cue.text.strip() for cue in self.cues)

    @property
    def asks_processing(self) -> bool:
        """Tell whether anything beyond a cut is asked (so stream copy is not enough)."""
        return (
            self.profile is not Profile.ORIGINAL
            or self.has_burned_subtitles
            or self.decor.has_overlays
            or self.loudness_lufs is not None
        )


def original_needs_scaling(width: int, height: int) -> bool:
    """Tell whether a source of this size must be scaled for the ``original`` profile."""
    return max(width, height) > ORIGINAL_MAX_LONG_SIDE or width % 2 == 1 or height % 2 == 1


def original_size(width: int, height: int) -> tuple[int, int]:
    """Return the ``original`` profile's frame size for a ``width``×``height`` source."""
    factor = min(1.0, ORIGINAL_MAX_LONG_SIDE / max(width, height))
    return _even(width * factor), _even(height * factor)


def frame_size(profile: Profile, width: int, height: int) -> tuple[int, int]:
    """Return the output frame size of ``profile`` for a ``width``×``height`` source."""
    if profile is Profile.ORIGINAL:
        return original_size(width, height)
    return FRAME_SIZES[profile]


def apply_profile(
    video: ffmpeg.nodes.FilterableStream, profile: Profile, fill: Fill, *, scale_original: bool
) -> ffmpeg.nodes.FilterableStream:
    """Add the filters that turn decoded source frames into the profile's frames.

    ``scale_original`` says whether an ``original`` render must scale (see
    ``original_needs_scaling``); sizes are computed by ffmpeg from the decoded (auto-rotated)
    frames, so a rotated phone recording keeps its shape.
    """
    if profile is Profile.ORIGINAL:
        if not scale_original:
            return video
        fit = f"min(1,{ORIGINAL_MAX_LONG_SIDE}/max(iw,ih))"
        return video.filter(
            "scale", w=f"trunc(iw*{fit}/2)*2", h=f"trunc(ih*{fit}/2)*2", flags="bicubic"
        ).filter("setsar", "1")
    width, height = FRAME_SIZES[profile]
    if fill is Fill.CROP:
        return _crop_to_fill(video, width, height)
    return _fit_over_blur(video, width, height)


def _crop_to_fill(
    video: ffmpeg.nodes.FilterableStream, width: int, height: int
) -> ffmpeg.nodes.FilterableStream:
    """Crop the centre of the source to the frame's aspect ratio, then scale it to the frame."""
    return (
        video.filter("crop", w=f"min(iw,ih*{width}/{height})", h=f"min(ih,iw*{height}/{width})")
        .filter("scale", w=width, h=height, flags="bicubic")
        .filter("setsar", "1")
    )


def _fit_over_blur(
    video: ffmpeg.nodes.FilterableStream, width: int, height: int
) -> ffmpeg.nodes.FilterableStream:
    """Scale the source to fit the frame and centre it over a blurred, darkened fill of itself."""
    halves = video.split()
    picture, backdrop = halves[0], halves[1]
    small_w, small_h = _even(width / _BACKGROUND_SHRINK), _even(height / _BACKGROUND_SHRINK)
    background = (
        backdrop.filter(
            "scale",
            w=small_w,
            h=small_h,
            force_original_aspect_ratio="increase",
            flags="fast_bilinear",
        )
        .filter("crop", w=small_w, h=small_h)
        .filter("boxblur", luma_radius=_BACKGROUND_BLUR_RADIUS, luma_power=2)
        .filter("lutyuv", y=f"val*{_BACKGROUND_BRIGHTNESS}")
        .filter("scale", w=width, h=height, flags="bilinear")
        .filter("setsar", "1")
    )
    # Bilinear is sharp enough when shrinking and costs a third of bicubic at this size.
    foreground = picture.filter(
        "scale",
        w=width,
        h=height,
        force_original_aspect_ratio="decrease",
        force_divisible_by=2,
        flags="bilinear",
    ).filter("setsar", "1")
    return ffmpeg.overlay(background, foreground, x="(W-w)/2", y="(H-h)/2")


def _even(value: float) -> int:
    """Round ``value`` down to an even whole number (H.264 with 4:2:0 needs even sizes)."""
    return max(2, int(value) // 2 * 2)
