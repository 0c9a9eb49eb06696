"""The sound skeletons and distances English name correction compares misheard words by."""

from __future__ import annotations

from media.mentions.english_sound import distance, sound, word_sound


def test_words_said_in_one_run_sound_as_one_word():
    assert sound(["add", "it"]) == sound(["added"]) == "aTaT"
    assert sound(["size", "and", "add", "it"]) == "SaSaNTaTaT"


def test_voiced_and_voiceless_sounds_and_spellings_of_one_sound_are_alike():
    assert word_sound("seed") == word_sound("seat")
    assert word_sound("phase") == word_sound("face")
    assert word_sound("charm") == word_sound("sharm")


def test_a_silent_final_e_still_softens_the_c_or_g_before_it():
    assert word_sound("nice") == "NaS"
    assert word_sound("nick") == "NaK"
    assert sound(["jadeite"]) == "JaTaT"


def test_vowels_and_neighbouring_sounds_cost_half():
    assert distance("aTaT", "JaTaT") == 1.0  # added, jadeite: j left out
    assert distance("aTaT", "aKaT") == 0.5  # added, agate: t for k
    assert distance("aTaT", "aTaTa") == 0.5
    assert distance("aTaT", "aMaT") == 1.0
    assert distance("", "aTa") == 2.0
