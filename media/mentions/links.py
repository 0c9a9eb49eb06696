"""Mentions through the stream's item list (pure, deterministic): link numbers in a timed
transcript ("3号链接", "链接3", "item 3" name the item at that number of the list), and ties
between catalog names resolved for the items on the list.

Numbers are digits (1–999, full-width too) or words: Chinese numerals up to 九十九 (三, 十二,
二十一, 两) and English ones up to ninety-nine ("twelve", "twenty-one"). A number counts only
when it is a link number of the stream's list; nothing else is ever guessed.

The rule, strongest first:

* with a link word, always: "N号链接", "N号宝贝", "第N号链接", "链接N", "链接N号" (连接, a common
  mishearing of 链接, too), "link N", "item N", "link number N", "item #N";
* a bare "N号" only when nothing makes it a date, time or place — no 月, 今天/明天/昨天/后天/
  前天, 星期, 礼拜 or 周一…周日 in the six characters before it, and no 发货, 下午, 之前, 线, 楼,
  店 … right after it ("我1号发货", "今天是3号", "5月3号上新", "3号线") — *and* something points
  at it: it ends the sentence or a clause ("好，3号！"), 这/那 or a particle follows ("5号这个"),
  or a verb of choosing comes just before it ("拍2号", "看一下5号");
* misheard, with a link word: "N后宝贝", "N后链接" (号 heard as 后) — but not "N后宝贝们" (the
  audience) nor for a generation (00后, 05后, 10后 … 90后, 95后: a number of two digits
  ending in 0 or 5, or written with a leading 0); "链接器", "链接起", "链接期" … (链接七 heard as a
  character read qi, one sound) only as a clause of its own: at the start of a clause or after a
  verb of choosing, and ending it ("链接器，这个颜色…", not "链接器报错了" or "链接起来").
  Only qi is taken, as measured: 吧 (ba, 八) and 是 (shi, 十) end ordinary clauses after 链接,
  and 清 (qing) is not qi;
* "number N" likewise: not after the/our/my/we're … ("our number one seller"), and only at the
  end of a clause ("Let's see number three.") or after a verb of choosing ("grab number 5").
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence

from media.mentions.matching import Mention, TimedSentence
from media.mentions.normalise import pinyin_readings

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_EN_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_VALUES = {
    **{word: n for n, word in enumerate(_EN_UNITS, start=1)},
    **{word: n for n, word in enumerate(_EN_TEENS, start=10)},
    **{word: n for n, word in enumerate(_EN_TENS, start=2)},  # tens, times ten below
}
MAX_LINK_NUMBER = 999

_NUMERAL = "零〇一二两三四五六七八九十百千万"
_ZH_NUMBER = "[零〇一二两三四五六七八九十]+"
_EN_NUMBER = (
    rf"(?:(?:{'|'.join(_EN_TENS)})(?:[\s-]+(?:{'|'.join(_EN_UNITS)}))?"
    rf"|{'|'.join(_EN_TEENS)}|{'|'.join(_EN_UNITS)})"
)
_PUNCTUATION = "，。！？、；：,.!?;:…~～"
_NUMBER = rf"(?<![{_NUMERAL}\d])(?P<n>\d{{1,3}}|{_ZH_NUMBER})(?![{_NUMERAL}\d])"
_LATIN_NUMBER = rf"(?P<n>\d{{1,3}}(?!\d)(?![.,]\d)|{_EN_NUMBER})\b"
_LINK_WORD = "(?:链接|连接|宝贝)"

_WITH_LINK_WORD = (
    re.compile(rf"(?:第\s*)?{_NUMBER}\s*号\s*{_LINK_WORD}"),
    re.compile(rf"(?:链接|连接)\s*(?:第\s*)?{_NUMBER}(?:\s*号)?"),
    re.compile(rf"\b(?:link|item)(?:\s+(?:number|no\.?))?\s*#?\s*{_LATIN_NUMBER}"),
)
_HOU_BEFORE_LINK_WORD = re.compile(rf"{_NUMBER}\s*后\s*{_LINK_WORD}(?!\s*们)")
_GENERATION = re.compile(r"0\d|[1-9][05]|[一二三四五六七八九]?十")
_CLAUSE_BREAK_BEFORE = re.compile(rf"(?:^|[{_PUNCTUATION}])\s*$")
_LINK_AND_ONE_CHAR = re.compile(rf"链接(?P<n>\w)(?=\s*(?:$|[{_PUNCTUATION}]))")
_NUMBER_HEARD_AS = {"qi": 7}  # toneless pinyin → link number, as measured (qing is not qi)
_BARE_HAO = re.compile(rf"{_NUMBER}\s*号(?!\s*{_LINK_WORD})")
_BARE_NUMBER = re.compile(rf"\bnumber\s*#?\s*{_LATIN_NUMBER}")

_DATE_BEFORE = re.compile(r"月|今天|明天|昨天|后天|前天|星期|礼拜|周[一二三四五六日天末]")
_NOT_A_LINK_AFTER = re.compile(
    r"\s*(?:发|到货|上午|下午|中午|晚|早|凌晨|傍晚|之前|以前|前|之后|以后|后|开始|结束|截止|当天|"
    r"那天|楼|线|门|房|床|位|店|车|机|窗|口|球|台|桌|柜|码|字|院|路|街|站|厅|馆|选手|嘉宾)"
)
_POINTED_AFTER = re.compile(rf"\s*(?:$|[{_PUNCTUATION}]|这|那|呢|啊|吧|呀|哦|噢|哈|嘛)")
_CHOOSING_BEFORE = re.compile(r"(?:拍|看|要|买|抢|选|来|上|去|点|找|下单|一下)\s*$")
_EN_NOT_A_LINK_BEFORE = re.compile(
    r"\b(?:the|a|our|my|your|their|his|her|its|we[’']re|we are|i[’']m|you[’']re|they[’']re)\s*$"
)
_EN_POINTED_AFTER = re.compile(r"\s*(?:$|[,.!?;:])")
_EN_CHOOSING_BEFORE = re.compile(r"\b(?:at|see|grab|get|take|pick|choose|buy|order|want|try)\s*$")
_LOOK_BACK = 6  # characters before a bare number searched for a date word


def parse_number(text: str) -> int | None:
    """Return the link number ``text`` writes (digits, Chinese or English words), or None."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    if text.isdigit():
        value = int(text)
    elif text[:1] in _ZH_DIGITS or text[:1] == "十":
        value = _chinese_number(text)
    else:
        value = _english_number(text)
    return value if value is not None and 1 <= value <= MAX_LINK_NUMBER else None


