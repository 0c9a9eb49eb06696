"""Name correction on plain texts: what is rewritten, what is left alone, Chinese and English.

Each row is (heard sentence, terms, expected sentence). The hostile rows are near-misses a
careless corrector would "fix": common words that sound like a trade term, partial matches,
words that merely resemble a name.
"""

from __future__ import annotations

import pytest

from media.mentions.correction import apply_fixes, find_fixes
from media.mentions.matching import CatalogTerm, match_texts

GLOSSARY = (
    "翡翠", "和田玉", "籽料", "冰种", "糯种", "种水", "飘花", "平安扣", "无事牌", "国检证书", "A货",
    "貔貅", "岫玉", "独山玉", "玛瑙", "蜜蜡", "琥珀", "羊脂玉", "碧玉", "青海料", "俄料", "山料",
    "翡翠手镯", "满绿", "帝王绿", "jadeite", "nephrite", "Hetian", "Xiuyan", "Dushan", "Pixiu",
    "amber", "agate",
)  # fmt: skip
CATALOG = (
    "冰种翡翠手镯", "籽料手镯", "lucky Pixiu", "Hetian nephrite bangle", "Dushan jade Buddha",
    "jadeite bangle", "two bangle",
)  # fmt: skip


def corrected(text: str, names: tuple[str, ...] = GLOSSARY + CATALOG) -> str:
    terms = [CatalogTerm(n, name) for n, name in enumerate(names)]
    return apply_fixes(text, find_fixes([text], terms)[0])


CORRECTED = [
    # Chinese: homophones of a term, written as the term is
    ("这款匪翠手镯是冰种的", "这款翡翠手镯是冰种的"),
    ("飞翠", "翡翠"),
    ("肺脆的颜色", "翡翠的颜色"),
    ("费翠", "翡翠"),
    ("这个皮修很可爱", "这个貔貅很可爱"),
    ("冰种匪翠手镯", "冰种翡翠手镯"),
    ("河田玉手镯", "和田玉手镯"),
    ("这个平安口", "这个平安扣"),
    ("漂花很美", "飘花很美"),
    ("国建证书", "国检证书"),
    ("迷蜡", "蜜蜡"),
    # a common word inside a longer name whose other characters were heard right
    ("资料手镯", "籽料手镯"),
    ("病种飞翠手镯", "冰种翡翠手镯"),
    # English: sounds alike, spelled nearly alike
    ("Look at this lucky pixel charm", "Look at this lucky Pixiu charm"),
    ("Lucky pixel", "Lucky Pixiu"),
    ("Hessian jade is white", "Hetian jade is white"),
    ("Hessian nephrite bangle", "Hetian nephrite bangle"),
    ("a nefrite bangle", "a nephrite bangle"),
    ("Siuyan jade", "Xiuyan jade"),
    ("Douchan jade", "Dushan jade"),
]

LEFT_ALONE = [
    # Chinese common words that sound like a term (碧玉, 籽料, 琥珀, 羊脂玉, 冰种, 种水)
    "这个比喻很好",
    "这份资料",
    "湖泊很美",
    "养殖鱼",
    "两者并重",
    "兵种很多",
    "重水",
    # other syllables (fei chang, fei yong are not fei cui), one syllable is never enough
    "非常好",
    "费用不高",
    "我饿了",
    "玉",
    # a word that reaches outside the name: 消费 keeps its 费
    "我们消费翠手镯",
    # already written right
    "翡翠手镯",
    "和田玉",
    # English: real words that merely resemble a term
    "the pixel density",
    "the ember glows",
    "jaded buyers",
    "agape",
    "a gate",
    "this jade, it is",
    "Russian jade border pendant",
    "pick you charm",
    "heh tian",
    "the Hetian",
    "hetian",
    # a word inside the term's word is another word, not a mishearing (jade is not jadeite)
    "a jade bangle",
    "two bangles",
    "a jadeite bangles box",
]


@pytest.mark.parametrize(("heard", "expected"), CORRECTED)
def test_misheard_name_is_written_as_the_term(heard, expected):
    assert corrected(heard) == expected


@pytest.mark.parametrize("heard", LEFT_ALONE)
def test_near_miss_is_left_alone(heard):
    assert corrected(heard) == heard


def test_fix_holds_only_the_words_heard_wrong():
    terms = [CatalogTerm(1, "翡翠手镯"), CatalogTerm(2, "lucky Pixiu")]
    fixes = find_fixes(["这款匪翠手镯", "lucky pixel charm"], terms)

    assert [(f.start, f.end, f.heard, f.written) for f in fixes[0]] == [(2, 4, "匪翠", "翡翠")]
    assert [(f.start, f.end, f.heard, f.written) for f in fixes[1]] == [(6, 11, "pixel", "Pixiu")]
    assert fixes[0][0].term == CatalogTerm(1, "翡翠手镯")


