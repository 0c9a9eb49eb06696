"""Reading a misheard item name out of a correction (pure: no app, no database)."""

from __future__ import annotations

import pytest

from media.transcripts.aliases import misheard_forms

NAMES = ["翡翠手镯", "jadeite bangle", "freshwater pearl necklace"]


@pytest.mark.parametrize(
    ("original", "corrected", "expected"),
    [
        ("这个非翠手镯很透", "这个翡翠手镯很透", [("翡翠手镯", "非翠手镯")]),
        ("a jade bangle from Myanmar", "a jadeite bangle from Myanmar",
         [("jadeite bangle", "jade bangle")]),
        # letters the correction dropped inside the name belong to what was heard
        ("Hold the jade right bangle up", "Hold the jadeite bangle up",
         [("jadeite bangle", "jade right bangle")]),
        ("the fresh water pearl neck lace", "the freshwater pearl necklace",
         [("freshwater pearl necklace", "fresh water pearl neck lace")]),
        ("a jadeite bangle", "a jadeite bangle!", []),  # the name was already there
        ("the price is good", "the price is very good", []),  # no name introduced
    ],
)  # fmt: skip
def test_merchant_correction_reveals_the_form_the_recogniser_heard(original, corrected, expected):
    assert misheard_forms(original, corrected, NAMES) == expected
