"""media.render.fonts: the CJK subtitle font lookup order and the names libass matches."""

import shutil
from importlib.metadata import metadata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from media.render import fonts
from media.render.fonts import FontNotFoundError, find_subtitle_font, font_from_file, read_faces

PACKAGED = fonts._from_package()
DEBIAN_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def test_packaged_font_is_the_simplified_face_named_as_libass_sees_it():
    assert PACKAGED is not None
    assert PACKAGED.font_name == "Noto Sans CJK SC"  # name ID 1, what libass matches
    assert PACKAGED.fontsize_per_em == pytest.approx(1.448)
    assert PACKAGED.fonts_dir == PACKAGED.font_file.parent


def test_packaged_font_states_its_open_font_licence():
    assert PACKAGED is not None
    assert metadata("noto-cjk-sans-otc")["License-Expression"] == "OFL-1.1"
    index = [face.family for face in read_faces(PACKAGED.font_file)].index(PACKAGED.font_name)
    with TTFont(PACKAGED.font_file, fontNumber=index, lazy=True) as font:
        licence = font["name"].getDebugName(13)
    assert "SIL Open Font License, Version 1.1" in licence


def test_configured_file_comes_first():
    assert PACKAGED is not None
    assert find_subtitle_font(PACKAGED.font_file) == PACKAGED


def test_configured_file_that_is_missing_or_not_a_font_is_an_error(tmp_path: Path):
    with pytest.raises(FontNotFoundError, match="does not exist"):
        find_subtitle_font(tmp_path / "nope.otf")
    text = tmp_path / "font.otf"
    text.write_text("not a font", encoding="utf-8")
    with pytest.raises(FontNotFoundError, match="cannot be read"):
        find_subtitle_font(text)


@pytest.mark.skipif(not DEBIAN_TTC.is_file(), reason="Debian fonts-noto-cjk is not installed")
def test_collection_picks_the_simplified_chinese_face():
    assert [face.family for face in read_faces(DEBIAN_TTC)][:5] == [
        "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC",
        "Noto Sans CJK TC", "Noto Sans CJK HK",
    ]  # fmt: skip
    assert font_from_file(DEBIAN_TTC).font_name == "Noto Sans CJK SC"
    assert font_from_file(DEBIAN_TTC, 3).font_name == "Noto Sans CJK TC"


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is not installed")
def test_fontconfig_noto_sans_cjk_sc_comes_before_the_package():
    found = fonts._from_fontconfig()
    if found is None:
        pytest.skip("fontconfig has no Noto Sans CJK SC here")
    assert find_subtitle_font() == found
    assert found.font_name == "Noto Sans CJK SC"


def test_without_fontconfig_the_packaged_font_is_used(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert find_subtitle_font() == PACKAGED


def test_no_font_anywhere_is_a_clear_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(fonts, "PACKAGED_FONT_MODULE", "no_such_font_package")
    with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
        find_subtitle_font()
