"""Which catalog names a stretch of recognised text probably said, even misheard.

Every name is keyed by sound once (``phonetic``: syllable pairs for Chinese, a key per Latin
word), each key weighted by how rare it is among the items (a word every item shares says
little). Recognised text is keyed unit by unit; a name scores the weighted share of its keys
heard *close together* — within a run of units a little longer than the name — so the words of
one name scattered over a minute of talk do not add up to it. Latin keys count when their
rapidfuzz ratio is at least 80 (short keys only when equal); Chinese keys when equal.

The work is one similarity matrix (catalog keys × heard units) and a sliding maximum over it,
so a batch of speech is scored against a few hundred items in milliseconds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from media.transcription.phonetic import LATIN, heard_sounds, name_sounds

_LATIN_SIMILAR = 80.0  # rapidfuzz ratio of two word keys that sound alike
_SHORT_KEY = 3  # keys shorter than this must match exactly
_SLACK_UNITS = 2  # a name may be heard a little longer than it is written (split words)


@dataclass(frozen=True)
class _Name:
    """One name of an item: the rows of its keys, their weights and the run it is sought in."""

    item_id: int
    rows: np.ndarray
    weights: np.ndarray
    window: int


class SoundIndex:
    """Items' names keyed by sound, to score recognised text against."""

    def __init__(self, items: Sequence[tuple[int, Sequence[str]]]) -> None:
        """Key every name of every ``(item_id, names)``."""
        sounds = [(item_id, name_sounds(name)) for item_id, names in items for name in names]
        documents = Counter(key for _, key in {(i, k) for i, s in sounds for k in s.keys})
        self.keys = sorted(documents)
        row = {key: index for index, key in enumerate(self.keys)}
        count = len({item_id for item_id, _ in items})
        weight = {key: math.log(1 + count / df) for key, df in documents.items()}
        self._names = [
            _Name(
                item_id,
                np.array([row[k] for k in sorted(s.keys)], dtype=np.intp),
                np.array([weight[k] for k in sorted(s.keys)]),
                s.units + _SLACK_UNITS,
            )
            for item_id, s in sounds
            if s.keys
        ]
        self._latin_rows = np.array(
            [index for index, key in enumerate(self.keys) if key.startswith(LATIN)], dtype=np.intp
        )
        self._latin = [self.keys[index].removeprefix(LATIN) for index in self._latin_rows]
        self._row = row

    def score(self, text: str) -> dict[int, float]:
        """Return, per item, the best share of one of its names heard close together in ``text``."""
        heard = heard_sounds(text)
        if not heard or not self._names:
            return {}
        similar = self._similarity(heard)
        runs: dict[int, np.ndarray] = {}
        scores: dict[int, float] = {}
        for name in self._names:
            if name.window not in runs:
                runs[name.window] = _sliding_max(similar, name.window)
            heard_weight = (name.weights @ runs[name.window][name.rows]).max()
            share = float(heard_weight / name.weights.sum())
            if share > scores.get(name.item_id, 0.0):
                scores[name.item_id] = share
        return scores

    def _similarity(self, heard: list[tuple[str, ...]]) -> np.ndarray:
        """Return how well each catalog key (rows) matches at each heard unit (columns), 0–1."""
        similar = np.zeros((len(self.keys), len(heard)), dtype=np.float32)
        spoken = sorted({key for keys in heard for key in keys if key.startswith(LATIN)})
        for column, keys in enumerate(heard):
            for key in keys:
                if key in self._row and not key.startswith(LATIN):
                    similar[self._row[key], column] = 1.0
        if spoken and self._latin:
            latin = self._latin_matrix(spoken)
            where = {key: index for index, key in enumerate(spoken)}
            for column, keys in enumerate(heard):
                found = [where[key] for key in keys if key in where]
                if found:
                    similar[self._latin_rows, column] = latin[:, found].max(axis=1)
        return similar

    def _latin_matrix(self, spoken: list[str]) -> np.ndarray:
        """Return the similarity (0–1) of every catalog Latin key to every heard one."""
        bare = [key.removeprefix(LATIN) for key in spoken]
        ratios = process.cdist(
            self._latin,
            bare,
            scorer=fuzz.ratio,
            score_cutoff=_LATIN_SIMILAR,
            workers=1,
            dtype=np.float32,
        )
        short = np.array([len(key) < _SHORT_KEY for key in self._latin])
        ratios[short] = np.where(ratios[short] >= 100, ratios[short], 0)
        return ratios / 100


def _sliding_max(similar: np.ndarray, window: int) -> np.ndarray:
    """Return, for each starting unit, each key's best match within the next ``window`` units."""
    units = similar.shape[1]
    padded = np.pad(similar, ((0, 0), (0, window - 1)))
    best = padded[:, :units].copy()
    for offset in range(1, window):
        np.maximum(best, padded[:, offset : offset + units], out=best)
    return best
