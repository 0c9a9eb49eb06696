"""Item finding and name correction without a stream item list, on a near-miss catalog.

A jade shop's catalog combines grades, materials and forms (*icy jadeite bangle*, *glutinous
jadeite bangle*, *jadeite bangle* …), so a misheard name is often as close to a neighbour's
name as to its own. Without the merchant's list, the items the transcript clearly names (twice,
as spelled or unambiguously) stand in for it; a fuzzy match of any other item must tell its
item from the rest of the catalog. The sentences are what the recogniser wrote for generated
streams (``bench.stream_bench``, seeds 31 and 777), the catalog is built the same way (every
grade × material × form, 800 items with an alias each).
"""

from __future__ import annotations

from itertools import product

from media.mentions.correction import apply_fixes, find_fixes
from media.mentions.matching import (
    CatalogTerm,
    TimedSentence,
    TimedWord,
    clearly_named,
    find_mentions,
    terms_for,
)

GRADES = ("", "icy", "glutinous", "old mine", "full green", "seed", "carved", "natural")
MATERIALS = (
    "jadeite", "hetian jade", "dushan jade", "xiuyan jade", "agate", "pearl", "amber",
    "beeswax amber", "green nephrite", "white jade",
)  # fmt: skip
FORMS = (
    "bangle", "pendant", "donut pendant", "ring", "necklace", "bead bracelet", "carving",
    "earrings", "plaque", "pixiu charm",
)  # fmt: skip


def catalog() -> dict[str, int]:
    """Every grade × material × form: name → item id (the alias is "{form} in {grade material}")."""
    combinations = product(GRADES, MATERIALS, FORMS)
    names = [" ".join(part for part in parts if part) for parts in combinations]
    return {name: number for number, name in enumerate(names, start=1)}


ITEMS = catalog()
GLOSSARY = [CatalogTerm(-1, "jadeite"), CatalogTerm(-2, "nephrite"), CatalogTerm(-3, "Hetian")]


def all_terms() -> list[CatalogTerm]:
    terms = []
    for name, item_id in ITEMS.items():
        *grade_material, form = _split(name)
        alias = f"{form} in {' '.join(grade_material)}"
        terms.extend(terms_for(item_id, [name, alias]))
    return terms


def _split(name: str) -> tuple[str, ...]:
    for form in sorted(FORMS, key=len, reverse=True):
        if name.endswith(" " + form):
            return (name[: -len(form) - 1], form)
    raise ValueError(name)


TERMS = all_terms()


def timed(texts: list[str]) -> list[TimedSentence]:
    """One sentence per text, four seconds each, a word per space-separated piece."""
    sentences = []
    for number, text in enumerate(texts):
        pieces = text.split(" ")
        step = 4.0 / len(pieces)
        words = tuple(
            TimedWord(4.0 * number + n * step, 4.0 * number + (n + 1) * step, " " + piece)
            for n, piece in enumerate(pieces)
        )
        sentences.append(TimedSentence(number, 4.0 * number, 4.0 * number + 4.0, words))
    return sentences


def found(texts: list[str]) -> list[tuple[str, str]]:
    """The items mentioned, by name, with the words that named them."""
    names = {item_id: name for name, item_id in ITEMS.items()}
    return [(names[m.item_id], m.matched_text) for m in find_mentions(timed(texts), TERMS)]


def test_items_named_twice_are_the_streams_a_shorter_name_inside_a_longer_one_is_not():
    texts = [
        "Next up is a lovely glutinous pearl ring.",
        "Every glutinous pearl ring we sell is checked by hand.",
        "If you like this pearl ring, add it to your cart.",
        "Here is the jadeite plaque that many of you asked about.",
        "Every plaque in jadeite we sell is checked by hand.",
        "Some of you asked for an icy agate carving tonight.",  # once: not enough
        "The jadeite is lovely, the nephrite too.",  # glossary terms are no items
    ]
    named = clearly_named(texts, [*TERMS, *GLOSSARY])
    assert named == {ITEMS["glutinous pearl ring"], ITEMS["jadeite plaque"]}


def test_an_unambiguous_fuzzy_match_counts_towards_being_named():
    texts = [
        "I want to show you our carved jadeite, no but pendant out.",
        "Many buyers come back for a second, no but pendant in carved jadeite.",
        "Now let us look at this natural fashion jade plaque.",  # white jade? hetian jade?
        "Every plaque in natural fashion jade we sell is checked by hand.",
    ]
    assert clearly_named(texts, TERMS) == {ITEMS["carved jadeite donut pendant"]}


