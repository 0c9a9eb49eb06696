"""Domain words the Chinese segmenter must keep whole, and same-length spelling variants.

jieba's general dictionary splits trade terms such as 帝王绿 or 飘花; adding them keeps a
search for the term and the indexed text segmented the same way.
"""

from __future__ import annotations

JADE_WORDS = (
    "翡翠", "和田玉", "和田", "手镯", "玉镯", "冰种", "玻璃种", "糯种", "豆种", "油青", "金丝种",
    "冰糯种", "高冰", "飘花", "飘绿花", "帝王绿", "满绿", "阳绿", "晴水", "紫罗兰", "春带彩",
    "黄翡", "红翡", "墨翠", "蛋面", "戒面", "平安扣", "吊坠", "挂件", "玉佩", "观音", "佛公",
    "貔貅", "葫芦", "手串", "圆条", "扁条", "贵妃镯", "圈口", "种水", "起光", "荧光", "棉絮",
    "石纹", "裂纹", "羊脂玉", "羊脂白玉", "白玉", "青玉", "碧玉", "墨玉", "糖玉", "青花", "籽料",
    "山料", "山流水", "戈壁料", "俄料", "青海料", "证书", "国检", "天然", "直播间",
)  # fmt: skip

# Spellings that mean the same thing and keep their length (offsets stay valid for highlighting).
VARIANTS = {"和阗": "和田"}
