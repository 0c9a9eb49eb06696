"""Subtitle files for a clip: the ASS script libass burns into the picture, and a WebVTT file.

The style comes from one of the fixed templates (``media.render.styles``), never from free user
input: the CJK font, a size relative to the frame height, the text and outline colours, no
shadow, bottom-centre or centred. Words naming the clip's items (and their keywords) are drawn in
the template's highlight colour by ASS override tags added after the user text is escaped.
libass's own wrapping is off (``WrapStyle: 2``): lines are broken here for the frame width,
Chinese by characters and Latin by words, with widths estimated as 1 em for a CJK character and
about 0.55 em for Latin (0.65 for capitals and digits, 0.3 for a space; measured on Noto Sans
CJK Bold). A cue needing more than two lines becomes consecutive cues sharing its time in
proportion to their text. The files are written by ``media.subtitle_files``, which escapes
user text so it cannot carry ASS override tags or line-break escapes.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pysubs2

from media.render.profiles import Cue
from media.render.styles import (
    DEFAULT_TEMPLATE,
    TEMPLATES,
    Position,
    SubtitleTemplate,
    ass_colour,
    ass_colour_tag,
)
from media.subtitle_files import TimedText, ass_text, escape_ass_text, to_ms, vtt_text
from portal.text_cleaning import clean_line

MAX_LINES = 2
EM_HEIGHT_RATIO = 0.042  # a CJK character is 4.2 % of the frame height (54 px at 1280)
NARROW_EM = 0.55  # Latin lower case and punctuation (Noto Sans CJK Bold averages 0.57)
WIDE_LATIN_EM = 0.65  # capitals and digits (0.67 and 0.59)
SPACE_EM = 0.3  # 0.23 in the font
OUTLINE_PX = 3
# libass sizes a font by its ascent + descent (OS/2 win metrics); for Noto Sans CJK SC that is
# (1160 + 288) / 1000 em, so ``Fontsize`` = em × 1.448 (checked by rendering: 5 CJK characters
# at Fontsize 100 are 341 px wide). media.render.fonts reads the real figure from the font.
FONTSIZE_PER_EM = 1.448
_CLOSING = set("，。、；：！？）」』》〉】〕…—,.;:!?)]}%")
_OPENING = set("（「『《〈【〔“‘([{")
_BREAK_AFTER = set("，。、；：！？,.;:!?")
_SPACES = re.compile(r"\s+")
_PUNCTUATION_BONUS_EM = 3.0  # how much further a cue may be cut to end at punctuation


@dataclass(frozen=True)
class SubtitleLayout:
    """Where and how large subtitles are drawn on a ``width``×``height`` frame (pixels)."""

    width: int
    height: int
    em_px: int
    margin_h_px: int
    margin_v_px: int
    outline_px: int = OUTLINE_PX
    fontsize_per_em: float = FONTSIZE_PER_EM
    template: SubtitleTemplate = TEMPLATES[DEFAULT_TEMPLATE]

    @classmethod
    def for_frame(
        cls,
        width: int,
        height: int,
        *,
        fontsize_per_em: float = FONTSIZE_PER_EM,
        template: SubtitleTemplate | None = None,
    ) -> SubtitleLayout:
        """Return the layout of ``template`` (default: the house one) on a frame.

        Portrait frames keep bottom lines clear of the feed's controls. ``fontsize_per_em`` is
        the font's (win ascent + win descent) / em, libass's size unit.
        """
        template = template or TEMPLATES[DEFAULT_TEMPLATE]
        bottom = 0.14 if height > width else 0.06
        return cls(
            width=width,
            height=height,
            em_px=max(12, round(height * template.em_ratio)),
            margin_h_px=round(width * 0.05),
            margin_v_px=round(height * bottom) if template.position is Position.BOTTOM else 0,
            outline_px=template.outline_for(height),
            fontsize_per_em=fontsize_per_em,
            template=template,
        )

    @property
    def max_line_em(self) -> float:
        """Return how many ems fit on one line between the side margins."""
        usable = self.width - 2 * self.margin_h_px - 2 * self.outline_px
        return usable / self.em_px

    @property
    def ass_font_size(self) -> int:
        """Return the ASS ``Fontsize`` that draws CJK characters ``em_px`` wide."""
        return round(self.em_px * self.fontsize_per_em)

    @property
    def text_top_px(self) -> int:
        """Return the highest row the lines (with a line's slack) can reach."""
        block = (MAX_LINES + 1) * self.ass_font_size
        if self.template.position is Position.CENTRE:
            return max(0, (self.height - block) // 2)
        return max(0, self.height - self.margin_v_px - block)


@dataclass(frozen=True)
class _Token:
    """An unbreakable piece of a line: a CJK character or a Latin word, with its punctuation."""

    text: str
    space_before: bool


def char_width_em(char: str) -> float:
    """Return the estimated advance of ``char`` in ems."""
    if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
        return 0.0
    if unicodedata.east_asian_width(char) in {"W", "F", "A"}:
        return 1.0
    if char == " ":
        return SPACE_EM
    return WIDE_LATIN_EM if char.isupper() or char.isdigit() else NARROW_EM


def text_width_em(text: str) -> float:
    """Return the estimated width of ``text`` in ems."""
    return sum(char_width_em(char) for char in text)


def clean_text(text: str) -> str:
    """Collapse whitespace (line breaks included) and drop invisible characters.

    Texts are cleaned when they are saved (``portal.text_cleaning``); this also keeps older
    ones from drawing empty boxes or showing in another order.
    """
    return _SPACES.sub(" ", clean_line(text)).strip()


def break_lines(text: str, max_em: float) -> list[str]:
    """Break ``text`` greedily into lines no wider than ``max_em``."""
    return [_join(line) for line in _greedy_lines(_fit_tokens(_tokens(text), max_em), max_em)]


def layout_cues(cues: Iterable[Cue], max_em: float, *, max_lines: int = MAX_LINES) -> list[Cue]:
    """Break each cue into at most ``max_lines`` lines (joined by ``\\n``) that fit ``max_em``.

    A cue that needs more lines is split into consecutive cues, each taking a share of the
    cue's time in proportion to the width of its text.
    """
    laid_out: list[Cue] = []
    for cue in cues:
        tokens = _fit_tokens(_tokens(cue.text), max_em)
        if not tokens:
            continue
        groups = _groups(tokens, max_em, max_lines)
        widths = [max(_width(group), 1e-6) for group in groups]
        total, done = sum(widths), 0.0
        for group, width in zip(groups, widths, strict=True):
            start = cue.start_s + (cue.end_s - cue.start_s) * done / total
            done += width
            end = cue.start_s + (cue.end_s - cue.start_s) * done / total
            lines = _balanced_lines(group, max_em, max_lines)
            laid_out.append(Cue(start, end, "\n".join(_join(line) for line in lines)))
    return laid_out


def clip_cues(cues: Iterable[Cue], duration_s: float, *, offset_s: float = 0.0) -> list[Cue]:
    """Shift cues by ``offset_s``, keep the parts inside ``[0, duration_s]``, drop empty text."""
    kept = []
    for cue in cues:
        start = max(0.0, cue.start_s + offset_s)
        end = min(duration_s, cue.end_s + offset_s)
        text = clean_text(cue.text)
        if end > start and text:
            kept.append(Cue(start, end, text))
    return kept


def write_ass(
    path: Path,
    cues: Sequence[Cue],
    *,
    font_name: str,
    layout: SubtitleLayout,
    highlights: Sequence[str] = (),
) -> list[Cue]:
    """Write the ASS script for ``cues`` (clip-relative) to ``path``; return the cues drawn.

    Every occurrence of a ``highlights`` term (case-insensitive, inside one line) is drawn in
    the template's highlight colour.
    """
    if not font_name or any(char in font_name for char in ",\r\n"):
        raise ValueError(f"unusable font family name for ASS: {font_name!r}")
    drawn = layout_cues(cues, layout.max_line_em)
    info = {
        "PlayResX": str(layout.width),
        "PlayResY": str(layout.height),
        "WrapStyle": "2",
        "ScaledBorderAndShadow": "yes",
    }
    text = ass_text(
        _timed(drawn),
        info=info,
        style=_house_style(font_name, layout),
        decorate=highlighter(highlights, layout.template),
    )
    _write_atomically(path, text)
    return drawn


def write_vtt(path: Path, cues: Sequence[Cue]) -> Path:
    """Write ``cues`` (clip-relative, already clipped) to ``path`` as WebVTT, atomically."""
    _write_atomically(path, vtt_text(_timed(cues)))
    return Path(path)


def highlighter(terms: Sequence[str], template: SubtitleTemplate) -> Callable[[str], str] | None:
    """Return what colours ``terms`` in an escaped ASS line, or ``None`` when there are none.

    Terms are escaped as the line was, so they match it literally; the longest term wins where
    two overlap. The colour ends with ``{\\r}`` (back to the style). A tag never follows a
    backslash: ``\\{`` is a literal brace, so a match right after one, or ending in one (a name
    like ``手镯\\``), would leave the tag's brace literal and the line's next ``{`` opening a
    block of the user's own tags.
    """
    escaped = sorted({escape_ass_text(clean_text(term)) for term in terms if term.strip()}, key=len)
    if not escaped:
        return None
    names = "|".join(re.escape(term) for term in reversed(escaped))
    pattern = re.compile(rf"(?<!\\)(?:{names})(?<!\\)", re.IGNORECASE)
    tag = ass_colour_tag(template.highlight)
    return lambda line: pattern.sub(lambda found: f"{{{tag}}}{found.group(0)}{{\\r}}", line)


def _house_style(font_name: str, layout: SubtitleLayout) -> pysubs2.SSAStyle:
    """Return the template's style: bold text, an outline, no shadow, bottom or centred."""
    template = layout.template
    centred = template.position is Position.CENTRE
    return pysubs2.SSAStyle(
        fontname=font_name,
        fontsize=layout.ass_font_size,
        primarycolor=ass_colour(template.primary),
        secondarycolor=ass_colour(template.primary),
        outlinecolor=ass_colour(template.outline),
        backcolor=ass_colour(template.outline),
        bold=True,
        outline=layout.outline_px,
        shadow=0,
        alignment=pysubs2.Alignment.MIDDLE_CENTER if centred else pysubs2.Alignment.BOTTOM_CENTER,
        marginl=layout.margin_h_px,
        marginr=layout.margin_h_px,
        marginv=layout.margin_v_px,
    )


def _timed(cues: Iterable[Cue]) -> list[TimedText]:
    """Return cleaned cue lines with their times in milliseconds."""
    return [
        (
            to_ms(cue.start_s),
            to_ms(cue.end_s),
            "\n".join(clean_text(line) for line in cue.text.split("\n")),
        )
        for cue in cues
    ]


def _tokens(text: str) -> list[_Token]:
    """Split ``text`` into tokens: one per CJK character, one per Latin word, punctuation glued."""
    tokens: list[_Token] = []
    space, glue_next = False, False
    for char in clean_text(text):
        if char == " ":
            space, glue_next = True, False
            continue
        wide = char_width_em(char) == 1.0
        previous = tokens[-1].text if tokens else ""
        joins_word = bool(previous) and not wide and char_width_em(previous[-1]) != 1.0
        if tokens and not space and (glue_next or char in _CLOSING or joins_word):
            tokens[-1] = _Token(previous + char, tokens[-1].space_before)
        else:
            tokens.append(_Token(char, space))
        space, glue_next = False, char in _OPENING
    return tokens


def _fit_tokens(tokens: list[_Token], max_em: float) -> list[_Token]:
    """Cut any token wider than a line (a very long word) into pieces that fit."""
    fitted: list[_Token] = []
    for token in tokens:
        if text_width_em(token.text) <= max_em:
            fitted.append(token)
            continue
        piece, space_before = "", token.space_before
        for char in token.text:
            if piece and text_width_em(piece + char) > max_em:
                fitted.append(_Token(piece, space_before))
                piece, space_before = "", False
            piece += char
        fitted.append(_Token(piece, space_before))
    return fitted


def _width(tokens: Sequence[_Token]) -> float:
    """Return the width of ``tokens`` set on one line."""
    spaces = sum(1 for token in tokens[1:] if token.space_before)
    return sum(text_width_em(token.text) for token in tokens) + spaces * SPACE_EM


def _join(tokens: Sequence[_Token]) -> str:
    """Set ``tokens`` on one line."""
    return "".join(
        (" " if token.space_before and index else "") + token.text
        for index, token in enumerate(tokens)
    )


def _greedy_lines(tokens: Sequence[_Token], max_em: float) -> list[list[_Token]]:
    """Fill lines one token at a time."""
    lines: list[list[_Token]] = []
    current: list[_Token] = []
    for token in tokens:
        if current and _width([*current, token]) > max_em:
            lines.append(current)
            current = []
        current.append(token)
    if current:
        lines.append(current)
    return lines


def _groups(tokens: list[_Token], max_em: float, max_lines: int) -> list[list[_Token]]:
    """Split ``tokens`` into as few cues as fit ``max_lines`` lines each, of similar length."""
    lines = _greedy_lines(tokens, max_em)
    count = math.ceil(len(lines) / max_lines)
    if count == 1:
        return [tokens]
    cuts = [0, *_cut_points(tokens, count), len(tokens)]
    groups = [tokens[start:end] for start, end in itertools.pairwise(cuts)]
    if all(group and len(_greedy_lines(group, max_em)) <= max_lines for group in groups):
        return groups
    pairs = [lines[i : i + max_lines] for i in range(0, len(lines), max_lines)]
    return [[token for line in pair for token in line] for pair in pairs]


def _cut_points(tokens: list[_Token], count: int) -> list[int]:
    """Return where to cut ``tokens`` into ``count`` similar widths, preferring punctuation."""
    ends = list(itertools.accumulate(text_width_em(token.text) for token in tokens))
    cuts: list[int] = []
    for part in range(1, count):
        target = ends[-1] * part / count
        bonus = min(_PUNCTUATION_BONUS_EM, target / 4)

        def cost(cut: int, target: float = target, bonus: float = bonus) -> float:
            at_punctuation = tokens[cut - 1].text[-1] in _BREAK_AFTER
            return abs(ends[cut - 1] - target) - (bonus if at_punctuation else 0.0)

        first = cuts[-1] + 1 if cuts else 1
        cuts.append(min(range(first, len(tokens)), key=cost, default=len(tokens)))
    return cuts


def _balanced_lines(tokens: list[_Token], max_em: float, max_lines: int) -> list[list[_Token]]:
    """Set a group on as few lines as fit; two lines are balanced, preferring punctuation."""
    lines = _greedy_lines(tokens, max_em)
    if len(lines) != 2 or max_lines < 2:
        return lines
    best, best_score = lines, math.inf
    for cut in range(1, len(tokens)):
        first, second = tokens[:cut], tokens[cut:]
        widest = max(_width(first), _width(second))
        if widest > max_em:
            continue
        score = widest - (1.0 if first[-1].text[-1] in _BREAK_AFTER else 0.0)
        if score < best_score:
            best, best_score = [first, second], score
    return best


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to a temporary name beside ``path``, then rename it."""
    path = Path(path)
    temp = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.part{path.suffix}")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
