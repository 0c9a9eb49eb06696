"""Helpers for clip workshop tests: the spoken stream about two items, its catalog, row access.

The stream is espeak-ng English: a paragraph about a jadeite bangle, then one about a freshwater
pearl necklace. One sentence says "jade stone bangle": a name close to the catalog's (a fuzzy
mention) but not one of its aliases, which is what alias learning is for. Item finding writes it
as the catalog spells it (a name correction); ``heard_again`` undoes that as a merchant does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from media.transcripts.models import NameCorrection, Sentence, Transcript
from portal.catalog.models import Item
from portal.extensions import db
from portal.jobs.runner import run_queued_jobs
from tests.support.mediagen import make_english_speech, make_video_with_audio

BANGLE_TALK = " ".join(
    [
        "Good evening and welcome to the jade live stream.",
        "Our first piece tonight is a jadeite bangle from Myanmar.",
        "Look how the light passes through this jadeite bangle, the colour is even and bright.",
        "The inner size of the jadeite bangle is fifty six millimetres, which fits most wrists.",
        "Every jadeite bangle we sell comes with a certificate from the laboratory.",
        "Hold the jade stone bangle up to the lamp and you will see the glow.",
        "If you like this jadeite bangle, add it to your cart now, the price is very good today.",
    ]
)
PEARL_TALK = " ".join(
    [
        "Now let us move on to something different.",
        "The next piece is a freshwater pearl necklace with very round pearls.",
        "Each pearl on this freshwater pearl necklace shines strongly under the lamp.",
        "The freshwater pearl necklace is forty five centimetres long and closes with a silver "
        "clasp.",
        "A freshwater pearl necklace is a lovely gift for your mother or your sister.",
        "Thank you for watching, and see you again tomorrow evening.",
    ]
)
# The first words of the pearl paragraph, as the recogniser writes them.
PEARL_OPENING = re.compile(r"move on to something different", re.IGNORECASE)

# The bangle named otherwise than its alias ("jade stone bangle", or as the recogniser heard it).
MISHEARD = re.compile(r"jade\s+(?:\w+\s+)?bangle", re.IGNORECASE)
# The words a name correction wrote as "jadeite" where the stream says "jade stone bangle".
HEARD_OTHERWISE = re.compile(r"jade\s+\w+", re.IGNORECASE)

BANGLE = {"sku": "JB-1", "name": "翡翠手镯", "aliases": ["jadeite bangle"]}
PEARL = {"sku": "PN-1", "name": "淡水珍珠项链", "aliases": ["freshwater pearl necklace"]}


def make_workshop_video(folder: Path) -> Path:
    """Write the two-item stream (about a minute, small frames) into ``folder``."""
    speech = make_english_speech(f"{BANGLE_TALK} {PEARL_TALK}", folder / "talk.wav")
    return make_video_with_audio(speech, folder / "two-items.mp4", size="160x120", rate=10)


def add_catalog(org_id: int) -> dict[str, int]:
    """Add the bangle and the necklace to the organisation's catalog; return their ids."""
    items = {key: Item(org_id=org_id, **fields) for key, fields in (("bangle", BANGLE),
                                                                    ("pearl", PEARL))}  # fmt: skip
    db.session.add_all(items.values())
    db.session.commit()
    return {key: item.id for key, item in items.items()}


def detached(row: Any) -> Any:
    """Detach ``row`` from the session so a test can read it after the app context ends."""
    if row is not None:
        db.session.expunge(row)
    return row


def rows(app: Flask, model: Any, *where: Any, order_by: Any = None) -> list[Any]:
    """Return the rows of ``model`` matching ``where`` (detached), by primary key by default."""
    with app.app_context():
        order = (order_by,) if order_by is not None else model.__mapper__.primary_key
        statement = select(model).where(*where).order_by(*order)
        found = list(db.session.scalars(statement))
        for row in found:
            db.session.expunge(row)
        return found


def one(app: Flask, model: Any, *where: Any) -> Any:
    """Return the one row of ``model`` matching ``where`` (detached)."""
    found = rows(app, model, *where)
    assert len(found) == 1, f"expected one {model.__name__}, found {len(found)}"
    return found[0]


def sentences(app: Flask, recording_id: int) -> list[Sentence]:
    """Return the recording's transcript sentences in order (detached)."""
    with app.app_context():
        found = list(
            db.session.scalars(
                select(Sentence)
                .join(Transcript, Transcript.id == Sentence.transcript_id)
                .where(Transcript.recording_id == recording_id)
                .order_by(Sentence.position)
            )
        )
        for row in found:
            db.session.expunge(row)
        return found


def misheard_sentence(found: list[Sentence]) -> tuple[Sentence, str]:
    """Return the first sentence with the bangle's name misheard, and the words heard."""
    for sentence in found:
        match = MISHEARD.search(sentence.text)
        if match and "jadeite bangle" not in sentence.text:
            return sentence, match.group(0)
    raise AssertionError(f"the recogniser wrote every bangle right: {[s.text for s in found]}")


def undo_url_of_heard_otherwise(app: Flask, recording_id: int) -> str:
    """The transcript page's undo address of the correction that wrote the bangle's misheard
    name ("jade stone bangle") as the catalog spells it ("jadeite bangle")."""
    with app.app_context():
        fixes = db.session.scalars(
            select(NameCorrection)
            .join(Sentence, Sentence.id == NameCorrection.sentence_id)
            .join(Transcript, Transcript.id == Sentence.transcript_id)
            .where(Transcript.recording_id == recording_id, NameCorrection.undone_at.is_(None))
        )
        [fix] = [f for f in fixes if HEARD_OTHERWISE.fullmatch(f.heard)]
        return (
            f"/media/recordings/{recording_id}/sentences/{fix.sentence_id}"
            f"/corrections/{fix.id}/undo"
        )


def heard_again(app: Flask, client: FlaskClient, recording_id: int) -> tuple[Sentence, str]:
    """Undo that correction as the merchant does on the transcript page, find the mentions
    again, and return the sentence as heard again with the words heard."""
    url = undo_url_of_heard_otherwise(app, recording_id)
    assert f'action="{url}"' in client.get(f"/media/recordings/{recording_id}").text
    assert client.post(url).status_code == 302
    with app.app_context():
        run_queued_jobs()  # the mention refresh the undo queued
    return misheard_sentence(sentences(app, recording_id))


def pearl_starts_ms(found: list[Sentence]) -> int:
    """Return when the pearl paragraph starts (its first sentence), in milliseconds."""
    opening = [s for s in found if PEARL_OPENING.search(s.text)]
    assert opening, "the recogniser lost the pearl paragraph's first sentence"
    return opening[0].start_ms


def sentence_with(found: list[Sentence], pattern: str) -> Sentence:
    """Return the first sentence whose text matches ``pattern`` (case-insensitive)."""
    for sentence in found:
        if re.search(pattern, sentence.text, re.IGNORECASE):
            return sentence
    raise AssertionError(f"no sentence matches {pattern!r}: {[s.text for s in found]}")
