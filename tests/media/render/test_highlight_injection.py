"""Highlighted item names cannot open an ASS override block in the burned-in subtitles.

Item names (the merchant's catalog) are coloured in the subtitle lines by override tags added
after the user text is escaped. A name ending in a backslash (``手镯\\``) matched the escaping
backslash of a ``\\{`` in the line: the colour's closing ``{\\r}`` then followed that backslash
and was read as a literal brace, and the line's own ``{`` opened a block (``{\\fs200}`` drew the
text four times larger, ``{\\pos(0,0)}`` would move it). ``blocks_and_text`` reads a Dialogue
line as libass does (``\\{`` and ``\\}`` literal braces, ``{`` … ``}`` an override block);
one table is drawn by libass itself.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import ffmpeg
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from media.render.fonts import _from_package
from media.render.profiles import Cue
from media.render.styles import ass_colour_tag
from media.render.subtitles import SubtitleLayout, highlighter, write_ass
from media.subtitle_files import escape_ass_text

LAYOUT = SubtitleLayout.for_frame(720, 1280)
OUR_BLOCKS = {ass_colour_tag(LAYOUT.template.highlight), "\\r"}


def blocks_and_text(line: str) -> tuple[list[str], str]:
    """The override blocks of an ASS Dialogue text and the text shown, as libass parses them."""
    blocks, shown, i = [], [], 0
    while i < len(line):
        if line[i] == "\\" and line[i + 1 : i + 2] in {"{", "}"}:
            shown.append(line[i + 1])
            i += 2
        elif line[i] == "{" and "}" in line[i:]:
            end = line.index("}", i)
            blocks.append(line[i + 1 : end])
            i = end + 1
        else:
            shown.append(line[i])
            i += 1
    return blocks, "".join(shown)


def check_highlighted(text: str, terms: list[str]) -> None:
    escaped = escape_ass_text(text)
    decorate = highlighter(terms, LAYOUT.template)
    decorated = decorate(escaped) if decorate else escaped
    blocks, shown = blocks_and_text(decorated)
    assert set(blocks) <= OUR_BLOCKS, decorated
    assert shown == blocks_and_text(escaped)[1], decorated


HOSTILE = [
    ("a{\\fs200}大字", ["a\\"]),
    ("手镯\\{\\pos(0,0)}加微信", ["手镯\\"]),
    ("{\\fs200}大字", ["\\"]),
    ("x\\y{\\fs200}", ["y"]),
    ("翡翠{\\p1}m 0 0 l 100 0 100 100{\\p0}", ["翡翠", "{"]),
    ("和田玉\\}", ["玉\\", "}"]),
]


@pytest.mark.parametrize(("text", "terms"), HOSTILE)
def test_a_hostile_item_name_opens_no_override_block(text, terms):
    check_highlighted(text, terms)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="{}\\Nnh翡翠a p1(0,)fs", max_size=24),
    terms=st.lists(st.text(alphabet="{}\\翡翠a 1", min_size=1, max_size=4), max_size=3),
)
def test_any_item_names_in_any_line_only_ever_add_the_highlight_colour(text, terms):
    check_highlighted(text, terms)


def drawn_box(path: Path, text: str, terms: list[str]) -> tuple[int, int, int, int]:
    """Where libass draws ``text`` (with ``terms`` highlighted) on a black 720×1280 frame."""
    font = _from_package()
    assert font is not None
    write_ass(path, [Cue(0, 5, text)], font_name=font.font_name, layout=LAYOUT, highlights=terms)
    source = ffmpeg.input("color=black:s=720x1280:d=1", f="lavfi")
    drawn = source.filter("ass", filename=str(path), fontsdir=str(Path(font.font_file).parent))
    args = ffmpeg.output(drawn, "pipe:", f="rawvideo", pix_fmt="gray", vframes=1).compile()
    frame = subprocess.run(args, capture_output=True, check=True, timeout=120).stdout
    ys, xs = np.nonzero(np.frombuffer(frame, np.uint8).reshape(1280, 720) > 40)
    return int(ys.min()), int(ys.max()), int(xs.min()), int(xs.max())


@pytest.mark.parametrize(("text", "terms"), HOSTILE[:2])
def test_libass_draws_the_line_the_same_with_or_without_the_hostile_highlight(
    tmp_path, text, terms
):
    plain = drawn_box(tmp_path / "plain.ass", text, [])
    assert drawn_box(tmp_path / "highlighted.ass", text, terms) == plain


def test_an_item_name_is_still_highlighted(tmp_path):
    escaped = escape_ass_text("这款翡翠{手镯}很好")
    decorated = highlighter(["翡翠", "{手镯}"], LAYOUT.template)(escaped)
    blocks, _ = blocks_and_text(decorated)
    assert blocks.count("\\r") == 2
    assert re.search(r"翡翠\{\\r\}", decorated)
