"""Hints never invent words: unclear sound with a large catalog finds no item and says so.

Real ffmpeg, the packaged Whisper base model and a 200-item catalog of near-miss names, with 15
of them picked as the stream's items (so they are hinted first). Given hints, Whisper base wrote
"冰种手镯, 冰种手镯, …" for noise, music and a foreign voice; bare, it wrote noise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from media.clips.discovery import refresh_mentions
from media.clips.models import Mention, Suggestion
from media.recordings.models import Recording
from media.recordings.stream_items import add_items
from media.transcripts.models import Sentence, Transcript, Word
from portal.extensions import db
from tests.media.recordings.helpers import count, ingest, run_jobs, sentences_of, transcript_of
from tests.support.mediagen import make_english_speech, make_video_with_audio, run_ffmpeg
from tests.support.near_miss import near_miss_catalog

MELODY = (
    "0.25*sin(2*PI*(220*pow(2,floor(mod(t*3,8))/12*2))*t)*(0.6+0.4*sin(2*PI*3*t))"
    "+0.1*sin(2*PI*330*t)+0.08*sin(2*PI*440*t)"
)
GERMAN = "Guten Abend, heute zeige ich Ihnen unsere neuen Waren. Der Preis ist sehr gut."
FRENCH = "Bonsoir à tous, ce soir nous avons de belles choses pour vous. Le prix est très bon."
NECKLACE = "freshwater pearl necklace"


def speak(text: str, voice: str, wav: Path) -> Path:
    """Speak with an espeak-ng voice, as 16 kHz mono."""
    raw = make_english_speech(text, wav.with_suffix(".raw.wav"), voice=voice)
    run_ffmpeg("-i", str(raw), "-ar", "16000", "-ac", "1", str(wav))
    return wav


@pytest.fixture(scope="module")
def unclear_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 20 s: pink noise, music-like tones, a German and a French voice, in turn."""
    folder = tmp_path_factory.mktemp("unclear")
    noise, music = folder / "noise.wav", folder / "music.wav"
    run_ffmpeg("-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.5:duration=3:seed=2",
               "-ar", "16000", str(noise))  # fmt: skip
    run_ffmpeg("-f", "lavfi", "-i", f"aevalsrc='{MELODY}':s=16000:d=3", str(music))
    parts = [noise, music, speak(GERMAN, "de", folder / "de.wav"),
             speak(FRENCH, "fr", folder / "fr.wav")]  # fmt: skip
    joined = folder / "unclear.wav"
    inputs = [arg for part in parts for arg in ("-i", str(part))]
    run_ffmpeg(*inputs, "-filter_complex", "concat=n=4:v=0:a=1", str(joined))
    return make_video_with_audio(joined, folder / "unclear.mp4", size="160x120", rate=10)


@pytest.fixture(scope="module")
def necklace_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Clear English speech naming one item of the English catalog twice."""
    folder = tmp_path_factory.mktemp("necklace")
    spoken = make_english_speech(
        f"Welcome back to the live stream. Tonight the {NECKLACE} is on sale. "
        f"Every pearl of this {NECKLACE} is round and bright.",
        folder / "speech.wav",
    )
    return make_video_with_audio(spoken, folder / "necklace.mp4", size="160x120", rate=10)


def stock(make_item, org, language: str) -> dict[str, int]:
    """Add the 200-item near-miss catalog; return item ids by name."""
    catalog = near_miss_catalog(language)
    made = [make_item(org, f"NM-{n:03d}", name=name, aliases=aliases)
            for n, (name, aliases) in enumerate(catalog)]  # fmt: skip
    return {item.name: item.id for item in made}


def pick(app, recording_id: int, item_ids: list[int]) -> None:
    """Tick the stream's items on the recording, as the merchant does after uploading."""
    with app.app_context():
        add_items(db.session.get(Recording, recording_id), None, item_ids)