def test_without_a_list_the_named_items_short_forms_and_near_misses_resolve_to_them():
    said = [
        "Next up is a lovely glutinous pearl ring.",
        "Every glutinous pearl ring we sell is checked by hand.",
        "If you like this loot in a pearl ring, add it to your cart.",  # not the plain pearl ring
        "Here is the jadeite plaque at many of you asked about.",
        "Every plaque in jadeite we sell is checked by hand.",
        "The jadeite plaque link is in the yellow cart below.",
        "Yes, this is the jadeite plaque.",  # "is the" is no "seed": not the seed jadeite plaque
    ]
    assert {name for name, _ in found(said)} == {"glutinous pearl ring", "jadeite plaque"}


def test_a_fuzzy_match_as_close_to_another_item_is_neither():
    said = [
        "This carved jade robot pendant is one of our best sellers.",  # donut? plain pendant?
        "This natural jade plaque is one of our best sellers.",  # jadeite? hetian jade?
    ]
    assert found(said) == []


def test_a_fuzzy_match_that_tells_its_item_apart_stays():
    said = ["I want to show you our carved jadeite, no but pendant out."]
    assert found(said) == [("carved jadeite donut pendant", "carved jadeite, no but pendant")]


def test_a_longer_name_needs_the_words_telling_it_from_a_name_heard_inside_it():
    said = [
        "Next up is a lovely amber donut pendant.",  # "a lovely" is no "carved"
        "Here is the carve amber donut pendant.",
        "If you like this seed bearl bangle, add it to your cart.",  # pearl bangle not heard
    ]
    assert found(said) == [
        ("amber donut pendant", "amber donut pendant"),
        ("carved amber donut pendant", "carve amber donut pendant"),
        ("seed pearl bangle", "seed bearl bangle"),
    ]


def corrected(texts: list[str]) -> list[str]:
    fixes = find_fixes(texts, [*TERMS, *GLOSSARY])
    return [apply_fixes(text, found) for text, found in zip(texts, fixes, strict=True)]


def test_without_a_list_a_clearly_named_items_misheard_name_is_written_as_the_catalog_does():
    heard = [
        "Here is the full green green nephrite bead bracelet that many of you asked about.",
        "This full green green nephrite bead bracelet is one of our best sellers.",
        "That was the full green, green, nephrite, mean bracelet.",
        "I want to show you our carved jadeite, no but pendant out.",
        "Many buyers come back for a second, no but pendant in carved jadeite.",
        "Now let us look at this natural fashion jade plaque.",  # ambiguous: left as heard
    ]
    assert corrected(heard)[2:] == [
        "That was the full green, green, nephrite, bead bracelet.",
        "I want to show you our carved jadeite, donut pendant out.",
        "Many buyers come back for a second, donut pendant in carved jadeite.",
        "Now let us look at this natural fashion jade plaque.",
    ]


def test_a_named_items_name_is_not_written_into_another_names_words():
    heard = [
        "Here is the jadeite plaque that many of you asked about.",
        "The jadeite plaque link is in the yellow cart below.",
        "This natural jade plaque is one of our best sellers.",  # not "natural jadeite plaque"
        "This carved jade robot pendant is lovely.",
    ]
    assert corrected(heard) == heard


def test_talk_without_names_names_nothing_and_is_left_as_heard():
    heard = [
        "Welcome to everyone who just joined the live room.",
        "The polish is smooth and the edges are clean.",
        "Green, green, green, ring ring ring, necklace necklace.",
        "We ship every order within two days and every parcel is insured.",
    ]
    assert clearly_named(heard, TERMS) == frozenset()
    assert corrected(heard) == heard
    assert found(heard) == []


def test_a_word_misheard_alike_in_a_name_told_apart_stands_for_its_word_elsewhere():
    said = [
        "If you like this full green fashion jade bead bracelet, add it to your cart.",
        "I want to show you my fashion jade pendant now.",  # hetian or dushan? hetian, as above
        "This pendant in fashion jade is one of my best sellers.",
        "The fashion show is tonight.",  # the word alone names nothing
    ]
    names = ["full green hetian jade bead bracelet", "hetian jade pendant", "dushan jade pendant"]
    aliases = ["bead bracelet in full green hetian jade", "pendant in hetian jade",
               "pendant in dushan jade"]  # fmt: skip
    terms = [
        term
        for item_id, named in enumerate(zip(names, aliases, strict=True), start=1)
        for term in terms_for(item_id, named)
    ]
    assert [(m.item_id, m.matched_text) for m in find_mentions(timed(said), terms)] == [
        (1, "full green fashion jade bead bracelet"),
        (2, "fashion jade pendant"),
        (2, "pendant in fashion jade"),
    ]
