"""The shorter forms a stream's items are called by (pure).

A streamer names an item in full once and then shortly: "the carved jade pendant" for the listed
*carved hetian jade pendant*, "this pearl ring" for *glutinous pearl ring*, 翡翠手镯 for
冰种翡翠手镯 — and the recogniser drops or garbles a word of a long name the same way. With a
stream item list, such a form is one of the stream's items when exactly one listed item can be
called so. The forms of a name:

* Latin: the name without its first words (keeping more than half of them and at least two, the
  last one always: it says what the item is), or without one word other than the last (keeping
  at least three);
* Chinese: the name without a leading modifier (冰种, 天然 …), keeping more than half of its
  characters and at least four.
  Chinese has no spaces, so a cut counts as a word boundary only where the catalog's names branch:
  the catalog has names going on from the same prefix with different characters (冰种翡翠…,
  冰种玛瑙…), never inside a word (和田 is always followed by 玉, so 玉平安扣 is no form of
  和田玉平安扣).

A form is not taken where it ends a longer name of something else: "jade bead bracelet" after
"hetian" is not *full green jadeite bead bracelet*; ``Vocabulary.ends_other_name`` tells.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

_MIN_SUFFIX_WORDS = 2
_MIN_DROPPED_WORDS = 3
_MIN_CHINESE_CHARS = 4
_MIN_CHINESE_PREFIX = 2


@dataclass(frozen=True)
class Name:
    """One catalog name as matching normalised it: its item, text and (Latin) words."""

    item_id: int
    text: str
    words: tuple[str, ...]  # empty for a Chinese name


@dataclass(frozen=True)
class Vocabulary:
    """The words (Latin) and character pairs (Chinese) of every catalog name."""

    words: frozenset[str]
    pairs: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[Name]) -> Vocabulary:
        """Collect the vocabulary of ``names``."""
        words: set[str] = set()
        pairs: set[str] = set()
        for name in names:
            words.update(name.words)
            if not name.words:
                pairs.update(name.text[i : i + 2] for i in range(len(name.text) - 1))
        return cls(frozenset(words), frozenset(pairs))

    def ends_other_name(self, before: str, name: Name) -> bool:
        """Tell whether the text just ``before`` a form belongs to another catalog name: the
        word before it (Latin) or the two characters (Chinese) are catalog words that the
        form's own name does not hold."""
        if name.words:
            return before in self.words and before not in name.words
        return before in self.pairs and before not in name.text

    def other_word_at(self, heard: str, index: int, name: str) -> bool:
        """Tell whether the Chinese character ``index`` of ``heard`` makes, with a neighbour, a
        pair of catalog characters that ``name`` does not hold: another catalog word heard."""
        pairs = (heard[max(index - 1, 0) : index + 1], heard[index : index + 2])
        return any(len(pair) == 2 and pair in self.pairs and pair not in name for pair in pairs)


def short_forms(listed: Sequence[Name], catalog: Sequence[Name]) -> dict[str, Name]:
    """Return the forms that exactly one listed item is called by, with that item's name.

    A form equal to a listed name is left out (the name itself is found as it is).
    """
    branches = _branches(catalog)
    owners: dict[str, dict[int, Name]] = defaultdict(dict)
    for name in listed:
        forms = _latin_forms(name.words) if name.words else _chinese_forms(name.text, branches)
        for form in forms:
            owners[form].setdefault(name.item_id, name)
    full = {name.text for name in listed}
    return {
        form: next(iter(by_item.values()))
        for form, by_item in owners.items()
        if len(by_item) == 1 and form not in full
    }


def _latin_forms(words: tuple[str, ...]) -> Iterator[str]:
    """Yield the name without its first words, and without one word but the last."""
    for first in range(1, len(words) - _MIN_SUFFIX_WORDS + 1):
        if 2 * (len(words) - first) > len(words):
            yield "".join(words[first:])
    if len(words) > _MIN_DROPPED_WORDS:
        for dropped in range(len(words) - 1):
            yield "".join(words[:dropped] + words[dropped + 1 :])


def _chinese_forms(text: str, branches: dict[str, set[str]]) -> Iterator[str]:
    """Yield the name without a leading modifier, cut only where the catalog branches."""
    for cut in range(_MIN_CHINESE_PREFIX, len(text) - _MIN_CHINESE_CHARS + 1):
        if 2 * (len(text) - cut) > len(text) and len(branches.get(text[:cut], ())) > 1:
            yield text[cut:]


def _branches(catalog: Sequence[Name]) -> dict[str, set[str]]:
    """Map each prefix of the Chinese names to the characters that follow it in the catalog."""
    following: dict[str, set[str]] = defaultdict(set)
    for name in catalog:
        if not name.words:
            for cut in range(_MIN_CHINESE_PREFIX, len(name.text)):
                following[name.text[:cut]].add(name.text[cut])
    return following
