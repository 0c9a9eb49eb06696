"""media.render.subtitles: line breaking, ASS escaping and layout, checked against libass."""

import itertools
import re
import subprocess
from pathlib import Path

import ffmpeg
import numpy as np
import pytest
from PIL import Image

from media.render.fonts import SubtitleFont, _from_package
from media.render.profiles import Cue
from media.render.subtitles import (
    SubtitleLayout,
    break_lines,
    clean_text,
    layout_cues,
    text_width_em,
    write_ass,
    write_vtt,
)
from media.subtitle_files import escape_ass_text
from tests.support.invisible import sprinkled_all

VERTICAL = SubtitleLayout.for_frame(720, 1280)
LONG_CHINESE = (
    "这只冰种翡翠手镯的水头非常足，种老色正，圈口五十六毫米，适合大部分人佩戴，"
    "每一件都附有国家珠宝玉石质量监督检验中心的证书，喜欢的朋友可以在评论区留言"
)


def dialogue_texts(ass: Path) -> list[str]:
    lines = ass.read_text(encoding="utf-8").splitlines()
    return [line.split(",", 9)[9] for line in lines if line.startswith("Dialogue:")]


@pytest.fixture(scope="module")
def packaged_font() -> SubtitleFont:
    font = _from_package()
    assert font is not None
    return font


@pytest.fixture
def no_system_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hide the system fonts from fontconfig, as on a host without fonts-noto-cjk."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><cachedir>{tmp_path}/fc</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))


def test_user_text_cannot_inject_ass_tags(tmp_path: Path):
    ass = tmp_path / "s.ass"
    cues = [Cue(0.0, 2.0, "{\\b1}粗体{\\i1} a\\Nb c\\hd e\\\\f {}")]
    wide = SubtitleLayout.for_frame(1920, 1080)  # one line: any \\N would be injected
    write_ass(ass, cues, font_name="Noto Sans CJK SC", layout=wide)
    (text,) = dialogue_texts(ass)
    assert text.startswith("\\{\\b1\\}粗体\\{\\i1\\}")
    assert re.search(r"(?<!\\)[{}]", text) is None  # every brace is escaped
    assert "a＼Nb" in text  # not a line break
    assert "c＼hd" in text  # not a hard space
    assert "e\\\\f" in text  # a backslash before anything else is already literal
    assert "\\N" not in text


def test_invisible_characters_are_neither_burned_in_nor_written_to_webvtt(tmp_path: Path):
    ass, vtt = tmp_path / "s.ass", tmp_path / "s.vtt"
    cues = [Cue(0.0, 2.0, sprinkled_all("翡翠手镯"))]  # saved before texts were cleaned
    write_ass(ass, cues, font_name="Noto Sans CJK SC", layout=SubtitleLayout.for_frame(1920, 1080))
    write_vtt(vtt, cues)

    assert dialogue_texts(ass) == ["翡翠手镯"]
    assert vtt.read_text(encoding="utf-8").splitlines()[4] == "翡翠手镯"


def test_escape_keeps_ordinary_text_and_collapses_whitespace():
    assert escape_ass_text(clean_text("翡翠 Jade,\n 手镯\t!")) == "翡翠 Jade, 手镯 !"
    assert escape_ass_text("C:\\path") == "C:\\path"


def test_style_is_fixed_in_code(tmp_path: Path):
    ass = tmp_path / "s.ass"
    write_ass(ass, [Cue(0, 1, "x")], font_name="Noto Sans CJK SC", layout=VERTICAL)
    content = ass.read_text(encoding="utf-8")
    assert "WrapStyle: 2" in content
    assert "PlayResX: 720\nPlayResY: 1280" in content
    style = next(line for line in content.splitlines() if line.startswith("Style:"))
    fields = style.removeprefix("Style: ").split(",")
    assert fields[1] == "Noto Sans CJK SC"
    assert fields[2] == str(round(54 * 1.448))  # 4.2 % of the height per CJK character
    assert fields[3] == "&H00FFFFFF"  # white
    assert (fields[15], fields[16], fields[17], fields[18]) == ("1", "3", "0", "2")
    with pytest.raises(ValueError, match="font family"):
        write_ass(ass, [], font_name="Evil,Font", layout=VERTICAL)


def test_long_chinese_cue_becomes_consecutive_cues_of_two_lines_that_fit():
    cues = layout_cues([Cue(10.0, 22.0, LONG_CHINESE)], VERTICAL.max_line_em)
    assert len(cues) >= 3
    assert cues[0].start_s == 10.0
    assert cues[-1].end_s == pytest.approx(22.0)
    for before, after in itertools.pairwise(cues):
        assert before.end_s == pytest.approx(after.start_s)
    for cue in cues:
        lines = cue.text.split("\n")
        assert 1 <= len(lines) <= 2
        assert all(text_width_em(line) <= VERTICAL.max_line_em for line in lines)
        assert not lines[-1].startswith(("，", "。"))  # punctuation never starts a line
    assert "".join(cue.text.replace("\n", "") for cue in cues) == LONG_CHINESE


def test_latin_breaks_between_words():
    lines = break_lines("Every piece comes with a certificate from the testing centre", 12)
    assert all(text_width_em(line) <= 12 for line in lines)
    assert " ".join(lines) == "Every piece comes with a certificate from the testing centre"
    assert break_lines("翡翠Jade手镯", 3) == ["翡翠", "Jade", "手镯"]


