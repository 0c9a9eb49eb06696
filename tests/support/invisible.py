"""Invisible characters for tests: text holding every kind, and a check that none is left.

NUL is not among them: the portal refuses a request carrying one with 400 before any form sees
it (``reliability/test_web_security.py``); the unit tests of ``portal.text_cleaning`` cover it.
"""

from __future__ import annotations

import unicodedata

# One string per kind: bidi overrides and isolates, zero-width characters, other format (Cf)
# characters (soft hyphen, LRM, RLM, ALM, invisible operators, tags) and C0/C1 controls.
KINDS = {
    "bidi": "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    "zero width": "\u200b\u200c\u200d\u2060\ufeff",
    "format": "\u00ad\u200e\u200f\u061c\u2061\u2064\ufff9\U000e0041",
    "control": "\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9b\x9f",
}
EVERY_KIND = "".join(KINDS.values())


def sprinkled_all(text: str) -> str:
    """Return ``text`` with every invisible character after its first character."""
    return text[:1] + EVERY_KIND + text[1:]


def invisible_in(text: str) -> list[str]:
    """Return the control and format characters in ``text`` (line breaks and tabs aside)."""
    return [
        f"U+{ord(char):04X}"
        for char in text
        if unicodedata.category(char) in {"Cc", "Cf"} and char not in "\n\r\t"
    ]