def test_span_two_terms_claim_equally_is_left_alone():
    assert corrected("匪翠", ("翡翠", "菲翠")) == "匪翠"
    assert corrected("Hessian jade", ("Hetian", "HeTian")) == "Hessian jade"


def test_words_with_punctuation_between_are_not_one_name():
    heard = "Hessian, nephrite bangle"

    assert corrected(heard, ("Hetian nephrite bangle",)) == heard


def test_short_latin_term_is_never_a_correction():
    assert corrected("jad stone", ("jade",)) == "jad stone"


def test_every_fix_of_a_sentence_is_applied():
    heard = "匪翠和皮修, and a lucky pixel"

    assert corrected(heard) == "翡翠和貔貅, and a lucky Pixiu"


LISTED_NAMES = ("icy jadeite ring", "full green green nephrite carving",
                "natural xiuyan jade necklace", "donut pendant in amber")  # fmt: skip
LISTED = [
    # (heard, written when the item is on the stream's list)
    ("our ice jade ring now", "our icy jadeite ring now"),
    ("Ice jade ring is back", "Icy jadeite ring is back"),
    ("this full green nephrite carving, add it", "this full green green nephrite carving, add it"),
    ("the actual Xiuyan jade necklace", "the natural Xiuyan jade necklace"),
    ("this donut pendant number is one", "this donut pendant in amber is one"),
    # near misses stay, listed or not
    ("the ice jade", "the ice jade"),
    ("a full green nephrite", "a full green nephrite"),
    ("a jade ring", "a jade ring"),
]


@pytest.mark.parametrize(("heard", "listed_text"), LISTED)
def test_a_listed_items_name_is_corrected_boldly_and_only_when_listed(heard, listed_text):
    terms = [CatalogTerm(n, name) for n, name in enumerate(LISTED_NAMES)]
    off_list = apply_fixes(heard, find_fixes([heard], terms)[0])
    on_list = apply_fixes(heard, find_fixes([heard], terms, listed=range(4))[0])

    assert off_list == heard
    assert on_list == listed_text


def test_a_listed_chinese_name_heard_with_one_close_syllable_is_corrected_only_when_listed():
    terms = [CatalogTerm(1, "糯种琥珀戒指"), CatalogTerm(2, "冰种翡翠手镯")]
    heard = ["下一个宝贝是莫种琥珀戒指", "冰种翡翠手串也不错"]

    off_list = [apply_fixes(t, f) for t, f in zip(heard, find_fixes(heard, terms), strict=True)]
    on_list = [
        apply_fixes(t, f)
        for t, f in zip(heard, find_fixes(heard, terms, listed={1, 2}), strict=True)
    ]

    assert off_list == heard
    assert on_list == ["下一个宝贝是糯种琥珀戒指", "冰种翡翠手串也不错"]


NEAR_MISS_CATALOG = (
    "冰种岫玉戒面", "冰种白玉戒面", "冰种碧玉戒面", "糯种独山玉链子", "冰种独山玉链子", "白玉戒面",
    "碧玉戒面",
)  # fmt: skip
NEAR = [
    # (heard, listed names, written): a listed name with a syllable or two heard off
    ("又买了一件冰种蜉玉见面。", ("冰种岫玉戒面",), "又买了一件冰种岫玉戒面。"),  # fu/xiu, jian/jie
    ("每一件木种独山一链子都是", ("糯种独山玉链子",), "每一件糯种独山玉链子都是"),  # mu/nuo, yi/yu
    ("每一件白衣件面都是", ("白玉戒面",), "每一件白玉戒面都是"),  # yi/yu, jian/jie
    # a near-miss item sounding as close: neither is written (bei is as far from bai as from bi)
    ("这只北衣戒面", ("白玉戒面",), "这只北衣戒面"),
    # too far: a syllable sharing nothing (se/yu), or most of the name heard otherwise
    ("每一件白色戒面都是", ("白玉戒面",), "每一件白色戒面都是"),
    ("每一件白衣剑麻都是", ("白玉戒面",), "每一件白衣剑麻都是"),
    # a listed name only: the near-miss 冰种独山玉链子 is not written for 兵种独山一链子 either
    ("一件兵种独山一链子", ("糯种独山玉链子",), "一件兵种独山一链子"),
]