def _chinese_number(text: str) -> int | None:
    """Read 一 … 九十九 (十二, 二十, 三十五); anything else (三三, 一百) is None."""
    if len(text) == 1 and text in _ZH_DIGITS:
        return _ZH_DIGITS[text]
    tens, ten, ones = text.partition("十")
    if not ten or len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    if (tens and tens not in _ZH_DIGITS) or (ones and ones not in _ZH_DIGITS):
        return None
    return _ZH_DIGITS.get(tens, 1) * 10 + _ZH_DIGITS.get(ones, 0)


def _english_number(text: str) -> int | None:
    """Read one … ninety-nine ("twenty one", "twenty-one"); anything else is None."""
    words = text.replace("-", " ").split()
    if len(words) == 1 and words[0] in _EN_VALUES:
        value = _EN_VALUES[words[0]]
        return value * 10 if words[0] in _EN_TENS else value
    if len(words) == 2 and words[0] in _EN_TENS and words[1] in _EN_UNITS:
        return _EN_VALUES[words[0]] * 10 + _EN_VALUES[words[1]]
    return None


def find_link_mentions(
    sentences: Sequence[TimedSentence], links: Mapping[int, int]
) -> list[Mention]:
    """Find every link number of ``links`` (link number → item id), in sentence order."""
    if not links:
        return []
    return [mention for sentence in sentences for mention in _in_sentence(sentence, links)]


def _folded(text: str) -> str:
    """Fold width and case character by character, so offsets stay those of ``text``."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char).lower()
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def _in_sentence(sentence: TimedSentence, links: Mapping[int, int]) -> list[Mention]:
    """Find the sentence's link numbers; a match with a link word wins over a bare one."""
    folded = _folded(sentence.text)
    taken: dict[tuple[int, int], int] = {}
    for match, number in _candidates(folded):
        start, end = match.span()
        if number in links and not any(start < e and s < end for s, e in taken):
            taken[start, end] = number
    return [
        _mention(sentence, start, end, links[number], number)
        for (start, end), number in sorted(taken.items())
    ]


