"""Clip suggestions from mentions: grouping, padding, clamping, linking, no overlaps."""

from __future__ import annotations

import random

import pytest

from media.mentions.matching import Mention, TimedSentence, TimedWord, find_mentions, terms_for
from media.mentions.suggestions import Suggestion, suggest_clips


def timeline(count: int, length: float = 5.0, pause: float = 0.5) -> list[TimedSentence]:
    """Build ``count`` one-word sentences of ``length`` seconds separated by ``pause``."""
    sentences = []
    for index in range(count):
        start = index * (length + pause)
        word = TimedWord(start, start + length, "话")
        sentences.append(TimedSentence(index, start, start + length, (word,)))
    return sentences


def mention(item_id: int, sentence: TimedSentence) -> Mention:
    """A mention of ``item_id`` in the first second of ``sentence``."""
    return Mention(item_id, sentence.index, sentence.start, sentence.start + 1.0, "x", "x", "exact")


def overlap(a: Suggestion, b: Suggestion) -> bool:
    return a.start < b.end and b.start < a.end


def test_nearby_mentions_form_one_padded_clip():
    sentences = timeline(40)
    found = suggest_clips(sentences, [mention(1, sentences[n]) for n in (10, 11, 13)])
    [clip] = found
    assert clip.item_ids == (1,)
    assert clip.mention_count == 3
    assert clip.first_sentence <= 10
    assert clip.last_sentence >= 13
    assert 20.0 <= clip.end - clip.start <= 90.0
    assert clip.start == sentences[clip.first_sentence].start
    assert clip.end == sentences[clip.last_sentence].end


def test_distant_mentions_form_separate_clips():
    sentences = timeline(100)
    found = suggest_clips(sentences, [mention(1, sentences[n]) for n in (5, 6, 60)])
    assert [c.mention_count for c in found] == [2, 1]
    assert not overlap(*found)


def test_long_group_is_split_into_clips_of_at_most_max_s():
    sentences = timeline(200)
    mentions = [mention(1, sentences[n]) for n in range(10, 150, 3)]
    found = suggest_clips(sentences, mentions)
    assert len(found) > 1
    assert all(20.0 <= c.end - c.start <= 90.0 for c in found)
    assert sum(c.mention_count for c in found) == len(mentions)


def test_a_sentence_longer_than_max_s_is_cut_around_its_mention():
    words = (TimedWord(0.0, 60.0, "前"), TimedWord(100.0, 101.0, "翡翠"), TimedWord(101, 200, "后"))
    long_one = TimedSentence(0, 0.0, 200.0, words)
    mentioned = Mention(1, 0, 100.0, 101.0, "翡翠", "翡翠", "exact")
    [clip] = suggest_clips([long_one], [mentioned], max_s=90.0)
    assert clip.end - clip.start == pytest.approx(90.0)
    assert clip.start <= 100.0
    assert clip.end >= 101.0


def test_long_sentence_keeps_its_densest_mentions():
    words = (TimedWord(0.0, 300.0, "话"),)
    long_one = TimedSentence(0, 0.0, 300.0, words)
    times = (10.0, 200.0, 210.0, 220.0)
    mentions = [Mention(1, 0, t, t + 1.0, "x", "x", "exact") for t in times]
    [clip] = suggest_clips([long_one], mentions)
    assert clip.mention_count == 3
    assert clip.start <= 200.0
    assert clip.end >= 221.0


def test_clip_limits_are_configurable():
    sentences = timeline(100)
    [clip] = suggest_clips(sentences, [mention(1, sentences[50])], min_s=40.0, max_s=60.0)
    assert 40.0 <= clip.end - clip.start <= 60.0


def test_short_recording_gives_a_short_clip():
    sentences = timeline(2)
    [clip] = suggest_clips(sentences, [mention(1, sentences[0])])
    assert (clip.first_sentence, clip.last_sentence) == (0, 1)


def test_comparison_stretch_links_both_items_main_first():
    sentences = timeline(60)
    mentions = [mention(1, sentences[n]) for n in (20, 22, 24, 26)]
    mentions += [mention(2, sentences[n]) for n in (21, 25)]
    [clip] = suggest_clips(sentences, mentions)
    assert clip.item_ids == (1, 2)
    assert clip.mention_count == 6


def test_passing_mention_inside_a_stretch_links_the_other_item():
    sentences = timeline(60)
    mentions = [mention(1, sentences[n]) for n in (20, 21, 23, 24)] + [mention(2, sentences[22])]
    [clip] = suggest_clips(sentences, mentions)
    assert clip.item_ids == (1, 2)


# (sentences, mentions per item as sentence numbers, expected item ids per suggestion)
LINKING = {
    "issue 15: two items in a short recording's last half minute, padded to one stretch": (
        30, {1: (25,), 2: (27,)}, [(1, 2)]),
    "two items named once, ten seconds apart, in the middle of a stream": (
        100, {1: (50,), 2: (52,)}, [(1, 2)]),
    "three items named once each in one stretch": (
        100, {1: (50,), 2: (51,), 3: (51,)}, [(1, 2, 3)]),
    "the most mentioned item leads a stretch shared with another": (
        100, {1: (48,), 2: (49, 50)}, [(2, 1)]),
    "a comparison whose mentions interleave": (
        60, {1: (20, 22, 24, 26), 2: (21, 25)}, [(1, 2)]),
    "a comparison, then more about one of its items after a pause": (
        100, {1: (12, 13), 2: (14, 15, 20, 23, 24)}, [(1, 2), (2,)]),
    "an item's paragraph signed off after a pause, then a comparison of two others": (
        100, {1: (2, 4, 8), 2: (9, 10), 3: (11, 12)}, [(1,), (2, 3)]),
    "an item's paragraph, then another item's right after it": (
        100, {1: (10, 11, 12, 13, 14, 15), 2: (17, 18, 19)}, [(1,), (2,)]),
    "items a minute apart": (
        100, {1: (10, 12), 2: (30,)}, [(1,), (2,)]),
}  # fmt: skip


