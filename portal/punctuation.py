"""Chinese punctuation and spacing in spoken text (pure).

The recogniser writes Chinese with half-width commas and stray spaces ("哈喽哈喽, 家人们 晚上好");
people type the same on a phone. ``tidy_punctuation`` makes Chinese read as Chinese: a mark
``, . ? ! : ;`` beside a Chinese character becomes full-width (，。？！：；), and no space stays
between two Chinese characters or beside a full-width mark. English keeps its ASCII
punctuation and its spaces; a Latin word or number inside Chinese keeps the spaces written
around it ("A货" and "18 mm" stay as they are), and marks inside numbers (1.5, 12:30) stay.

Applied where text is shown or published (a sentence's shown text, subtitle lines, the
knowledge card, the post text) and to a person's edit before it is stored; recognised text is
stored as heard, so the character offsets of name corrections keep pointing at it.
"""

from __future__ import annotations

import re

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width marks and brackets of Chinese text (CJK symbols, full-width forms).
_WIDE = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\uff3b-\uff40\uff5b-\uff65\u2018-\u201d\u2026"
FULL_WIDTH = str.maketrans({",": "，", ".": "。", "?": "？", "!": "！", ":": "：", ";": "；"})

# A half-width mark with a Han character before it (spaces between allowed), or after it for
# , ? ! ; (a "." or ":" before Chinese may end an abbreviation or a number: "No. 3", "12:30").
# Not one of several ("..." stays), except a run of ? and !, which is widened whole.
_MARK_AFTER_HAN = re.compile(rf"(?<=[{_HAN}])(\s*)(?<![.,?!:;])([,.?!:;])(?![.,?!:;])")
_ASKS_AFTER_HAN = re.compile(rf"(?<=[{_HAN}])\s*([?!]{{2,}})")
_MARK_BEFORE_HAN = re.compile(rf"(?<![.,?!:;])([,?!;])(\s*)(?=[{_HAN}])")
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}{_WIDE}])[ \t\u3000]+(?=[{_HAN}{_WIDE}])")
_SPACE_AFTER_WIDE = re.compile(rf"(?<=[{_WIDE}])[ \t]+")
_SPACE_BEFORE_WIDE = re.compile(r"[ \t]+(?=[\uff01\uff0c\uff1a\uff1b\uff1f\u3001\u3002])")


def tidy_punctuation(text: str) -> str:
    """Give Chinese in ``text`` full-width punctuation and no stray spaces; English unchanged."""
    if not re.search(f"[{_HAN}]", text):
        return text
    text = _MARK_AFTER_HAN.sub(lambda m: m.group(2).translate(FULL_WIDTH), text)
    text = _ASKS_AFTER_HAN.sub(lambda m: m.group(1).translate(FULL_WIDTH), text)
    text = _MARK_BEFORE_HAN.sub(lambda m: m.group(1).translate(FULL_WIDTH), text)
    text = _SPACE_BETWEEN_HAN.sub("", text)
    text = _SPACE_AFTER_WIDE.sub("", text)
    return _SPACE_BEFORE_WIDE.sub("", text)
