"""Invisible characters taken out of user text before it is stored, published or printed.

People paste titles, subtitles, names and descriptions from chat apps, web pages and office
files, and with them characters nobody sees: bidi overrides and isolates (U+202A–U+202E,
U+2066–U+2069) that make text display in another order ("clip", U+202E, "gpj.exe" shows as
"clipexe.jpg"), zero-width characters (U+200B–U+200D, U+2060, U+FEFF) that hide inside a word so
that it no longer equals what it looks like, the other format characters (Unicode category Cf:
soft hyphen, LRM/RLM, invisible operators, tag characters …) and C0/C1 control characters. On
a page they are invisible or reorder what is shown; in the certificate PDF, the knowledge card
and burned subtitles the font has no glyph for them and they are drawn as empty boxes.

``clean_line`` is for one-line text (titles, names, SKUs): line breaks and tabs become a space
and every other control or format character goes. ``clean_text`` is for multi-line text
(descriptions, subtitles, notes): line breaks become ``\\n`` (CR LF, CR, U+2028, U+2029), tabs
and ``\\n`` stay, every other control or format character goes.

Kept on purpose:

- the zero-width joiner (U+200D) between two emoji (symbols, category So; a variation selector
  or skin tone may stand before it), where it builds one emoji out of several (woman, ZWJ,
  laptop is one "woman technologist"; without the joiner the two pictures stand side by side).
  There it cannot hide inside a word, since its neighbours are pictures, not letters. Anywhere
  else it is taken out like every other zero-width character: the portal's languages (Chinese,
  English) never need it between letters.
- variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF: category Mn, not Cf), which choose the
  emoji or text look of a symbol and CJK glyph variants, and every kind of space (U+3000, the
  ideographic space, is ordinary in Chinese text).

Second defence, on output: ``isolate_bidi`` (every template expression passes through it, see
``portal.templating``) wraps a value that still holds a bidi control (a row stored before the
cleaning, an import that skipped it) between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, the
characters ``<bdi>`` stands for: they work in text, attributes and ``<title>`` alike, and the
closing isolate ends every override opened inside, so the text around the value keeps its order.

Given up: the zero-width non-joiner (Persian spelling needs it; the portal has no Persian), and
the tag characters (U+E0020–U+E007F) of subdivision flags (the flag of Scotland shows as a
plain black flag): both are Cf.
"""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH_JOINER = "\u200d"
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf"})
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
# Characters that change the direction of the text after them (embeddings, overrides, isolates,
# marks); ``isolate_bidi`` keeps their effect inside the value that holds them.
_BIDI_CONTROL = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"
# Variation selectors 15/16 and the five skin tones, which may follow an emoji before a joiner.
_EMOJI_MODIFIERS = "\ufe0e\ufe0f" + "".join(map(chr, range(0x1F3FB, 0x1F400)))


def clean_line(text: str) -> str:
    """Return one-line ``text`` without invisible characters; breaks and tabs become spaces."""
    return _drop_invisible(_LINE_BREAK.sub(" ", text).replace("\t", " "), keep="")


def clean_text(text: str) -> str:
    """Return multi-line ``text`` without invisible characters, keeping ``\\n`` and tabs."""
    return _drop_invisible(_LINE_BREAK.sub("\n", text), keep="\n\t")


def isolate_bidi(value: object) -> object:
    """Return ``value`` isolated from the text around it if it holds a bidi control.

    Markup stays markup; any other value (numbers, None, text without such characters) is
    returned as it is.
    """
    if not isinstance(value, str) or not _BIDI_CONTROL.search(value):
        return value
    return value[:0].join((FIRST_STRONG_ISOLATE, value, POP_DIRECTIONAL_ISOLATE))


def _drop_invisible(text: str, keep: str) -> str:
    return "".join(
        char
        for index, char in enumerate(text)
        if char in keep
        or unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        or (char == ZERO_WIDTH_JOINER and _joins_emoji(text, index))
    )


def _joins_emoji(text: str, index: int) -> bool:
    """Tell whether the joiner at ``index`` stands between two emoji."""
    before = text[:index].rstrip(_EMOJI_MODIFIERS)
    after = text[index + 1 : index + 2]
    return bool(before and after) and all(
        unicodedata.category(char) == "So" for char in (before[-1], after)
    )