def test_unclear_sound_with_a_large_catalog_finds_no_item_and_reports_its_time(
    app, client_as, merchant, merchant_org, make_item, unclear_video
):
    ids = stock(make_item, merchant_org, "zh")
    assert "冰种翡翠手镯" in ids  # alias 冰种手镯, as in the upload of issue 15
    recording_id = ingest(app, merchant_org, unclear_video, language="zh")
    pick(app, recording_id, [ids["冰种翡翠手镯"], *list(ids.values())[:14]])

    run_jobs(app)

    assert count(app, Mention, Mention.recording_id == recording_id) == 0
    assert count(app, Suggestion, Suggestion.recording_id == recording_id) == 0
    spoken = " ".join(s.text for s in sentences_of(app, recording_id))
    assert not [name for name in ids if name in spoken]
    transcript = transcript_of(app, recording_id)
    assert transcript.unclear_ranges, spoken
    first = transcript.unclear_ranges[0]
    # Where the screening cuts depends on what the recogniser guessed (and so on its hints);
    # what must hold: no item, and the merchant is told which times were not recognised.
    assert first["start_ms"] <= 7_000, transcript.unclear_ranges
    browser = client_as(merchant)
    page = browser.get(f"/media/recordings/{recording_id}").text
    assert "could not be recognised" in page
    assert f"{first['start_ms'] // 1000 // 60}:{first['start_ms'] // 1000 % 60:02d}–" in page
    workshop = browser.get(f"/media/recordings/{recording_id}/workshop").text
    assert "could not be recognised" in workshop
    assert "has no transcript yet" not in workshop


def test_clear_speech_with_a_large_catalog_still_finds_its_item(
    app, merchant_org, make_item, necklace_video
):
    ids = stock(make_item, merchant_org, "en")
    recording_id = ingest(app, merchant_org, necklace_video, language="en")

    run_jobs(app)

    with app.app_context():
        found = db.session.scalars(
            select(Mention.item_id).where(Mention.recording_id == recording_id)
        ).all()
    assert ids[NECKLACE] in found, " ".join(s.text for s in sentences_of(app, recording_id))
    assert transcript_of(app, recording_id).unclear_ranges == []


def test_made_up_sentences_stored_before_screening_count_no_mention(
    app, merchant_org, make_item, necklace_video
):
    necklace = make_item(merchant_org, "N1", name=NECKLACE, aliases=[])
    recording_id = ingest(app, merchant_org, necklace_video, language="en")
    loop = ", ".join([NECKLACE] * 4)
    stored = [  # (recognised text, each word's probability, the merchant's correction)
        (f"Tonight the {NECKLACE} is on sale.", 0.9, None),
        (loop, 0.95, None),  # a loop
        (f"{NECKLACE}, pearl necklace", 0.05, None),  # guesses
        (loop, 0.95, f"Yes, the {NECKLACE} again."),  # corrected by the merchant: counted
    ]
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        transcript = Transcript(org_id=merchant_org.id, recording_id=recording_id,
                                language="en", model_name="base", hotwords=NECKLACE)  # fmt: skip
        db.session.add(transcript)
        db.session.flush()
        for n, (text, probability, edited) in enumerate(stored):
            db.session.add(Sentence(org_id=merchant_org.id, transcript_id=transcript.id,
                                    position=n, start_ms=n * 2000, end_ms=n * 2000 + 1900,
                                    text=text, edited_text=edited))  # fmt: skip
            db.session.add_all(
                Word(transcript_id=transcript.id, sentence_position=n, start_ms=n * 2000 + i * 100,
                     end_ms=n * 2000 + i * 100 + 90, text=word, probability=probability)
                for i, word in enumerate(text.split())
            )  # fmt: skip
        db.session.commit()
        refresh_mentions(recording)
        found = db.session.execute(
            select(Mention.sentence_position, Mention.item_id).where(
                Mention.recording_id == recording_id
            )
        ).all()
    assert sorted(found) == [(0, necklace.id), (3, necklace.id)]
