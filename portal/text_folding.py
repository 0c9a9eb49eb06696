"""The text folding that mention matching, search and the compliance check share.

Folded text compares equal however it was typed: NFKC (full-width ＶＸ → VX, １００％ → 100%),
case-folded, Traditional → Simplified (開光 → 开光, ``portal.simplified``). ``fold_char`` folds
one character, converting each Chinese character on its own so that every folded character
still maps back to the one it came from (mentions and compliance point into the original text);
``fold_text`` folds a whole text and converts Chinese phrase by phrase, as the search index does.
What each feature then keeps (letters and digits, symbols, variants) stays with the feature.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from portal.simplified import to_simplified

_FIRST_CJK = 0x2E80


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """Fold one character: NFKC, case-fold, Simplified; the result may be several characters.

    A character whose Simplified form is not a single character is kept as it is.
    """
    return "".join(_simplified_char(out) for out in unicodedata.normalize("NFKC", char).casefold())


def fold_text(text: str) -> str:
    """Fold ``text`` as a whole: NFKC, case-fold, Traditional → Simplified by phrase."""
    return to_simplified(unicodedata.normalize("NFKC", text).casefold())


def _simplified_char(char: str) -> str:
    """Return the Simplified form of one character if it is a single character, else ``char``."""
    if ord(char) < _FIRST_CJK:
        return char
    simplified = to_simplified(char)
    return simplified if len(simplified) == 1 else char