def draw_first_cue(ffmpeg_bin: str, ass: Path, fonts_dir: Path, tmp_path: Path) -> np.ndarray:
    """Draw the script's first second on black; return the grey pixels."""
    png = tmp_path / "frame.png"
    subprocess.run(
        [ffmpeg_bin, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "color=black:s=720x1280:d=1",
         "-vf", f"ass={ass}:fontsdir={fonts_dir}", "-frames:v", "1", str(png)],
        check=True, timeout=120,
    )  # fmt: skip
    return np.asarray(Image.open(png).convert("L"))


@pytest.mark.parametrize(
    "text",
    [
        "翡" * 40,
        "JADEITE BANGLE 56MM NGTC CERTIFICATE 2024 OFFER 1888 YUAN",
        "Every piece comes with a certificate from the national gemstone testing centre",
        "翡翠手镯 Jadeite bangle 圈口56mm，冰种 ICE JADE 和田玉 Hetian",
    ],
)
def test_laid_out_lines_stay_inside_the_margins_when_drawn(
    tmp_path: Path, ffmpeg_bin: str, packaged_font: SubtitleFont, no_system_fonts: None, text: str
):
    layout = SubtitleLayout.for_frame(720, 1280, fontsize_per_em=packaged_font.fontsize_per_em)
    ass = tmp_path / "s.ass"
    write_ass(ass, [Cue(0, 5, text)], font_name=packaged_font.font_name, layout=layout)
    pixels = draw_first_cue(ffmpeg_bin, ass, packaged_font.fonts_dir, tmp_path)
    columns = np.flatnonzero(pixels.max(axis=0) > 128)
    rows = np.flatnonzero(pixels.max(axis=1) > 128)
    assert columns[0] >= layout.margin_h_px
    assert columns[-1] <= 720 - layout.margin_h_px
    assert rows[-1] < 1280 - layout.margin_v_px + 5  # above the bottom margin


def test_a_full_line_of_chinese_uses_the_width(
    tmp_path: Path, ffmpeg_bin: str, packaged_font: SubtitleFont, no_system_fonts: None
):
    layout = SubtitleLayout.for_frame(720, 1280, fontsize_per_em=packaged_font.fontsize_per_em)
    full = "翡" * int(layout.max_line_em)
    assert len(break_lines(full + "翡", layout.max_line_em)) == 2
    ass = tmp_path / "s.ass"
    drawn = write_ass(ass, [Cue(0, 5, full)], font_name=packaged_font.font_name, layout=layout)
    assert drawn[0].text == full
    pixels = draw_first_cue(ffmpeg_bin, ass, packaged_font.fonts_dir, tmp_path)
    columns = np.flatnonzero(pixels.max(axis=0) > 128)
    # each character is drawn em_px wide: the line is as wide as estimated
    assert columns[-1] - columns[0] == pytest.approx(len(full) * layout.em_px, rel=0.03)


def test_cjk_is_drawn_with_the_cjk_font_and_no_missing_glyphs(
    tmp_path: Path, ffmpeg_bin: str, packaged_font: SubtitleFont, no_system_fonts: None
):
    ass = tmp_path / "s.ass"
    write_ass(
        ass, [Cue(0, 5, "冰种翡翠手镯 Jade 和田玉")],
        font_name=packaged_font.font_name, layout=VERTICAL,
    )  # fmt: skip
    completed = subprocess.run(
        [ffmpeg_bin, "-hide_banner", "-loglevel", "info", "-f", "lavfi",
         "-i", "color=black:s=720x1280:d=1",
         "-vf", f"ass={ass}:fontsdir={packaged_font.fonts_dir}", "-f", "null", "-"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    log = completed.stderr
    assert f"Loading font file '{packaged_font.fonts_dir}/{packaged_font.font_file.name}'" in log
    # fontconfig knows no fonts here: the face found is the one loaded from fontsdir.
    # The Simplified Chinese face of the collection, made bold by libass.
    assert "fontselect: (Noto Sans CJK SC, 700, 0) -> NotoSansCJKsc-Regular" in log
    assert "Glyph" not in log
    assert "failed" not in log


def test_ass_and_fonts_paths_with_filtergraph_characters(
    tmp_path: Path, ffmpeg_bin: str, packaged_font: SubtitleFont, no_system_fonts: None
):
    odd = tmp_path / "we:ird 'dir,[x];=\\y"
    fonts = odd / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "font.otf").symlink_to(packaged_font.font_file)
    ass = odd / "sub:s'1.ass"
    write_ass(ass, [Cue(0, 5, "翡翠")], font_name=packaged_font.font_name, layout=VERTICAL)
    source = ffmpeg.input("color=black:s=720x1280:d=1", f="lavfi")
    drawn = source.filter("ass", filename=str(ass), fontsdir=str(fonts))
    args = ffmpeg.output(drawn, "-", f="null", vframes=1).compile(cmd=ffmpeg_bin)
    completed = subprocess.run(
        [*args, "-loglevel", "info"], capture_output=True, text=True, timeout=120, check=True
    )
    assert f"Loading font file '{fonts}/font.otf'" in completed.stderr
    assert f"Added subtitle file: '{ass}'" in completed.stderr
    # fontconfig knows no fonts here: the face found is the one loaded from fontsdir.
    assert f"fontselect: ({packaged_font.font_name}, 700, 0) -> NotoSansCJK" in completed.stderr
