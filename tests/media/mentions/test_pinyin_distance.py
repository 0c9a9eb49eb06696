"""How far apart two toneless syllables sound (media.mentions.pinyin_distance)."""

import pytest

from media.mentions.pinyin_distance import initials_close, syllable_distance


@pytest.mark.parametrize(
    ("heard", "said", "distance"),
    [
        ("yu", "yu", 0.0),
        ("yi", "yu", 0.25),  # i/ü: lip rounding only
        ("lv", "li", 0.25),
        ("bing", "bin", 0.25),  # -ng/-n
        ("gui", "gei", 0.25),  # a glide (u-ei)
        ("zhong", "zong", 0.25),  # zh/z
        ("mu", "nuo", 0.5),  # m/n, and u/uo are both back rounded
        ("jian", "jie", 0.5),  # the same initial, the final not
        ("fu", "xiu", 0.75),  # u/iou only
        ("bai", "bi", 0.5),  # ai is not i
        ("fu", "bi", 1.0),
        ("se", "yu", 1.0),
    ],
)
def test_syllables_are_graded_by_how_far_apart_they_sound(heard, said, distance):
    assert syllable_distance(heard, said) == distance
    assert syllable_distance(said, heard) == distance


@pytest.mark.parametrize(
    ("heard", "said", "close"),
    [
        ("mo", "nuo", True),  # m/n
        ("zong", "zhong", True),  # z/zh
        ("bing", "bing", True),
        ("yu", "wu", True),  # no initial either
        ("xian", "tian", False),  # a rhyme only
        ("kan", "ran", False),
        ("bai", "xiu", False),
    ],
)
def test_initials_are_close_when_the_same_or_often_confused(heard, said, close):
    assert initials_close(heard, said) is close
    assert initials_close(said, heard) is close
