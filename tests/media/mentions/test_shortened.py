"""A stream's item called by a shorter form of its name: which forms, and when they count."""

from __future__ import annotations

import pytest

from media.mentions.correction import find_fixes
from media.mentions.matching import find_mentions, terms_for
from media.mentions.shortened import Name, short_forms
from tests.media.mentions.test_matching import sentence


def latin(item_id: int, text: str) -> Name:
    return Name(item_id, text.replace(" ", ""), tuple(text.split()))


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("glutinous pearl ring", {"pearlring"}),
        # most of the words, the last always; or one word but the last left out
        ("carved hetian jade pendant", {"hetianjadependant", "carvedjadependant",
                                        "carvedhetianpendant"}),
        ("icy jade", set()),  # two words: no shorter form
    ],
)  # fmt: skip
def test_latin_forms_keep_most_words_and_the_last(name, forms):
    listed = [latin(1, name)]
    assert set(short_forms(listed, listed)) == forms


def test_a_form_two_listed_items_share_is_neither():
    listed = [latin(1, "icy pearl ring"), latin(2, "glutinous pearl ring")]
    assert "pearlring" not in short_forms(listed, listed)


def test_chinese_forms_cut_only_where_the_catalog_branches():
    catalog = [
        Name(n, text, ())
        for n, text in enumerate(["冰种翡翠手镯", "冰种玛瑙挂件", "和田玉平安扣", "和田玉手镯"])
    ]
    assert short_forms(catalog[:1], catalog) == {"翡翠手镯": catalog[0]}
    assert short_forms(catalog[2:3], catalog) == {}  # 和田 is always followed by 玉


def heard(*texts: str, chinese: bool = False):
    return [
        sentence(n, n * 5.0, list(text) if chinese else [f" {w}" for w in text.split()])
        for n, text in enumerate(texts)
    ]


def found(mentions):
    return [(m.item_id, m.matched_text, m.kind) for m in mentions]


def test_a_listed_item_is_found_by_a_short_form_only_with_a_list():
    said = heard("the carved jade pendant is heavier", "if you like this loot in a pearl ring")
    terms = [*terms_for(1, ["carved hetian jade pendant"]), *terms_for(2, ["glutinous pearl ring"]),
             *terms_for(3, ["pearl ring"])]  # fmt: skip
    assert found(find_mentions(said, terms)) == [(3, "pearl ring", "exact")]
    assert found(find_mentions(said, terms, listed={1, 2})) == [
        (1, "carved jade pendant", "partial"), (2, "pearl ring", "partial")
    ]  # fmt: skip


def test_a_short_form_never_beats_the_name_heard_whole_nor_ends_another_name():
    said = heard(
        "here is the carved hetian jade pendant",
        "no hetian jadeite bead bracelet tonight",  # *jadeite bead bracelet* after "hetian"
        "we have a jade pendant",  # two words of four: too little of the name
    )
    terms = [
        *terms_for(1, ["carved hetian jade pendant"]),
        *terms_for(2, ["full green jadeite bead bracelet"]),
        *terms_for(3, ["hetian jade"]),
    ]
    assert found(find_mentions(said, terms, listed={1, 2})) == [
        (1, "carved hetian jade pendant", "exact")
    ]


def test_a_chinese_listed_item_is_found_without_its_grade():
    said = heard("这款翡翠手镯是冰种的", "白玉平安扣也有", chinese=True)
    terms = [*terms_for(1, ["冰种翡翠手镯"]), *terms_for(2, ["冰种玛瑙挂件"]),
             *terms_for(3, ["和田玉平安扣"]), *terms_for(4, ["和田玉手镯"])]  # fmt: skip
    assert found(find_mentions(said, terms)) == []
    assert found(find_mentions(said, terms, listed={1, 3})) == [(1, "翡翠手镯", "partial")]


def test_a_short_form_is_not_rewritten_as_the_full_name():
    texts = ["the carved jade pendant is heavier"]
    terms = terms_for(1, ["carved hetian jade pendant"])
    assert find_fixes(texts, terms, listed={1}) == [[]]


def test_a_short_form_is_no_mention_once_the_talk_moved_on_from_its_item():
    said = heard(
        "next up is a lovely amber donut pendant",
        "this donut pendant is heavier",  # still the amber one
        "here is the hetian jade pendant",
        "every hetian jade pendant is checked by hand",
        "some of you asked for a new tin escape donut pendant",  # a near miss, misheard
    )
    terms = [*terms_for(1, ["amber donut pendant"]), *terms_for(2, ["hetian jade pendant"]),
             *terms_for(3, ["glutinous jadeite donut pendant"])]  # fmt: skip
    assert found(find_mentions(said, terms, listed={1, 2})) == [
        (1, "amber donut pendant", "exact"), (1, "donut pendant", "partial"),
        (2, "hetian jade pendant", "exact"), (2, "hetian jade pendant", "exact"),
    ]  # fmt: skip
