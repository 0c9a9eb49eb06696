"""Large catalogs of near-miss jade item names: the same materials and forms in every combination.

A merchant's catalog repeats words (和田玉手镯, 和田玉吊坠, 和田玉籽料手镯 …), so telling
items apart takes the rare words. These catalogs hold 200 items by default, English or Chinese,
each a ``(name, aliases)`` pair; most have a shorter alias (the material's first word + form).
"""

from __future__ import annotations

from itertools import product

ENGLISH_MATERIALS = (
    "Hetian nephrite", "Xiuyan jade", "Dushan jade", "ice jadeite", "Lantian jade",
    "Burmese jadeite", "red agate", "freshwater pearl", "Hetian seed jade", "glutinous jadeite",
)  # fmt: skip
ENGLISH_FORMS = (
    "bangle", "pendant", "Pixiu charm", "Buddha pendant", "ring", "bracelet", "necklace",
    "gourd pendant", "peace buckle", "earrings", "Guanyin pendant", "plain tablet", "bead string",
    "carved ornament", "landscape plaque", "lucky melon", "leaf pendant", "cabochon ring",
    "barrel bead", "ruyi scepter",
)  # fmt: skip
CHINESE_MATERIALS = (
    "和田玉", "岫玉", "独山玉", "冰种翡翠", "蓝田玉", "缅甸翡翠", "南红玛瑙", "淡水珍珠",
    "和田玉籽料", "糯种翡翠",
)  # fmt: skip
CHINESE_FORMS = (
    "手镯", "吊坠", "貔貅手串", "佛公吊坠", "戒指", "手链", "项链", "葫芦吊坠", "平安扣",
    "耳环", "观音吊坠", "无事牌", "手串", "摆件", "山水牌", "福瓜", "叶子吊坠", "蛋面戒指",
    "路路通", "如意",
)  # fmt: skip


def near_miss_catalog(language: str, count: int = 200) -> list[tuple[str, list[str]]]:
    """Return ``count`` items (name, aliases) combining every material with every form.

    Items are ordered form by form, so the names of one material are spread over the catalog.
    """
    english = language == "en"
    materials = ENGLISH_MATERIALS if english else CHINESE_MATERIALS
    forms = ENGLISH_FORMS if english else CHINESE_FORMS
    items: list[tuple[str, list[str]]] = []
    for form, material in product(forms, materials):
        name = f"{material} {form}" if english else f"{material}{form}"
        alias = f"{material.split()[0]} {form}" if english else f"{material[:2]}{form}"
        items.append((name, [alias] if alias != name else []))
    return items[:count]
