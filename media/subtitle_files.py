"""Subtitle files — SubRip, WebVTT and ASS — written through ``pysubs2``.

Callers hand over timed lines: start and end in milliseconds and the text, with ``\\n`` between
the lines of a cue. Where lines break and how long cues last is the callers' (the house layout
is ``media.render.subtitles``); this module only escapes the text for each format so that it
shows literally, and lets pysubs2 write the file and its timestamps:

- pysubs2 reads ``\\N``, ``\\n`` and ``\\h`` as a line break or a hard space in every format, so
  a backslash before one of those letters is written as the full-width reverse solidus (U+FF3C);
  any other backslash is already literal;
- SubRip and WebVTT: ``-->`` becomes an arrow (a line with it is read as a new cue's timing,
  at whatever time it names, and the cue it was in is dropped);
- WebVTT: ``&``, ``<`` and ``>`` become entities;
- ASS: braces become ``\\{`` and ``\\}`` (they would start override tags); cues whose start and
  end round to the same centisecond are left out, as libass would never show them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping

import pysubs2

TimedText = tuple[int, int, str]  # start ms, end ms, text (lines joined by "\n")

_ESCAPED_LETTER = re.compile(r"\\(?=[Nnh])")
_FULLWIDTH_REVERSE_SOLIDUS = "＼"


def to_ms(seconds: float) -> int:
    """Return ``seconds`` as whole milliseconds, never negative."""
    return max(0, round(seconds * 1000))


def srt_text(cues: Iterable[TimedText]) -> str:
    """Return SubRip text for ``cues``."""
    return _subtitle_file(cues, _srt_line).to_string("srt", keep_ssa_tags=True)


def vtt_text(cues: Iterable[TimedText]) -> str:
    """Return WebVTT text for ``cues``."""
    return _subtitle_file(cues, _vtt_line).to_string("vtt", keep_ssa_tags=True)


def ass_text(
    cues: Iterable[TimedText],
    *,
    info: Mapping[str, str],
    style: pysubs2.SSAStyle,
    decorate: Callable[[str], str] | None = None,
) -> str:
    """Return an ASS script with ``info`` in its header and every cue in ``style``.

    ``decorate`` may add override tags to each line once it is escaped (the caller's tags, not
    the user's: user text never carries any).
    """
    shown = [cue for cue in cues if _centiseconds(cue[0]) != _centiseconds(cue[1])]
    escape = escape_ass_text if decorate is None else lambda line: decorate(escape_ass_text(line))
    subs = _subtitle_file(shown, escape)
    subs.info = dict(info)
    subs.styles = {"Default": style}
    return subs.to_string("ass")


def escape_ass_text(line: str) -> str:
    """Escape one line of user text for an ASS ``Dialogue``: it renders literally, never as tags.

    libass has no escape for a backslash itself; see the module docstring.
    """
    return _plain_line(line).replace("{", "\\{").replace("}", "\\}")


def _plain_line(line: str) -> str:
    """Keep a backslash before ``N``, ``n`` or ``h`` from turning into a break or a space."""
    return _ESCAPED_LETTER.sub(_FULLWIDTH_REVERSE_SOLIDUS, line)


def _srt_line(line: str) -> str:
    """Escape one line of SubRip cue text (no arrow: it would start a cue of its own)."""
    return _plain_line(line).replace("-->", "→")


def _vtt_line(line: str) -> str:
    """Escape one line of WebVTT cue text."""
    return html.escape(_srt_line(line), quote=False)


def _subtitle_file(cues: Iterable[TimedText], escape: Callable[[str], str]) -> pysubs2.SSAFile:
    """Collect ``cues`` as pysubs2 events, each line escaped by ``escape``."""
    subs = pysubs2.SSAFile()
    for start, end, text in cues:
        lines = "\\N".join(escape(line) for line in text.split("\n"))
        subs.append(pysubs2.SSAEvent(start=max(0, start), end=max(0, end), text=lines))
    return subs


def _centiseconds(ms: int) -> int:
    """Return ``ms`` rounded to centiseconds, as ASS times are written."""
    return (max(0, ms) + 5) // 10
