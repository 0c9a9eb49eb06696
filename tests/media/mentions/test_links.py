"""Link numbers in a transcript ("3号链接", "item 3") name the item at that number of the
stream's list; dates, times, lines and other numbers do not."""

from __future__ import annotations

import re

import pytest

from media.mentions.links import find_link_mentions, parse_number, prefer_listed
from media.mentions.matching import Mention, TimedSentence, TimedWord

# link number -> item id of the stream's list used by every case below
LINKS = {1: 101, 2: 102, 3: 103, 5: 105, 12: 112, 21: 121, 30: 130}


def sentence(index: int, text: str, start: float = 0.0, step: float = 0.25) -> TimedSentence:
    """A sentence whose words (a Chinese character, or a Latin word with its space) each last
    ``step`` seconds."""
    pieces = re.findall(r" ?[A-Za-z0-9#'.-]+|\s|.", text)
    words = tuple(
        TimedWord(start + n * step, start + (n + 1) * step, piece) for n, piece in enumerate(pieces)
    )
    return TimedSentence(index, start, start + len(words) * step, words)


def found(text: str, links: dict[int, int] = LINKS) -> list[tuple[int, str]]:
    return [(m.item_id, m.matched_text) for m in find_link_mentions([sentence(0, text)], links)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Link words: counted wherever the number is on the list.
        ("大家看3号链接，冰种的。", [(103, "3号链接")]),
        ("三号链接马上上架", [(103, "三号链接")]),
        ("拍十二号链接的姐妹扣个1", [(112, "十二号链接")]),
        ("二十一号宝贝卖完了", [(121, "二十一号宝贝")]),
        ("链接5，快去拍", [(105, "链接5")]),
        ("去链接三十号看", [(130, "链接三十号")]),
        ("第2号链接也不错", [(102, "第2号链接")]),
        ("３号连接已经改价了", [(103, "３号连接")]),
        ("1号链接和2号链接对比一下", [(101, "1号链接"), (102, "2号链接")]),
        ("Now look at link 3, the pearl.", [(103, "link 3")]),
        ("Item number twelve is back.", [(112, "Item number twelve")]),
        ("grab item twenty-one before it goes", [(121, "item twenty-one")]),
        ("LINK #5 has the bangle", [(105, "LINK #5")]),
        # A bare N号 counts when something points at it and nothing makes it a date.
        ("好，3号！", [(103, "3号")]),
        ("来看一下五号这个手镯", [(105, "五号")]),
        ("拍2号", [(102, "2号")]),
        ("3号。", [(103, "3号")]),
        ("Let's see number three.", [(103, "number three")]),
        ("Now, number 5!", [(105, "number 5")]),
    ],
)
def test_link_numbers_name_the_item_at_that_number(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "我1号发货",
        "今天是3号",
        "今天是3号。",
        "5月3号上新",
        "下个月1号开始",
        "我们1号下午见",
        "坐3号线过来",
        "2号楼的仓库",
        "3号之前下单都包邮",
        "星期五，2号，直播",
        "我3号回来",  # nothing points at it
        "一号店也有卖",
        "统一号码",
        "13号链接",  # 13 is not on the list: neither 13 nor 3
        "链接13",
        "3号链接",  # on another list below, not this one
        "一百号链接",
        "I ship on the 1st.",
        "This is our number one seller.",
        "the number 3 bus",
        "We're number one!",
        "item 13 is gone",
        "3 items left",
        "linked 3 times",
        "",
    ],
)
def test_hostile_sentences_name_no_item(text):
    links = {n: i for n, i in LINKS.items() if not (text == "3号链接" and n == 3)}
    assert found(text, links) == []


def test_no_list_or_no_numbers_finds_nothing():
    assert find_link_mentions([sentence(0, "3号链接")], {}) == []


def test_mention_is_timed_by_its_words_and_kind_link():
    [mention] = find_link_mentions([sentence(0, "大家看3号链接", start=10.0)], LINKS)
    assert (mention.start, mention.end) == (10.75, 11.75)
    assert (mention.kind, mention.term, mention.sentence_index) == ("link", "3号链接", 0)


def test_mentions_come_in_sentence_order():
    sentences = [sentence(4, "链接2"), sentence(5, "link 1 and link 3")]
    got = [(m.sentence_index, m.item_id) for m in find_link_mentions(sentences, LINKS)]
    assert got == [(4, 102), (5, 101), (5, 103)]


@pytest.mark.parametrize(
    ("text", "number"),
    [("3", 3), ("12", 12), ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99),
     ("两", 2), ("三十五", 35), ("twelve", 12), ("twenty-one", 21), ("ninety nine", 99),
     ("三三", None), ("十十", None), ("一百", None), ("0", None), ("", None), ("zero", None)],
)  # fmt: skip
def test_parse_number(text, number):
    assert parse_number(text) == number


def test_item_on_the_list_wins_a_tie_on_the_same_words_and_others_stay():
    def heard(item_id: int, sentence_index: int = 0) -> Mention:
        return Mention(item_id, sentence_index, 1.0, 2.0, "冰种手镯", "冰种手镯", "exact")

    shared, alone = [heard(1), heard(2), heard(3)], heard(4, sentence_index=1)

    assert prefer_listed([*shared, alone], {2}) == [heard(2), alone]
    assert prefer_listed([*shared, alone], {2, 3}) == [heard(2), heard(3), alone]
    assert prefer_listed([*shared, alone], set()) == [*shared, alone]
    assert prefer_listed([*shared, alone], {9}) == [*shared, alone]
