"""Large catalogs of near-miss jade item names: the same materials and forms in every combination.

A merchant's catalog repeats words (和田玉手镯, 和田玉吊坠, 和田玉籽料手镯 …), so telling
items apart takes the rare words. These catalogs hold 200 items by default, English or Chinese,
each a ``(name, aliases)`` pair; most have a shorter alias (the material's first word + form).

``stream_catalog`` builds the other kind the items-at-scale journeys use: grades × materials ×
forms, a stream's goods list with the items said at their link numbers, every graded near miss
of those, and the rest sampled with a fixed seed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
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


def stream_catalog(
    parts: tuple[Sequence[str], Sequence[str], Sequence[str]],
    spoken: Mapping[int, str],
    *,
    seed: int,
    separator: str = " ",
    listed: int = 15,
    size: int = 200,
) -> tuple[list[str], list[str]]:
    """Return ``size`` catalog names and the stream's ``listed`` (its goods list, in link order).

    ``parts`` are the grades (the first one empty: no grade), materials and forms, joined with
    ``separator``. ``spoken`` maps link numbers to the listed names said on the stream; the other
    links are sampled. The catalog holds the list first, then every other grade of each spoken
    name (its near misses), then sampled names.
    """
    grades, materials, forms = parts
    every = [
        separator.join(part for part in combination if part)
        for combination in product(grades, materials, forms)
    ]
    rng = random.Random(seed)
    said = list(spoken.values())
    sampled = iter(rng.sample([name for name in every if name not in said], listed - len(said)))
    goods = [spoken.get(number) or next(sampled) for number in range(1, listed + 1)]

    def ungraded(name: str) -> str:
        for grade in grades[1:]:
            if name.startswith(f"{grade}{separator}"):
                return name[len(grade) + len(separator) :]
        return name

    bare = {ungraded(name) for name in said}
    near_misses = [name for name in every if name not in goods and ungraded(name) in bare]
    rest = [name for name in every if name not in goods and name not in near_misses]
    fill = rng.sample(rest, size - len(goods) - len(near_misses))
    return [*goods, *near_misses, *fill], goods
