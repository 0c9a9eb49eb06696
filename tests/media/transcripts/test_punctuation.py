"""Chinese gets full-width punctuation and no stray spaces; English and numbers stay as written."""

from __future__ import annotations

import pytest

from portal.punctuation import tidy_punctuation


@pytest.mark.parametrize(
    ("written", "tidy"),
    [
        ("哈喽哈喽, 家人们晚上好", "哈喽哈喽，家人们晚上好"),
        ("家人们 晚上好.", "家人们晚上好。"),
        ("这个多少钱? 一千二!", "这个多少钱？一千二！"),
        ("注意: 证书; 编号", "注意：证书；编号"),
        ("好的 ， 我们看一下 。", "好的，我们看一下。"),
        ("这是A货, 很透", "这是A货，很透"),
        ("圈口 18mm, 戴着刚好", "圈口 18mm，戴着刚好"),
        ("买18mm的, 好看", "买18mm的，好看"),
        ("NGTC 证书 编号 N-77", "NGTC 证书编号 N-77"),
        ("价格 1.5 万, 很划算", "价格 1.5 万，很划算"),
        ("圈口 56, 带 NGTC 证书", "圈口 56，带 NGTC 证书"),
        ("一共 1,280 元", "一共 1,280 元"),
        ("12:30 开始", "12:30 开始"),
        ("等一下...", "等一下..."),
        ("真的吗?!", "真的吗？！"),
        ("Hello, everyone. Is it real? Yes!", "Hello, everyone. Is it real? Yes!"),
        ("The A grade, 18 mm: nice.", "The A grade, 18 mm: nice."),
        ("", ""),
        ("全角空格　之间", "全角空格之间"),
    ],
)
def test_tidy_punctuation_writes_chinese_as_chinese(written, tidy):
    assert tidy_punctuation(written) == tidy


def test_tidy_punctuation_is_idempotent():
    once = tidy_punctuation("哈喽哈喽, 家人们 晚上好. 这是A货, 18mm!")
    assert tidy_punctuation(once) == once