@pytest.mark.parametrize(("heard", "listed_names", "written"), NEAR)
def test_a_listed_chinese_name_heard_a_syllable_or_two_off_is_written_as_listed(
    heard, listed_names, written
):
    terms = [CatalogTerm(n, name) for n, name in enumerate(NEAR_MISS_CATALOG)]
    listed = {n for n, name in enumerate(NEAR_MISS_CATALOG) if name in listed_names}

    assert apply_fixes(heard, find_fixes([heard], terms, listed=listed)[0]) == written
    assert apply_fixes(heard, find_fixes([heard], terms)[0]) == heard  # not listed: left alone


def test_without_a_list_a_chinese_name_the_transcript_names_twice_stands_in_for_it():
    terms = [CatalogTerm(n, name) for n, name in enumerate(NEAR_MISS_CATALOG)]
    heard = ["现在看一下这款白玉戒面。", "每一件白衣件面都是我们亲手挑的。"]
    never_as_spelled = ["每一件白衣件面都是我们亲手挑的。", "白衣件面的链接上架了。"]

    assert [apply_fixes(t, f) for t, f in zip(heard, find_fixes(heard, terms), strict=True)] == [
        "现在看一下这款白玉戒面。", "每一件白玉戒面都是我们亲手挑的。",
    ]  # fmt: skip
    unchanged = find_fixes(never_as_spelled, terms)
    assert [apply_fixes(t, f) for t, f in zip(never_as_spelled, unchanged, strict=True)] == (
        never_as_spelled
    )


def test_a_listed_name_is_written_whole_over_a_shorter_names_fix_inside_it():
    terms = [CatalogTerm(1, "糯种和田玉手串"), CatalogTerm(2, "和田玉手串")]
    heard = "先看莫总和田玉首串,颜色很正。"

    fixes = find_fixes([heard], terms, listed={1})[0]

    assert apply_fixes(heard, fixes) == "先看糯种和田玉手串,颜色很正。"
    assert [(f.heard, f.written) for f in fixes] == [("莫总和田玉首串", "糯种和田玉手串")]


def test_a_listed_name_never_writes_over_another_catalog_word_heard_in_its_place():
    names = ("pendant in old mine hetian jade", "pendant in old mine dushan jade", "hetian jade")
    terms = [CatalogTerm(n, name) for n, name in enumerate(names)]
    heard = "Dispendant in old mine dushan jade is one of our best sellers."

    assert apply_fixes(heard, find_fixes([heard], terms, listed={0, 1})[0]) == heard


def test_a_listed_chinese_name_never_writes_over_another_catalog_word_heard_in_its_place():
    terms = [CatalogTerm(1, "冰种碧玉戒面"), CatalogTerm(2, "白玉戒指")]
    heard = ["这款冰种白玉见面", "这款冰种碧于见面"]

    fixed = find_fixes(heard, terms, listed={1})

    assert [apply_fixes(t, f) for t, f in zip(heard, fixed, strict=True)] == [
        "这款冰种白玉见面",  # 白玉 is another material of the catalog: it was heard, not 碧玉
        "这款冰种碧玉戒面",
    ]


def test_without_a_list_a_name_heard_one_syllable_a_little_off_counts_as_named():
    terms = [*(CatalogTerm(n, name) for n, name in enumerate(NEAR_MISS_CATALOG)),
             CatalogTerm(3, "糯种独山玉项链")]  # fmt: skip
    heard = ["现在看一下这款糯种独山一项链。", "每一件目种独山一链子都是我们亲手挑的。"]

    assert [apply_fixes(t, f) for t, f in zip(heard, find_fixes(heard, terms), strict=True)] == [
        "现在看一下这款糯种独山玉项链。", "每一件糯种独山玉链子都是我们亲手挑的。",
    ]  # fmt: skip


ECHO_TERMS = (CatalogTerm(1, "和田玉貔貅"), CatalogTerm(-1, "貔貅"))


def test_a_word_of_a_name_corrected_in_the_sentence_is_written_again_a_syllable_off():
    heard = ["这只和田玉批凶，批凶招采，寓意好。", "批凶招采，寓意好。"]

    fixed = find_fixes(heard, ECHO_TERMS, listed={1})

    assert [apply_fixes(t, f) for t, f in zip(heard, fixed, strict=True)] == [
        "这只和田玉貔貅，貔貅招采，寓意好。",  # pi xiong, a syllable off pi xiu
        "批凶招采，寓意好。",  # no name corrected in this sentence: left alone
    ]


