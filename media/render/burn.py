"""Burn subtitles into the picture: libass draws the lines, ``overlay`` lays them on every frame.

ffmpeg's ``ass`` filter blends the text in plain C on every frame, which cost more than the
whole picture's filtering. So libass draws only on the frames where the subtitles change (and
every ``_LAYER_REDRAW_FRAMES``-th frame), onto a transparent copy of the frame, and ``overlay``
(SIMD) lays the band below the picture's middle, where text can appear, over every frame.
The ASS file and a fonts directory holding only the subtitle font are written into a private
working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import ffmpeg

from media.render.fonts import SubtitleFont
from media.render.profiles import Cue
from media.render.styles import SubtitleTemplate
from media.render.subtitles import SubtitleLayout, write_ass

# The subtitle layer is redrawn at least every so many frames: overlay holds the picture's frames
# until it sees the layer's next one, so a long gap between changes would queue many frames.
_LAYER_REDRAW_FRAMES = 15
_CHANGE_SLACK_S = 0.005  # ASS times are written in centiseconds


def burn_subtitles(
    video: ffmpeg.nodes.FilterableStream,
    canvas: ffmpeg.nodes.FilterableStream,
    cues: list[Cue],
    size: tuple[int, int],
    work: Path,
    font: SubtitleFont,
    *,
    template: SubtitleTemplate | None = None,
    highlights: tuple[str, ...] = (),
) -> ffmpeg.nodes.FilterableStream:
    """Write the ASS file of ``cues`` into ``work`` and lay it over ``video`` (``size`` frames).

    ``canvas`` carries the source's frames, timed as ``video``'s; the frames where subtitles
    change are scaled to the frame size and cleared to transparent for libass to draw on.
    ``template`` is the subtitles' look (default: the house one); ``highlights`` are the words
    drawn in its highlight colour.
    """
    width, height = size
    ass_path = work / "subtitles.ass"
    layout = SubtitleLayout.for_frame(
        width, height, fontsize_per_em=font.fontsize_per_em, template=template
    )
    drawn = write_ass(
        ass_path, cues, font_name=font.font_name, layout=layout, highlights=highlights
    )
    fonts_dir = _fonts_dir(work, font)
    top = _even_floor(layout.text_top_px)
    layer = (
        canvas.filter("select", _change_frames(drawn))
        .filter("scale", w=width, h=height, flags="fast_bilinear")
        .filter("format", "yuva420p")
        .filter("lutyuv", y=16, u=128, v=128, a=0)  # transparent black
        # ffmpeg-python escapes ':', '\\', "'" and '=' in option values, and the filtergraph
        # characters of the whole filter, so any directory name is passed intact.
        .filter("ass", filename=str(ass_path), fontsdir=str(fonts_dir), alpha=1)
        .filter("crop", w="iw", h=f"ih-{top}", x=0, y=top)
    )
    return ffmpeg.overlay(video, layer, x=0, y=top)


def _fonts_dir(work: Path, font: SubtitleFont) -> Path:
    """Return a directory for libass holding only the subtitle font (its own, if linking fails).

    libass loads every font in fontsdir; a system font directory holds several 20 MB
    collections.
    """
    fonts_dir = work / "fonts"
    fonts_dir.mkdir()
    try:
        os.symlink(font.font_file.resolve(), fonts_dir / font.font_file.name)
    except OSError:
        return font.fonts_dir
    return fonts_dir


def _change_frames(cues: list[Cue]) -> str:
    """Return a ``select`` expression for the frames where the subtitles may change.

    That is every frame from ``t - slack`` whose predecessor lies before ``t + slack`` for each
    cue's start and end ``t``, and every ``_LAYER_REDRAW_FRAMES``-th frame.
    """
    times = sorted({round(time_s, 2) for cue in cues for time_s in (cue.start_s, cue.end_s)})
    terms = [f"not(mod(n,{_LAYER_REDRAW_FRAMES}))"]
    terms += [
        f"gte(t,{time_s - _CHANGE_SLACK_S:.3f})*lt(prev_t,{time_s + _CHANGE_SLACK_S:.3f})"
        for time_s in times
    ]
    return "+".join(terms)


def _even_floor(value: float) -> int:
    """Round ``value`` down to an even whole number, at least 0."""
    return max(0, int(value) // 2 * 2)
