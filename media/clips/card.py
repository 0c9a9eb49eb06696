"""The publish kit's knowledge card: a 1080 x 1350 picture of an item drawn with Pillow.

Text uses the CJK subtitle font (``media.render.fonts``), wrapped by measured width; Chinese
breaks between any two characters, Latin words and numbers stay whole.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from media.render.fonts import SubtitleFont, read_faces

WIDTH, HEIGHT = 1080, 1350
MARGIN = 80
BACKGROUND, INK, MUTED = "#f7f4ee", "#1d2623", "#5f6b66"
JADE, JADE_LIGHT = "#1f6f5c", "#e3efe9"
# A Latin word or number stays on one line; anything else may break anywhere.
TOKENS = re.compile(r"[A-Za-z0-9¥$.,:%+\-/]+|\s+|.", re.DOTALL)
# Closing punctuation never starts a line; it hangs at the end of the line before.
NO_LINE_START = frozenset("，。、；：！？）》」』”’,.;:!?)")


@dataclass(frozen=True)
class CardText:
    """What the card shows, already formatted and translated."""

    name: str
    price: str
    facts_heading: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    key_facts: list[str] = field(default_factory=list)
    footer: str = ""


def face_index(font: SubtitleFont) -> int:
    """Return the index of ``font``'s face in its file (a .ttc holds several)."""
    families = [face.family for face in read_faces(font.font_file)]
    return families.index(font.font_name) if font.font_name in families else 0


@cache
def _font(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, index=index)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels."""
    lines, line = [], ""
    for token in TOKENS.findall(" ".join(text.split())):
        candidate = line + token
        if line and font.getlength(candidate) > width and token not in NO_LINE_START:
            lines.append(line.rstrip())
            line = token.lstrip()
        elif lines and not line.strip() and token in NO_LINE_START:
            lines[-1] += token  # after a break at a space: hang it on the line before
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _Writer:
    """Draws wrapped paragraphs downwards from a cursor, never past the bottom margin."""

    def __init__(self, draw: ImageDraw.ImageDraw, font: SubtitleFont, bottom: int) -> None:
        self.draw, self.path, self.index = draw, font.font_file, face_index(font)
        self.y, self.bottom = MARGIN, bottom

    def text(self, text: str, size: int, fill: str, *, x: int = MARGIN, max_lines: int = 3) -> None:
        """Write ``text`` wrapped to the card's width; an overflowing last line ends with …."""
        font = _font(self.path, self.index, size)
        lines = wrap(text, font, WIDTH - MARGIN - x)
        room = max(0, (self.bottom - self.y) // int(size * 1.4))
        shown = lines[: min(max_lines, room)]
        if shown and len(shown) < len(lines):
            while shown[-1] and font.getlength(shown[-1] + "…") > WIDTH - MARGIN - x:
                shown[-1] = shown[-1][:-1]
            shown[-1] += "…"
        for line in shown:
            self.draw.text((x, self.y), line, font=font, fill=fill)
            self.y += int(size * 1.4)


def draw_card(content: CardText, font: SubtitleFont) -> bytes:
    """Draw the knowledge card; return PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 330), fill=JADE)
    writer = _Writer(draw, font, bottom=300)
    writer.y = 90
    writer.text(content.name, 68, "#ffffff", max_lines=3)
    writer.bottom, writer.y = HEIGHT - 150, 380
    writer.text(content.price, 76, JADE, max_lines=1)
    writer.y += 20
    for label, value in content.rows:
        writer.text(f"{label}  {value}", 40, INK, max_lines=2)
    if content.key_facts:
        writer.y += 30
        draw.rectangle((MARGIN, writer.y, MARGIN + 8, writer.y + 50), fill=JADE)
        writer.text(content.facts_heading, 44, JADE, x=MARGIN + 30, max_lines=1)
        writer.y += 10
        for fact in content.key_facts:
            top = writer.y
            writer.text(fact, 40, INK, x=MARGIN + 50, max_lines=3)
            if writer.y > top:
                draw.ellipse((MARGIN + 10, top + 18, MARGIN + 26, top + 34), fill=JADE)
            writer.y += 14
    draw.rectangle((0, HEIGHT - 110, WIDTH, HEIGHT), fill=JADE_LIGHT)
    footer = _font(writer.path, writer.index, 32)
    footer_line = (wrap(content.footer, footer, WIDTH - 2 * MARGIN) or [""])[0]
    draw.text((MARGIN, HEIGHT - 75), footer_line, font=footer, fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
