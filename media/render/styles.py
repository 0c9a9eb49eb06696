"""Subtitle templates: a few fixed looks a merchant picks from, never free-form style values.

Each template is a set of ASS style values relative to the frame: the text height (a CJK
character's share of the frame height), where the lines sit (bottom, clear of a phone feed's
controls, or the centre), the text and outline colours and the colour of highlighted words (the
items' names and keywords). ``DEFAULT_TEMPLATE`` is the base's choice when neither the clip nor
its organisation chose one. Colours are ``#rrggbb``; the browser preview uses the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pysubs2


class Position(StrEnum):
    """Where the subtitle lines sit on the frame."""

    BOTTOM = "bottom"
    CENTRE = "centre"


@dataclass(frozen=True)
class SubtitleTemplate:
    """One look of the burned subtitles."""

    name: str
    em_ratio: float  # a CJK character's height over the frame height
    position: Position
    primary: str  # text colour, #rrggbb
    outline: str  # outline colour
    outline_px: int  # at a 1280 px frame height; scaled with the frame
    highlight: str  # colour of the items' names and keywords

    def outline_for(self, height: int) -> int:
        """Return the outline width in pixels on a frame ``height`` pixels high."""
        return max(1, round(self.outline_px * height / 1280))


TEMPLATES: dict[str, SubtitleTemplate] = {
    template.name: template
    for template in (
        SubtitleTemplate("clean", 0.042, Position.BOTTOM, "#ffffff", "#000000", 3, "#ffd84a"),
        SubtitleTemplate("bold", 0.05, Position.BOTTOM, "#ffffff", "#123d33", 6, "#ffd400"),
        SubtitleTemplate("big", 0.062, Position.CENTRE, "#fffbe8", "#000000", 5, "#7dffb8"),
    )
}
DEFAULT_TEMPLATE = "clean"
HOOK_SECONDS = 3.0


@dataclass(frozen=True)
class ProductCard:
    """What the product card shows, already formatted, and when (seconds into the clip)."""

    name: str
    price: str = ""
    certificate: str = ""
    photo: Path | None = None
    windows: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Decor:
    """How a render is dressed: subtitle template, highlighted words and the overlays."""

    template: str = DEFAULT_TEMPLATE
    highlights: tuple[str, ...] = ()
    hook: str = ""
    logo: Path | None = None
    card: ProductCard | None = None
    hook_s: float = HOOK_SECONDS

    @property
    def has_overlays(self) -> bool:
        """Tell whether anything is laid over the picture besides subtitles."""
        return bool(self.hook.strip() or self.logo or (self.card and self.card.windows))


def get_template(name: str | None) -> SubtitleTemplate:
    """Return the template called ``name``; an unknown or empty name gives the default."""
    return TEMPLATES.get(name or "", TEMPLATES[DEFAULT_TEMPLATE])


def ass_colour(hex_rgb: str) -> pysubs2.Color:
    """Return ``#rrggbb`` as a pysubs2 colour."""
    value = hex_rgb.lstrip("#")
    return pysubs2.Color(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def ass_colour_tag(hex_rgb: str) -> str:
    """Return the ASS override tag that sets the text colour to ``#rrggbb`` (``&HBBGGRR&``)."""
    value = hex_rgb.lstrip("#").upper()
    return f"\\1c&H{value[4:6]}{value[2:4]}{value[0:2]}&"
