"""A proposed clip title: the item's name and the key facts said about it (pure).

From what is said in a suggestion's sentences: a price ("1280元", "一千二百块", "¥980"), a size
("18mm", "圈口56"; not "56号": "1号链接" names a shop link) and a certificate ("证书", "NGTC").
The first of each kind said is kept, in that order after the name:
"冰种手镯 · 1280元 · 圈口56 · 带证书". English speech gets English words ("certified").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from portal.punctuation import tidy_punctuation

MAX_TITLE_CHARS = 200
SEPARATOR = " · "
# Digits, or two Chinese numerals at least ("一块翡翠" is a piece of jade, not one yuan).
_NUMBER = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]{2,})"
PRICE = re.compile(
    rf"[¥￥]\s*\d+(?:\.\d+)?|{_NUMBER}\s*(?:块钱|块|元|万)|\$\s*\d+(?:\.\d+)?"
    r"|\d+(?:\.\d+)?\s*(?:yuan|dollars)\b",
    re.IGNORECASE,
)
SIZE = re.compile(
    r"圈口\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*(?:mm|毫米|cm|厘米)(?![A-Za-z])"
    r"|\d+(?:\.\d+)?\s*(?:millimet(?:er|re)s?)\b",
    re.IGNORECASE,
)
CERTIFICATE = re.compile(r"证书|国检|NGTC|GIA|certificate|certified", re.IGNORECASE)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def key_facts(texts: Iterable[str]) -> list[str]:
    """Return the first price, size and certificate said in ``texts`` (those found, in order)."""
    joined = "\n".join(texts)
    facts = [_first(PRICE, joined), _first(SIZE, joined)]
    if CERTIFICATE.search(joined):
        facts.append("带证书" if _HAN.search(joined) else "certified")
    return [fact for fact in facts if fact]


def proposed_title(item_name: str, texts: Iterable[str]) -> str:
    """Title a clip about ``item_name`` from what its sentences say (at most 200 characters)."""
    name = item_name.strip()
    facts = [fact for fact in key_facts(texts) if fact not in name]
    return tidy_punctuation(SEPARATOR.join([name, *facts]))[:MAX_TITLE_CHARS]


def _first(pattern: re.Pattern[str], text: str) -> str:
    """The first match, spaces dropped beside Chinese or a currency sign ("1280 元": "1280元")."""
    found = pattern.search(text)
    if found is None:
        return ""
    said = " ".join(found.group(0).split())
    return said.replace(" ", "") if re.search(r"[\u4e00-\u9fff¥￥$]", said) else said
