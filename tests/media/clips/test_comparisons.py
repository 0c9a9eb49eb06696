"""A comparison of two items is one suggestion for both, in the workshop and in the export.

Issue 15: on a 2:39 Mandarin upload the same 2:14–2:37 span was suggested twice, once per item.
The transcript here is stored as the transcription job stores one (``save_transcript``), then
the merchant asks the workshop to find the items again.
"""

from __future__ import annotations

import json
import re

import pytest

from media.clips.models import Mention, Suggestion, SuggestionItem
from media.recordings.models import Recording
from media.transcription.engine import Segment, Transcript, Word
from media.transcripts.services import save_transcript
from portal.extensions import db
from portal.timecodes import format_timecode as clock
from tests.media.clips.helpers import rows

FILLER = "大家好，欢迎来到直播间。"
COMPARISON = (
    "这只翡翠手镯是冰种的。",
    "水头非常好。",
    "旁边这条淡水珍珠项链光泽很亮。",
    "两件放在一起对比一下。",
    "喜欢的宝宝点小黄车。",
)
SENTENCE_S, PAUSE_S = 4.2, 0.4


def spoken(texts: list[str]) -> Transcript:
    """One segment per sentence, one timed word per character."""
    segments = []
    for number, text in enumerate(texts):
        start = number * (SENTENCE_S + PAUSE_S)
        step = SENTENCE_S / len(text)
        words = tuple(
            Word(start + n * step, start + (n + 1) * step, char, 0.9) for n, char in enumerate(text)
        )
        segments.append(Segment(start, start + SENTENCE_S, text, words))
    return Transcript("zh", segments[-1].end + 1.0, tuple(segments))


@pytest.fixture
def comparison_id(app, merchant_org) -> int:
    """A 2:39 recording whose last half minute compares the bangle and the necklace."""
    with app.app_context():
        recording = Recording(org_id=merchant_org.id, title="对比直播", stored_name="cmp.mp4",
                              duration_s=159.0)  # fmt: skip
        db.session.add(recording)
        db.session.commit()
        save_transcript(recording, spoken([FILLER] * 29 + list(COMPARISON)), model_name="test",
                        hotwords="", prompt="")  # fmt: skip
        return recording.id


@pytest.fixture
def browser(client_as, merchant):
    return client_as(merchant)


def mention_times(app, recording_id: int, item_id: int) -> list[float]:
    found = rows(app, Mention, Mention.recording_id == recording_id, Mention.item_id == item_id,
                 order_by=Mention.start_ms)  # fmt: skip
    return [m.start_ms / 1000 for m in found]


def test_merchant_sees_a_comparison_as_one_suggestion_with_each_items_times(
    app, browser, comparison_id, items
):
    refreshed = browser.post(f"/media/recordings/{comparison_id}/mentions")
    assert refreshed.status_code == 302

    html = browser.get(f"/media/recordings/{comparison_id}/workshop").text

    [suggestion] = rows(app, Suggestion, Suggestion.recording_id == comparison_id)
    links = rows(app, SuggestionItem, SuggestionItem.suggestion_id == suggestion.id)
    assert {link.item_id for link in links} == {item.id for item in items.values()}
    [card] = re.findall(r'<li class="card suggestion">(.*?)</li>\s*</ol>', html, re.DOTALL)
    for item in items.values():
        times = mention_times(app, comparison_id, item.id)
        assert times, item.name
        entry = re.search(rf'<li class="suggestion-item">{item.name} \({item.sku}\)(.*?)</li>',
                          card, re.DOTALL)  # fmt: skip
        assert entry, item.name
        seeks = re.findall(r'data-seek="([\d.]+)"[^>]*>([\d:.]+)<', entry.group(1))
        assert [(float(at), shown) for at, shown in seeks] == [(t, clock(t)) for t in times]


def test_operator_export_lists_both_skus_and_each_items_mention_times(
    app, runner, comparison_id, items
):
    result = runner.invoke(args=["clips", "export", str(comparison_id), "--refresh"])

    assert result.exit_code == 0, result.output
    [suggestion] = json.loads(result.output)["suggestions"]
    bangle, pearl = items["bangle"], items["pearl"]
    assert sorted(suggestion["skus"]) == sorted([bangle.sku, pearl.sku])
    assert suggestion["mentions"] == 2
    assert suggestion["start"] <= 29 * (SENTENCE_S + PAUSE_S)
    assert sorted(suggestion["items"], key=lambda entry: entry["sku"]) == [
        {
            "sku": item.sku,
            "name": item.name,
            "mentions": mention_times(app, comparison_id, item.id),
            "on_list": None,
        }  # the recording has no item list
        for item in sorted((bangle, pearl), key=lambda item: item.sku)
    ]
