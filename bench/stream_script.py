"""Seeded test streams for ``bench.stream_bench``: a catalog, its near-miss distractors, a script.

Catalog items are (grade, material, form) triples over ``bench.mentions_bench``'s ``MATERIALS`` ×
``FORMS`` and the grades below, each named in Chinese and English with one alias. From a seed:

* the stream's items (10; 4 with ``quick``), each with its own (material, form);
* a 200-item catalog: the stream's items, every other grade of their (material, form) (the
  nearest misses: 冰种翡翠手镯 against 糯种翡翠手镯), then other combinations at random;
* a script: one paragraph per item (its name two or three times, its alias once or twice, among
  details), talk about nothing in the catalog between them, one comparison paragraph naming two
  of the items in turn, and one near-miss distractor paragraph naming a grade, material and form
  that are in neither catalog (the stream's materials and forms, in another combination).

Every paragraph records which item keys it is about and which catalog names it speaks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.mentions_bench import CLOSERS, DETAILS, FILLER, FORMS, MATERIALS, MIDDLES, OPENERS

# (Chinese, English); the empty grade is the plain name.
GRADES = (
    ("", ""),
    ("冰种", "icy"),
    ("糯种", "glutinous"),
    ("老坑", "old mine"),
    ("满绿", "full green"),
    ("籽料", "seed"),
    ("雕花", "carved"),
    ("天然", "natural"),
)
BIG_CATALOG = 200

ZH_OPENERS = (
    "现在给大家看一下这款{name}。",
    "接下来是很多宝宝问过的{name}。",
    "我们来上手这只{name}。",
    "下一个宝贝是{name}。",
)
ZH_MIDDLES = (
    "这个{name}是我们这个月卖得最好的。",
    "每一件{name}都是我们亲手挑的。",
    "很多老客户回来又买了一件{name}。",
)
ZH_CLOSERS = (
    "喜欢这款{name}的宝宝，点小黄车下单。",
    "{name}的链接已经上架了，在购物车里。",
    "好，{name}就给大家介绍到这里。",
)
ZH_DETAILS = (
    "颜色非常均匀，从头到尾都一样。",
    "大家看灯光打上去，光线能透过来。",
    "抛光很细腻，边角也处理得很干净。",
    "每一件都配国检证书，可以放心购买。",
    "今天直播间的价格比实体店便宜很多。",
    "拿在手上冰冰凉凉的，很有分量。",
    "仔细看纹理很细，没有一点裂纹。",
    "尺寸适合大部分人，不合适可以免费调。",
    "让助理慢慢转一圈，每一面都给大家看清楚。",
    "我们用礼盒包装，送人也很有面子。",
    "这个水头真的很足，通透感很强。",
    "上手效果特别好，显得手很白。",
)
ZH_FILLER = (
    "欢迎刚进直播间的朋友们，先点个关注。",
    "我们所有订单两天内发货，全部包邮。",
    "有什么想看的，可以在评论区告诉主播。",
    "每个包裹出库前我们都会再检查一遍。",
    "七天无理由退换，大家放心拍。",
    "主播先喝口水，我们马上继续。",
    "谢谢大家的点赞和留言，今晚人气很旺。",
    "还没点关注的宝宝，记得点一下关注。",
)
COMPARISON = {
    "en": (
        "Now let me put two pieces side by side for you.",
        "First the {a}, look at its colour under the lamp.",
        "The {a} is a little greener and feels heavier.",
        "Next to it is the {b}, which is brighter.",
        "The {b} is lighter in the hand and a little cheaper.",
        "Which of the two do you like better? Tell me in the comments.",
    ),
    "zh": (
        "我把两件放在一起给大家对比一下。",
        "先看{a}，灯光下颜色很正。",
        "{a}的颜色更绿一点，拿在手上更沉。",
        "旁边这件是{b}，看起来更亮。",
        "{b}拿在手上轻一点，价格也便宜一点。",
        "两件你们更喜欢哪一件，打在评论区。",
    ),
}
DISTRACTOR = {
    "en": (
        "Some of you asked whether we have a {d} tonight.",
        "Sorry, there is no {d} in this show, maybe next week.",
        "I will ask the factory about a {d} for you.",
    ),
    "zh": (
        "有宝宝问今天有没有{d}。",
        "不好意思，今天没有{d}，下周可能会有。",
        "我帮大家去问问厂家{d}的情况。",
    ),
}


@dataclass(frozen=True)
class CatalogItem:
    """One catalog entry: its key (sku) and its names in both languages."""

    sku: str
    names: dict[str, tuple[str, ...]]  # language -> (name, alias)


@dataclass(frozen=True)
class Paragraph:
    """A stretch of the script: what it is about, its sentences and the catalog names spoken."""

    kind: str  # item, comparison, distractor or filler
    skus: tuple[str, ...]
    sentences: tuple[str, ...]
    spoken: tuple[str, ...]

    @property
    def text(self) -> str:
        """The sentences joined as spoken."""
        return " ".join(self.sentences)


@dataclass(frozen=True)
class Stream:
    """One generated stream: its language, items, both catalogs and the script."""

    language: str
    seed: int
    items: tuple[CatalogItem, ...]
    big_catalog: tuple[CatalogItem, ...]
    paragraphs: tuple[Paragraph, ...]


def catalog_item(grade: int, material: int, form: int) -> CatalogItem:
    """Name one (grade, material, form) triple in Chinese and English, with an alias each."""
    zh_grade, en_grade = GRADES[grade]
    zh_material, _, en_material = MATERIALS[material]
    zh_form, zh_form_short, en_form = FORMS[form]
    en_name = " ".join(part for part in (en_grade, en_material, en_form) if part)
    en_alias = " ".join(part for part in (en_form, "in", en_grade, en_material) if part)
    return CatalogItem(
        sku=f"G{grade}M{material}F{form}",
        names={
            "zh": (f"{zh_grade}{zh_material}{zh_form}", f"{zh_grade}{zh_material}{zh_form_short}"),
            "en": (en_name, en_alias),
        },
    )


def choose_catalogs(
    rng: random.Random, count: int
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]], tuple[int, int, int]]:
    """Pick the stream's triples, the big catalog's triples and the distractor's triple."""
    pairs = rng.sample([(m, f) for m in range(len(MATERIALS)) for f in range(len(FORMS))], count)
    stream = [(rng.randrange(len(GRADES)), m, f) for m, f in pairs]
    materials, forms = {m for m, _ in pairs}, {f for _, f in pairs}
    misses = [
        (g, m, f)
        for g in range(len(GRADES))
        for m in sorted(materials)
        for f in sorted(forms)
        if (m, f) not in pairs
    ]
    distractor = rng.choice(misses)
    taken = set(stream)
    nearest = [(g, m, f) for m, f in pairs for g in range(len(GRADES)) if (g, m, f) not in taken]
    rest = [
        (g, m, f)
        for g in range(len(GRADES))
        for m in range(len(MATERIALS))
        for f in range(len(FORMS))
        if (m, f) not in pairs and (g, m, f) != distractor
    ]
    others = nearest + rng.sample(rest, BIG_CATALOG - count - len(nearest))
    return stream, stream + others, distractor


