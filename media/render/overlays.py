"""Pictures laid over a render: the organisation's logo, the hook line and the product card.

Each is drawn once per render with Pillow as a transparent PNG at its final pixel size, then
laid over the frames by ffmpeg's ``overlay`` (which converts the one picture once and blends
only its rectangle), shown always (the logo), for the first seconds (the hook) or while the item
is discussed (the card, ``enable='between(t,a,b)+…'``). Where each goes is ``placements``: the
logo top right, the hook line below it, the card just above bottom subtitles (or near the bottom
when the template centres them). The browser preview places its boxes from the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ffmpeg
from PIL import Image, ImageDraw, ImageFont, ImageOps

from media.ffmpeg import input_file
from media.render.fonts import SubtitleFont, read_faces
from media.render.styles import Decor, Position, ProductCard, SubtitleTemplate, get_template
from media.render.subtitles import SubtitleLayout

_HOOK_BOX = (18, 74, 60, 225)  # deep jade, mostly opaque
_CARD_BOX = (255, 255, 255, 235)
_INK, _PRICE, _MUTED = (29, 38, 35, 255), (180, 40, 30, 255), (95, 107, 102, 255)


@dataclass(frozen=True)
class Box:
    """A rectangle on the frame, in pixels."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Placements:
    """Where the logo, hook line and card go on a frame (``hook``'s height is its one line)."""

    logo: Box
    hook: Box
    card: Box
    hook_font_px: int = field(default=0)


def placements(width: int, height: int, template: SubtitleTemplate | None = None) -> Placements:
    """Return where the overlays go on a ``width``×``height`` frame with ``template``'s lines."""
    template = template or get_template(None)
    portrait = height > width
    margin = round(min(width, height) * 0.04)
    logo_edge = round(min(width, height) * 0.15)
    logo = Box(width - margin - logo_edge, margin, logo_edge, logo_edge)
    hook_font = round(height * (0.045 if portrait else 0.07))
    hook = Box(margin, logo.y + logo_edge + margin, width - 2 * margin, round(hook_font * 1.6))
    card_w = round(width * (0.64 if portrait else 0.42))
    card_h = round(card_w * 0.3)
    layout = SubtitleLayout.for_frame(width, height, template=template)
    if template.position is Position.CENTRE:
        bottom = height - round(height * (0.14 if portrait else 0.06))
    else:
        bottom = layout.text_top_px + layout.ass_font_size // 2
    card = Box(margin, max(0, bottom - card_h), card_w, card_h)
    return Placements(logo, hook, card, hook_font)


def lay_overlays(
    video: ffmpeg.nodes.FilterableStream,
    decor: Decor,
    size: tuple[int, int],
    work: Path,
    font: SubtitleFont,
) -> ffmpeg.nodes.FilterableStream:
    """Draw ``decor``'s pictures into ``work`` and lay them over ``video`` (``size`` frames)."""
    where = placements(*size, get_template(decor.template))
    if decor.card and decor.card.windows:
        path = _save(draw_card(decor.card, where.card, font), work / "card.png")
        video = _overlay(video, path, where.card, decor.card.windows)
    if decor.hook.strip():
        picture = draw_hook(decor.hook, where.hook, where.hook_font_px, font)
        video = _overlay(video, _save(picture, work / "hook.png"), where.hook, ((0, decor.hook_s),))
    if decor.logo is not None:
        path = _save(fit_logo(decor.logo, where.logo), work / "logo.png")
        video = _overlay(video, path, where.logo, ())
    return video


def _overlay(
    video: ffmpeg.nodes.FilterableStream,
    png: Path,
    box: Box,
    windows: tuple[tuple[float, float], ...],
) -> ffmpeg.nodes.FilterableStream:
    """Lay the picture ``png`` at ``box``'s corner, during ``windows`` (none: always)."""
    options: dict[str, object] = {"x": box.x, "y": box.y}
    if windows:
        options["enable"] = "+".join(f"between(t,{a:.3f},{b:.3f})" for a, b in windows)
    # One decoded picture; overlay repeats it after its end (eof_action=repeat).
    return ffmpeg.overlay(video, input_file(png).video, **options)


def _save(image: Image.Image, path: Path) -> Path:
    image.save(path, format="PNG")
    return path


@cache
def _pil_font(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, index=index)


def pil_font(font: SubtitleFont, size: int) -> ImageFont.FreeTypeFont:
    """Return ``font``'s face (the right one of a collection) at ``size`` pixels for Pillow."""
    families = [face.family for face in read_faces(font.font_file)]
    index = families.index(font.font_name) if font.font_name in families else 0
    return _pil_font(font.font_file, index, max(6, size))


def fitted_text(text: str, face: ImageFont.FreeTypeFont, width: int) -> str:
    """Return ``text`` on one line, cut with an ellipsis if it is wider than ``width`` pixels."""
    text = " ".join(text.split())
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text + "…"


def draw_hook(text: str, box: Box, font_px: int, font: SubtitleFont) -> Image.Image:
    """Draw the hook line: white text centred on a rounded jade band ``box`` wide."""
    face = pil_font(font, font_px)
    pad = font_px // 2
    line = fitted_text(text, face, box.width - 2 * pad)
    text_w = round(face.getlength(line))
    image = Image.new("RGBA", (min(box.width, text_w + 2 * pad), box.height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, image.width - 1, box.height - 1), radius=pad, fill=_HOOK_BOX)
    draw.text((image.width // 2, box.height // 2), line, font=face, fill="white", anchor="mm")
    canvas = Image.new("RGBA", (box.width, box.height), (0, 0, 0, 0))
    canvas.paste(image, ((box.width - image.width) // 2, 0))
    return canvas


def draw_card(card: ProductCard, box: Box, font: SubtitleFont) -> Image.Image:
    """Draw the product card: the photo on the left; name, price and certificate beside it."""
    image = Image.new("RGBA", (box.width, box.height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = box.height // 8
    draw.rounded_rectangle((0, 0, box.width - 1, box.height - 1), radius=radius, fill=_CARD_BOX)
    pad = box.height // 10
    left = pad
    if card.photo is not None and card.photo.is_file():
        edge = box.height - 2 * pad
        with Image.open(card.photo) as photo:
            image.paste(ImageOps.fit(photo.convert("RGB"), (edge, edge)), (pad, pad))
        left = pad * 2 + edge
    room = box.width - left - pad
    rows = [(card.name, 0.27, _INK), (card.price, 0.22, _PRICE), (card.certificate, 0.15, _MUTED)]
    y = pad
    for text, share, colour in rows:
        if not text:
            continue
        face = pil_font(font, round(box.height * share))
        draw.text((left, y), fitted_text(text, face, room), font=face, fill=colour)
        y += round(box.height * share * 1.25)
    return image


def fit_logo(path: Path, box: Box) -> Image.Image:
    """Return the logo scaled to fit ``box`` (keeping its shape), anchored to its top right."""
    with Image.open(path) as logo:
        logo = ImageOps.contain(logo.convert("RGBA"), (box.width, box.height))
    canvas = Image.new("RGBA", (box.width, box.height), (0, 0, 0, 0))
    canvas.paste(logo, (box.width - logo.width, 0))
    return canvas