@pytest.mark.parametrize(("count", "said", "expected"), LINKING.values(), ids=LINKING.keys())
def test_items_sharing_most_of_a_stretch_are_one_suggestion(count, said, expected):
    sentences = timeline(count)
    mentions = [mention(item, sentences[n]) for item, where in said.items() for n in where]
    found = suggest_clips(sentences, mentions)
    assert sorted(c.item_ids for c in found) == sorted(expected)
    for clip in found:
        inside = [m for m in mentions if clip.start <= m.start < m.end <= clip.end]
        assert clip.mention_count == len([m for m in inside if m.item_id in clip.item_ids])
    for m in mentions:  # every mention is in a suggestion of its item
        assert any(m.item_id in c.item_ids and c.start <= m.start < m.end <= c.end for c in found)


def test_issue_15_comparison_at_the_end_of_a_mandarin_upload_is_one_suggestion():
    """2:39 of speech; 和田玉手镯 at 2:14 and 翡翠手镯 at 2:24 were suggested twice, 2:14–2:37."""
    texts = ["大家好，欢迎来到直播间。"] * 29 + [
        "这款和田玉手镯白度很高。", "油性也足，手感细腻。", "旁边这只翡翠手镯是冰种的。",
        "两只放在一起对比一下。", "喜欢的宝宝点小黄车。",
    ]  # fmt: skip
    sentences = []
    for index, text in enumerate(texts):
        start, step = index * 4.6, 4.2 / len(text)
        words = tuple(
            TimedWord(start + n * step, start + (n + 1) * step, char) for n, char in enumerate(text)
        )
        sentences.append(TimedSentence(index, start, start + 4.2, words))
    terms = [*terms_for(1, ["和田玉手镯"]), *terms_for(2, ["翡翠手镯", "冰种翡翠手镯"])]
    mentions = find_mentions(sentences, terms)
    assert {m.item_id for m in mentions} == {1, 2}

    [clip] = suggest_clips(sentences, mentions)

    assert clip.item_ids == (1, 2)
    assert clip.mention_count == 2
    assert clip.start <= min(m.start for m in mentions)
    assert clip.end >= max(m.end for m in mentions)


def test_topic_switch_splits_an_items_stretch():
    sentences = timeline(60)
    mentions = [mention(1, sentences[n]) for n in (10, 11, 16, 17)]
    mentions += [mention(2, sentences[n]) for n in (13, 14)]
    found = suggest_clips(sentences, mentions)
    assert sorted(c.item_ids for c in found) == [(1,), (1,), (2,)]
    for clip in found:
        assert 20.0 <= clip.end - clip.start <= 90.0


def test_items_in_different_stretches_are_not_linked():
    sentences = timeline(100)
    mentions = [mention(1, sentences[n]) for n in (10, 12)] + [mention(2, sentences[70])]
    found = suggest_clips(sentences, mentions)
    assert sorted(c.item_ids for c in found) == [(1,), (2,)]


def test_denser_clip_scores_higher_and_comes_first():
    sentences = timeline(200)
    mentions = [mention(1, sentences[n]) for n in (10, 11, 12, 13)] + [mention(2, sentences[100])]
    found = suggest_clips(sentences, mentions)
    assert [c.item_ids for c in found] == [(1,), (2,)]
    assert found[0].score > found[1].score


def test_unknown_sentence_or_bad_limits_are_refused():
    sentences = timeline(3)
    stray = Mention(1, 99, 0.0, 1.0, "x", "x", "exact")
    with pytest.raises(ValueError, match="unknown sentence"):
        suggest_clips(sentences, [stray])
    with pytest.raises(ValueError, match="min_s"):
        suggest_clips(sentences, [], min_s=60.0, max_s=30.0)


def random_case(rng: random.Random) -> tuple[list[TimedSentence], list[Mention]]:
    """A random transcript with uneven sentences and clustered mentions of a few items."""
    sentences, start = [], 0.0
    for index in range(rng.randint(5, 300)):
        length = rng.uniform(0.5, 25.0)
        sentences.append(TimedSentence(index, start, start + length, ()))
        start += length + rng.choice((0.0, 0.2, 1.5, 6.0))
    mentions = []
    for _ in range(rng.randint(0, 80)):
        chosen = sentences[rng.randrange(len(sentences))]
        at = rng.uniform(chosen.start, chosen.end)
        item = rng.randint(1, 5)
        mentions.append(
            Mention(item, chosen.index, at, min(at + 0.8, chosen.end), "x", "x", "exact")
        )
    return sentences, mentions


def test_random_inputs_never_overlap_per_item_and_respect_max_s():
    rng = random.Random(20240611)
    for _ in range(300):
        sentences, mentions = random_case(rng)
        found = suggest_clips(sentences, mentions)
        for number, clip in enumerate(found):
            assert clip.end - clip.start <= 90.0 + 1e-9
            assert clip.start < clip.end or not mentions
            assert clip.first_sentence <= clip.last_sentence
            for other in found[number + 1 :]:
                if set(clip.item_ids) & set(other.item_ids):
                    assert not overlap(clip, other)
        assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
        assert sum(c.mention_count for c in found) <= len(mentions)


def test_random_inputs_give_the_same_output_every_time():
    rng = random.Random(7)
    for _ in range(50):
        sentences, mentions = random_case(rng)
        first = suggest_clips(sentences, mentions)
        shuffled = mentions[:]
        rng.shuffle(shuffled)
        assert suggest_clips(list(reversed(sentences)), shuffled) == first