def item_paragraph(rng: random.Random, item: CatalogItem, language: str, details: int) -> Paragraph:
    """Talk about one item: its name two or three times and its alias, among details."""
    name, alias = item.names[language]
    zh = language == "zh"
    openers, middles, closers = (ZH_OPENERS, ZH_MIDDLES, ZH_CLOSERS) if zh else (
        OPENERS, MIDDLES, CLOSERS)  # fmt: skip
    said = [rng.choice(openers).format(name=name), *rng.sample(ZH_DETAILS if zh else DETAILS,
                                                                details)]  # fmt: skip
    spoken = [name, alias, name]
    said.insert(rng.randint(2, len(said)), rng.choice(middles).format(name=alias))
    if rng.random() < 0.5:
        said.insert(rng.randint(2, len(said)), rng.choice(middles).format(name=name))
        spoken.append(name)
    said.append(rng.choice(closers).format(name=name))
    return Paragraph("item", (item.sku,), tuple(said), tuple(spoken))


def filler_paragraph(rng: random.Random, language: str) -> Paragraph:
    """Talk about nothing in the catalog."""
    sentences = rng.sample(ZH_FILLER if language == "zh" else FILLER, rng.randint(2, 4))
    return Paragraph("filler", (), tuple(sentences), ())


def comparison_paragraph(a: CatalogItem, b: CatalogItem, language: str) -> Paragraph:
    """Compare two items: a few sentences about one, then about the other."""
    name_a, name_b = a.names[language][0], b.names[language][0]
    sentences = tuple(s.format(a=name_a, b=name_b) for s in COMPARISON[language])
    spoken = tuple(name for s in COMPARISON[language] for name in _names_in(s, name_a, name_b))
    return Paragraph("comparison", (a.sku, b.sku), sentences, spoken)


def _names_in(template: str, name_a: str, name_b: str) -> list[str]:
    """Return the names a template speaks, in order."""
    slots = sorted((template.find(key), value) for key, value in (("{a}", name_a),
                                                                   ("{b}", name_b)))  # fmt: skip
    return [value for at, value in slots if at >= 0]


def distractor_paragraph(distractor: CatalogItem, language: str) -> Paragraph:
    """Ask about a near-miss name that is in no catalog."""
    name = distractor.names[language][0]
    sentences = tuple(s.format(d=name) for s in DISTRACTOR[language])
    return Paragraph("distractor", (), sentences, ())


def make_stream(seed: int, language: str, *, quick: bool = False) -> Stream:
    """Generate the stream of ``seed`` in ``language`` (``zh`` or ``en``)."""
    rng = random.Random(f"{seed}-{language}")
    count = 4 if quick else 10
    stream, big, distractor = choose_catalogs(rng, count)
    items = [catalog_item(*triple) for triple in stream]
    low, high = (3, 4) if quick else ((5, 8) if language == "zh" else (6, 8))
    body = [item_paragraph(rng, item, language, rng.randint(low, high)) for item in items]
    a, b = rng.sample(items, 2)
    body.insert(rng.randint(1, len(body)), comparison_paragraph(a, b, language))
    body.insert(rng.randint(1, len(body)), distractor_paragraph(catalog_item(*distractor),
                                                                language))  # fmt: skip
    paragraphs = [filler_paragraph(rng, language)]
    for paragraph in body:
        paragraphs.append(paragraph)
        if rng.random() < (0.3 if quick else 0.8):
            paragraphs.append(filler_paragraph(rng, language))
    # A shop's catalog is not ordered by what tonight's stream sells: shuffled apart from the
    # script (its own generator), as a baseline given the catalog's first names as hotwords
    # would otherwise be given this stream's items.
    shelf = random.Random(f"{seed}-{language}-shelf").sample(big, len(big))
    return Stream(
        language, seed, tuple(items), tuple(catalog_item(*t) for t in shelf), tuple(paragraphs)
    )