def test_a_word_of_a_corrected_name_is_not_written_where_another_term_sounds_as_close():
    terms = [*ECHO_TERMS, CatalogTerm(2, "皮箱")]  # pi xiang: as close to pi xiong as pi xiu
    heard = "这只和田玉批凶，批凶招采，寓意好。"

    assert apply_fixes(heard, find_fixes([heard], terms, listed={1})[0]) == (
        "这只和田玉貔貅，批凶招采，寓意好。"
    )


def test_a_common_word_near_a_word_of_a_corrected_name_is_left_alone():
    heard = "这只和田玉批凶，像个皮球，配双皮鞋。"  # pi qiu, pi xie: as near pi xiu as pi xiong

    assert apply_fixes(heard, find_fixes([heard], ECHO_TERMS, listed={1})[0]) == (
        "这只和田玉貔貅，像个皮球，配双皮鞋。"
    )


# A stream selling the plain 岫玉吊坠 and 白玉耳环, a catalog holding their other grades and
# materials; jieba knows no 岫 (it cuts 岫玉吊坠 as 岫玉吊|坠), so the catalog's own words must
# tell what was heard.
RARE_CATALOG = (
    "岫玉吊坠", "白玉耳环", "冰种岫玉吊坠", "碧玉耳环", "蜜蜡手串", "糯种蜜蜡手串", "冰种翡翠挂件",
)  # fmt: skip
RARE_LISTED = {0, 1, 4}
RARE = [
    # (heard, written): listed names heard a syllable or two off are written as listed …
    ("先看绣玉吊坠,灯光下颜色很正。", "先看岫玉吊坠,灯光下颜色很正。"),
    ("下一个宝贝试修玉钓坠。", "下一个宝贝试岫玉吊坠。"),
    ("这款迷腊手串很受欢迎。", "这款蜜蜡手串很受欢迎。"),
    # … never over another material of the catalog heard right in their place (白 may be read
    # bo, u/o half apart: 白玉吊坠 sounds near 岫玉吊坠): the distractor of a near-miss name
    # in no catalog, 冰种白玉吊坠, stays, and so does no grade of it become the 冰种岫玉吊坠
    ("有宝宝问今天有没有冰种白玉吊坠,不好意思。", "有宝宝问今天有没有冰种白玉吊坠,不好意思。"),
    ("我帮大家去问问厂家冰种白玉钓坠的情况,", "我帮大家去问问厂家冰种白玉钓坠的情况,"),
    ("下一个宝贝是白玉吊坠。", "下一个宝贝是白玉吊坠。"),
    ("还有白玉手串吗?", "还有白玉手串吗?"),  # bai yu / mi la: too far anyway
    # … nor over a dictionary word with fewer than two characters of the name kept
    ("这个秀玉很好看。", "这个秀玉很好看。"),
]


@pytest.mark.parametrize(("heard", "written"), RARE)
def test_a_listed_name_is_never_written_over_another_catalog_word_heard_right(heard, written):
    terms = [CatalogTerm(n, name) for n, name in enumerate(RARE_CATALOG)]

    assert apply_fixes(heard, find_fixes([heard], terms, listed=RARE_LISTED)[0]) == written


def test_a_near_miss_name_in_no_catalog_is_not_found_as_a_catalog_item_once_corrected():
    terms = [CatalogTerm(n, name) for n, name in enumerate(RARE_CATALOG)]
    heard = ["有宝宝问今天有没有冰种白玉吊坠,", "我帮大家去问问厂家冰种白玉钓坠的情况,"]

    written = [
        apply_fixes(t, f)
        for t, f in zip(heard, find_fixes(heard, terms, listed=RARE_LISTED), strict=True)
    ]

    assert match_texts(written, terms, listed=RARE_LISTED) == []


HOMOPHONE_CATALOG = (
    "籽料翡翠手镯", "籽料翡翠镯子", "岫玉吊坠", "岫玉坠子", "碧玉吊坠", "冰种碧玉手镯", "翡翠",
    "岫玉", "籽料", "碧玉", "琥珀", "羊脂玉", "籽料碧玉",
)  # fmt: skip
HOMOPHONE_LISTED = {0, 1, 2, 3, 4, 12}
HOMOPHONES = [
    # (heard, written): a dictionary word inside a listed name is rewritten when two of the
    # name's other characters were heard as they are or in the very syllable the name says
    # there (费脆 fei cui, 卓 zhuo; 修 xiu): the homophones are as telling as the characters
    ("接下来是很多宝宝问过的资料费脆舍卓。", "接下来是很多宝宝问过的籽料翡翠手镯。"),
    ("每一件子料费脆卓字都是我们亲手挑的。", "每一件籽料翡翠镯子都是我们亲手挑的。"),
    ("这个修玉这次是我们这个月卖得最好的。", "这个岫玉坠子是我们这个月卖得最好的。"),
    # a dictionary word's own homophones never count for it, nor do fewer than two outside it
    ("这个比喻很好。", "这个比喻很好。"),
    ("这份资料很重要。", "这份资料很重要。"),
    ("湖泊很美。", "湖泊很美。"),
    ("养殖鱼很多。", "养殖鱼很多。"),
    ("这个比喻掉队了。", "这个比喻掉队了。"),  # 掉 diao is 吊, but 队 dui is no 坠 zhui
    # one of the name's characters at least heard as it is: 资料 and 比喻, zi liao bi yu, are
    # two words of the dictionary, not the listed 籽料碧玉
    ("这些资料比喻很多。", "这些资料比喻很多。"),
]