def _candidates(folded: str) -> Iterator[tuple[re.Match[str], int | None]]:
    """Yield possible link numbers with their number, those with a link word first."""
    for pattern in _WITH_LINK_WORD:
        yield from _numbered(pattern.finditer(folded))
    hou = _HOU_BEFORE_LINK_WORD.finditer(folded)
    yield from _numbered(m for m in hou if not _GENERATION.fullmatch(m.group("n")))
    yield from _heard_as_a_number(folded)
    yield from _numbered(m for m in _BARE_HAO.finditer(folded) if _is_pointed_hao(folded, m))
    bare = _BARE_NUMBER.finditer(folded)
    yield from _numbered(m for m in bare if _is_pointed_number(folded, m))


def _numbered(
    matches: Iterable[re.Match[str]],
) -> Iterator[tuple[re.Match[str], int | None]]:
    """Pair each match with the number its ``n`` group writes."""
    return ((match, parse_number(match.group("n"))) for match in matches)


def _heard_as_a_number(text: str) -> Iterator[tuple[re.Match[str], int]]:
    """Yield "链接器"-like clauses: 链接 and one character read as a number
    (``_NUMBER_HEARD_AS``), alone in its clause: at its start or after a verb of choosing."""
    for match in _LINK_AND_ONE_CHAR.finditer(text):
        before = text[: match.start()]
        if not (_CLAUSE_BREAK_BEFORE.search(before) or _CHOOSING_BEFORE.search(before)):
            continue
        readings = pinyin_readings(match.group("n"))
        if readings and readings[0] in _NUMBER_HEARD_AS:
            yield match, _NUMBER_HEARD_AS[readings[0]]


def _is_pointed_hao(text: str, match: re.Match[str]) -> bool:
    """Tell whether a bare "N号" names a link: no date around it, something pointing at it."""
    before, after = text[: match.start()], text[match.end() :]
    if _DATE_BEFORE.search(before[-_LOOK_BACK:]) or _NOT_A_LINK_AFTER.match(after):
        return False
    return bool(_POINTED_AFTER.match(after) or _CHOOSING_BEFORE.search(before))


def _is_pointed_number(text: str, match: re.Match[str]) -> bool:
    """Tell whether "number N" names a link (not "our number one seller")."""
    before, after = text[: match.start()], text[match.end() :]
    if _EN_NOT_A_LINK_BEFORE.search(before):
        return False
    return bool(_EN_POINTED_AFTER.match(after) or _EN_CHOOSING_BEFORE.search(before))


def _mention(sentence: TimedSentence, start: int, end: int, item_id: int, number: int) -> Mention:
    """Time the span ``start:end`` of the sentence's text by the words covering it."""
    owners = [n for n, word in enumerate(sentence.words) for _ in word.text]
    matched = sentence.text[start:end]
    is_latin = matched.isascii()
    return Mention(
        item_id=item_id,
        sentence_index=sentence.index,
        start=sentence.words[owners[start]].start,
        end=sentence.words[owners[end - 1]].end,
        matched_text=matched,
        term=f"link {number}" if is_latin else f"{number}号链接",
        kind="link",
    )


def prefer_listed(mentions: Sequence[Mention], listed: Collection[int]) -> list[Mention]:
    """Drop the items not on the list from ties: the very same words matched equally well.

    Two items tie on a shared alias ("冰种手镯" for two bangles); when some of them are on the
    stream's list, only those count. A mention of an item off the list that ties with no listed
    item stays: the merchant may have left an item off the list.
    """
    ties: dict[tuple[object, ...], list[Mention]] = defaultdict(list)
    for mention in mentions:
        ties[_same_words(mention)].append(mention)
    return [
        m
        for m in mentions
        if m.item_id in listed or not any(o.item_id in listed for o in ties[_same_words(m)])
    ]


def _same_words(mention: Mention) -> tuple[object, ...]:
    return (mention.sentence_index, mention.start, mention.end, mention.kind, mention.matched_text)
