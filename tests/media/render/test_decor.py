"""Styled renders: subtitle templates, highlighted words, hook line, logo and product card."""

from pathlib import Path

import numpy as np
import pysubs2
from PIL import Image

from media.render.overlays import placements
from media.render.profiles import Cue
from media.render.styles import Decor, ProductCard, get_template
from media.render.subtitles import SubtitleLayout, write_ass
from tests.media.render.conftest import RenderFn, frame_at

RED = (220, 20, 20)


def region(frame: np.ndarray, box) -> np.ndarray:
    """Return the pixels of ``box`` in ``frame``."""
    return frame[box.y : box.y + box.height, box.x : box.x + box.width]


def test_ass_file_holds_template_style_and_highlight_tags(tmp_path: Path) -> None:
    template = get_template("bold")
    layout = SubtitleLayout.for_frame(1920, 1080, template=template)  # one line each
    ass = tmp_path / "bold.ass"
    cues = [Cue(0, 2, "这只冰种翡翠手镯 {\\b0} jade"), Cue(2, 4, "没有名字")]
    write_ass(ass, cues, font_name="Noto Sans CJK SC", layout=layout, highlights=("翡翠", "Jade"))
    subs = pysubs2.load(str(ass))
    style = subs.styles["Default"]
    assert style.outlinecolor == pysubs2.Color(0x12, 0x3D, 0x33)
    assert style.outline == template.outline_for(1080)
    house = SubtitleLayout.for_frame(1920, 1080)
    assert style.fontsize == layout.ass_font_size > house.ass_font_size
    tag = "{\\1c&H00D4FF&}"
    assert subs[0].text == f"这只冰种{tag}翡翠{{\\r}}手镯 \\{{\\b0\\}} {tag}jade{{\\r}}"
    assert subs[1].text == "没有名字"


def test_centre_template_sets_middle_alignment(tmp_path: Path) -> None:
    layout = SubtitleLayout.for_frame(720, 1280, template=get_template("big"))
    ass = tmp_path / "big.ass"
    write_ass(ass, [Cue(0, 1, "翡翠")], font_name="Noto Sans CJK SC", layout=layout)
    style = pysubs2.load(str(ass)).styles["Default"]
    assert style.alignment == pysubs2.Alignment.MIDDLE_CENTER
    assert 400 < layout.text_top_px < 640


def test_render_lays_logo_always_hook_first_and_card_while_discussed(
    render: RenderFn, source: Path, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (200, 100), RED).save(logo)
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (300, 300), (20, 160, 60)).save(photo)
    card = ProductCard("冰种翡翠手镯", "¥12,800", "证书 NGTC-123", photo, ((2.5, 3.6),))
    decor = Decor(template="bold", highlights=("翡翠",), hook="今天看手镯", logo=logo, card=card)
    result = render(
        source, "styled", in_s=5.0, out_s=9.0, profile="vertical",
        cues=[(0.2, 3.8, "冰种翡翠手镯")], decor=decor,
    )  # fmt: skip
    where = placements(720, 1280, get_template("bold"))
    early, during, late = (frame_at(result.video_path, t) for t in (1.0, 3.0, 3.9))
    top_of_logo = region(during, where.logo)[:40, -40:]  # a 2:1 logo fills the top half
    logo_pixels = top_of_logo.reshape(-1, 3).mean(axis=0)
    assert logo_pixels[0] > 180  # red, top right
    assert logo_pixels[1] < 80
    card_early, card_during = region(early, where.card), region(during, where.card)
    assert np.abs(card_during - card_early).mean() > 40
    assert card_during.mean() > 180  # the white card
    hook_early, hook_late = region(early, where.hook), region(late, where.hook)
    assert np.abs(hook_early - hook_late).mean() > 10  # gone after 3 s