@pytest.mark.parametrize(("heard", "written"), HOMOPHONES)
def test_a_dictionary_word_in_a_listed_name_heard_in_homophones_is_rewritten(heard, written):
    terms = [CatalogTerm(n, name) for n, name in enumerate(HOMOPHONE_CATALOG)]

    assert apply_fixes(heard, find_fixes([heard], terms, listed=HOMOPHONE_LISTED)[0]) == written


# A stream selling the icy jadeite and seed dushan jade Pixiu charms and the seed jadeite bangle
# (names and aliases); the catalog also sells the seed hetian jade necklace.
SOUNDED_CATALOG = (
    (0, "icy jadeite pixiu charm"), (0, "pixiu charm in icy jadeite"),
    (1, "seed dushan jade pixiu charm"), (1, "pixiu charm in seed dushan jade"),
    (2, "seed jadeite bangle"), (2, "bangle in seed jadeite"),
    (3, "seed hetian jade necklace"),
)  # fmt: skip
SOUNDED_LISTED = {0, 1, 2}
SOUNDED = [
    # (heard, written): some of a listed name's words heard right, the rest in one run as
    # other words that sound like them (their syllables split and joined, d heard for t …)
    ("Now let us look at the size and add it pixiu charm.",
     "Now let us look at the icy jadeite pixiu charm."),
    ("Many buyers come back for a seed added bangle.",
     "Many buyers come back for a seed jadeite bangle."),
    ("Seed added bangle is back.", "Seed jadeite bangle is back."),
    ("Every pixiu charm in seed dushan jade we sell.",
     "Every pixiu charm in seed dushan jade we sell."),
    # ordinary words that sound close but not alike enough in letters and sound
    ("Many buyers come back for a second pixiu charm.",
     "Many buyers come back for a second pixiu charm."),
    ("Compare this and that pixiu charm.", "Compare this and that pixiu charm."),
    ("I like this pixiu charm.", "I like this pixiu charm."),
    ("Such a nice pixiu charm.", "Such a nice pixiu charm."),
    ("We added the bangle to the cart.", "We added the bangle to the cart."),
    # the words heard right belong to a name heard as spelled around them
    ("Come back for a second pixiu charm in icy jadeite.",
     "Come back for a second pixiu charm in icy jadeite."),
    # a word of the catalog's names heard in their place: another name was said
    ("The seed hetian bangle is back.", "The seed hetian bangle is back."),
    # punctuation between the words: not one name
    ("Seed added, bangle and ring.", "Seed added, bangle and ring."),
]  # fmt: skip


def sounded_terms(extra: tuple[tuple[int, str], ...] = ()) -> list[CatalogTerm]:
    return [CatalogTerm(item, name) for item, name in (*SOUNDED_CATALOG, *extra)]


@pytest.mark.parametrize(("heard", "written"), SOUNDED)
def test_a_listed_name_heard_partly_as_other_words_that_sound_like_it_is_written(heard, written):
    terms = sounded_terms()

    assert apply_fixes(heard, find_fixes([heard], terms, listed=SOUNDED_LISTED)[0]) == written
    assert apply_fixes(heard, find_fixes([heard], terms)[0]) == heard  # only with a list


def test_a_name_heard_as_other_words_is_not_written_where_another_item_sounds_as_close():
    terms = sounded_terms(((4, "seed agate bangle"), (5, "agate pixiu charm")))
    heard = ["Many buyers come back for a seed added bangle.",  # agate: a-g-a-t, a-dd-e-d
             "Now let us look at the size and add it pixiu charm."]  # fmt: skip

    fixed = find_fixes(heard, terms, listed=SOUNDED_LISTED)

    assert [apply_fixes(t, f) for t, f in zip(heard, fixed, strict=True)] == heard
