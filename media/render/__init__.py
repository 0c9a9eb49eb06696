"""Clip rendering without Flask: pure functions from a source file and settings to output files.

``render_clip(RenderSpec(...), ffmpeg_bin=...)`` writes the clip's video, poster and WebVTT file.
"""

from media.render.fonts import FontNotFoundError, SubtitleFont, find_subtitle_font
from media.render.profiles import Cue, Fill, Profile, RenderSpec
from media.render.renderer import RenderError, RenderResult, render_clip

__all__ = [
    "Cue",
    "Fill",
    "FontNotFoundError",
    "Profile",
    "RenderError",
    "RenderResult",
    "RenderSpec",
    "SubtitleFont",
    "find_subtitle_font",
    "render_clip",
]
