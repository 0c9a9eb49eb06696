"""The transcription job hints the stream's items first and records what each span was given.

Real ffmpeg, the packaged Whisper base model and a 200-item catalog of near-miss names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from media.recordings.models import Recording
from media.recordings.stream_items import add_items, stream_links
from media.transcription.engine import build_hotwords
from media.transcription.hints import DEFAULT_HINT_TOKENS
from portal.extensions import db
from tests.media.recordings.helpers import ingest, run_jobs, sentences_of, transcript_of
from tests.support.mediagen import make_english_speech, make_video_with_audio
from tests.support.near_miss import near_miss_catalog

WANTED = "Lantian jade ruyi scepter"


@pytest.fixture(scope="module")
def scepter_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scepter")
    spoken = make_english_speech(
        f"Today we show the {WANTED}, a lovely piece.", folder / "speech.wav"
    )
    return make_video_with_audio(spoken, folder / "scepter.mp4")


def test_a_recording_with_an_item_list_is_hinted_its_items_first(
    app, merchant_org, make_item, scepter_video
):
    items = {
        name: make_item(merchant_org, f"NM-{index:03d}", name=name, aliases=aliases)
        for index, (name, aliases) in enumerate(near_miss_catalog("en"))
    }
    names = list(items)
    assert "ruyi" not in build_hotwords(n for i in items.values() for n in i.spoken_names)
    picked = [*names[100:107], WANTED, *names[150:157]]  # 15 items, near misses among them
    recording_id = ingest(app, merchant_org, scepter_video)
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        add_items(recording, None, [items[name].id for name in picked])
        # English hints write a listed name with its link number, as the cart shows it
        listed = [f"link {link} {item.name}" for link, item in stream_links(recording)]

    run_jobs(app)

    text = " ".join(sentence.text for sentence in sentences_of(app, recording_id))
    assert WANTED in text
    transcript = transcript_of(app, recording_id)
    hinted = transcript.hotwords.split(", ")
    fitted = len([name for name in hinted if name in listed])
    # As many of the list's names as the 120-token budget holds (9 with their link numbers, 11
    # bare), first, in list order.
    assert fitted >= 9
    assert hinted[:fitted] == listed[:fitted]
    assert set(hinted[fitted:]) <= {n for item in items.values() for n in item.spoken_names} | {
        "jadeite", "nephrite"  # glossary terms the speech may have sounded like
    }  # fmt: skip
    described = json.loads(transcript.prompt)
    assert described["budget_tokens"] == DEFAULT_HINT_TOKENS
    (span,) = described["spans"]
    assert span["prompt"] == f"This is a jade live stream. Products: {', '.join(span['names'])}."
    assert span["names"] == hinted
    assert items[WANTED].id in span["items"]
    assert 0 < span["tokens"] <= DEFAULT_HINT_TOKENS
    assert 0.0 <= span["start_s"] < span["end_s"] <= 6.0
