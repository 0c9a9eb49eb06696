"""Without an item list, a catalog small enough to be one stands in for it (issue 15).

Name correction and item finding treat the listed items more boldly; a catalog of at most
``SMALL_CATALOG_ITEMS`` active items counts as the list, a bigger one does not, and a real list
always wins. Link numbers still come only from the real list.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from media.clips.discovery import refresh_mentions
from media.clips.models import Mention
from media.recordings.listed_items import SMALL_CATALOG_ITEMS, listed_or_small_catalog
from media.recordings.models import Recording
from media.recordings.stream_items import add_items
from media.transcripts.models import NameCorrection, Sentence, Transcript
from media.transcripts.services import save_transcript
from portal.catalog.models import Item
from portal.database import utcnow
from portal.extensions import db
from tests.media.recordings.helpers import ingest, load_job, run_jobs
from tests.media.transcripts.spoken import spoken

RING, NECKLACE = "icy jadeite ring", "amber necklace"
# Heard for the two names (tests/media/mentions: ratio 80 against "icy jadeite ring", below
# what an unlisted name needs; "a summer necklace" 86 against "amber necklace").
HEARD = [" the", " ice", " jade", " ring", " and", " a", " summer", " necklace."]
LINKED = ["1号链接", "的", "手镯。"]


def _recording(org_id: int) -> Recording:
    recording = Recording(org_id=org_id, title="直播", stored_name="s.mp4", duration_s=120)
    db.session.add(recording)
    db.session.commit()
    return recording


def _fill(make_item, org, count: int, **fields) -> list[int]:
    """Add ``count`` items whose names sound like nothing said here."""
    return [
        make_item(org, name=f"porcelain vase {n}", aliases=[], **fields).id for n in range(count)
    ]


@pytest.mark.parametrize(
    ("active", "archived", "listed", "expected"),
    [
        (0, 0, 0, "none"),
        (1, 0, 0, "catalog"),
        (SMALL_CATALOG_ITEMS, 0, 0, "catalog"),
        (SMALL_CATALOG_ITEMS + 1, 0, 0, "none"),
        (SMALL_CATALOG_ITEMS, 5, 0, "catalog"),  # archived items never count
        (SMALL_CATALOG_ITEMS + 30, 0, 3, "list"),
        (5, 0, 2, "list"),  # a real list wins over a small catalog
    ],
)
def test_the_list_or_else_a_small_catalog_of_active_items(
    app, merchant_org, make_org, make_item, active, archived, listed, expected
):
    ids = _fill(make_item, merchant_org, active)
    _fill(make_item, merchant_org, archived, archived_at=utcnow())
    _fill(make_item, make_org("other"), SMALL_CATALOG_ITEMS + 1)  # another shop's: not counted
    with app.app_context():
        recording = _recording(merchant_org.id)
        if listed:
            add_items(recording, None, ids[:listed])

        found = listed_or_small_catalog(recording)

    assert found == {"none": set(), "catalog": set(ids), "list": set(ids[:listed])}[expected]


def test_a_list_whose_items_are_all_archived_leaves_the_small_catalog(app, merchant_org, make_item):
    ids = _fill(make_item, merchant_org, 3)
    with app.app_context():
        recording = _recording(merchant_org.id)
        add_items(recording, None, ids[:1])
        db.session.get_one(Item, ids[0]).archived_at = utcnow()
        db.session.commit()

        assert listed_or_small_catalog(recording) == set(ids[1:])


def _store(org_id: int, listed_ids=()) -> Recording:
    """Store ``HEARD`` as a recording's transcript, with the ids the job treats as listed."""
    recording = _recording(org_id)
    if listed_ids:
        add_items(recording, None, listed_ids)
    result = spoken([HEARD, LINKED], language="en")
    save_transcript(
        recording, result, model_name="t", hotwords="", prompt="",
        listed=listed_or_small_catalog(recording),
    )  # fmt: skip
    return recording


def _texts(recording: Recording) -> list[str]:
    statement = (
        select(Sentence.text)
        .join(Transcript, Transcript.id == Sentence.transcript_id)
        .where(Transcript.recording_id == recording.id)
        .order_by(Sentence.position)
    )
    return [t for t in db.session.scalars(statement) if t]


@pytest.mark.parametrize(
    ("fillers", "listed", "ring_written"),
    [
        (0, (), True),  # the two-item catalog is the list
        (SMALL_CATALOG_ITEMS - 2, (), True),  # 20 items
        (SMALL_CATALOG_ITEMS - 1, (), False),  # 21 items: no list, the ring is not written
        (SMALL_CATALOG_ITEMS - 1, (RING,), True),
        (0, (NECKLACE,), False),  # the real list wins over the small catalog
    ],
)
def test_a_small_catalog_without_a_list_has_its_names_corrected_as_listed(
    app, merchant_org, make_item, fillers, listed, ring_written
):
    items = {name: make_item(merchant_org, name=name, aliases=[]).id for name in (RING, NECKLACE)}
    _fill(make_item, merchant_org, fillers)
    with app.app_context():
        recording = _store(merchant_org.id, [items[name] for name in listed])

        text = _texts(recording)[0]
        fixes = db.session.scalars(select(NameCorrection.written)).all()

    assert text.startswith("the icy jadeite ring" if ring_written else "the ice jade ring")
    assert ("icy jadeite" in fixes) is ring_written


@pytest.mark.parametrize(
    ("fillers", "found"),
    [
        (0, [RING, NECKLACE]),
        (SMALL_CATALOG_ITEMS - 2, [RING, NECKLACE]),  # 20 items
        (
            SMALL_CATALOG_ITEMS - 1,
            [NECKLACE],
        ),  # 21: "ice jade ring" is too far for an unlisted name
    ],
)
def test_a_small_catalog_without_a_list_has_its_items_found_as_listed(
    app, merchant_org, make_item, fillers, found
):
    """The transcript as heard (stored with a real list of none of them: nothing corrected)."""
    items = {name: make_item(merchant_org, name=name, aliases=[]) for name in (RING, NECKLACE)}
    _fill(make_item, merchant_org, fillers)
    with app.app_context():
        recording = _recording(merchant_org.id)
        save_transcript(recording, spoken([HEARD], language="en"), model_name="t", hotwords="",
                        prompt="", listed=())  # fmt: skip
        assert _texts(recording) == ["the ice jade ring and a summer necklace."]

        refresh_mentions(recording)

        names = {item.id: name for name, item in items.items()}
        mentioned = db.session.scalars(select(Mention.item_id).order_by(Mention.start_ms))
        assert [names[item_id] for item_id in mentioned] == found


def test_link_numbers_come_only_from_a_real_list(app, merchant_org, make_item):
    bangle = make_item(merchant_org, name="冰种翡翠手镯", aliases=[])
    with app.app_context():
        small = _store(merchant_org.id)  # the one-item catalog stands in for the list
        listed = _store(merchant_org.id, [bangle.id])  # link number 1

        for recording in (small, listed):
            refresh_mentions(recording)
        kinds = {
            recording.id: db.session.scalars(
                select(Mention.kind).where(Mention.recording_id == recording.id)
            ).all()
            for recording in (small, listed)
        }

    assert kinds == {small.id: [], listed.id: ["link"]}  # "1号链接" numbers no item unlisted


def test_the_transcription_job_passes_the_small_catalog_as_the_list(
    app, merchant_org, make_item, speech_video, monkeypatch
):
    """The job (real ffmpeg and Whisper) gives name correction the small catalog as the list."""
    from media.recordings import tasks

    catalog = {make_item(merchant_org, name=name, aliases=[]).id for name in (RING, NECKLACE)}
    make_item(merchant_org, name="archived agate ring", archived_at=utcnow())
    save, given = tasks.save_transcript, []

    def save_noting_the_list(*args, **kwargs):
        given.append(set(kwargs["listed"]))
        return save(*args, **kwargs)

    monkeypatch.setattr(tasks, "save_transcript", save_noting_the_list)
    recording_id = ingest(app, merchant_org, speech_video)

    run_jobs(app)

    assert load_job(app, recording_id).state == "succeeded"
    assert given == [catalog]


@pytest.mark.parametrize(
    ("fillers", "listed", "hinted_first"),
    [
        (0, (), [(None, RING), (None, NECKLACE)]),  # hinted as the stream's items, unnumbered
        (SMALL_CATALOG_ITEMS - 1, (), []),  # 21 items: by what the speech sounds like only
        (0, (NECKLACE,), [(1, NECKLACE)]),  # the real list, with its link numbers
    ],
)
def test_a_small_catalog_without_a_list_is_hinted_as_the_streams_items(
    app, merchant_org, make_item, fillers, listed, hinted_first
):
    """A 10-item Mandarin catalog with aliases does not fit the hints' budget whole: without
    this, the first batch of each window had no hints at all, the others the items heard."""
    from media.recordings.tasks import recognition_hints

    items = {name: make_item(merchant_org, name=name, aliases=[]).id for name in (RING, NECKLACE)}
    _fill(make_item, merchant_org, fillers)
    with app.app_context():
        recording = _recording(merchant_org.id)
        if listed:
            add_items(recording, None, [items[name] for name in listed])

        stream = recognition_hints(recording, "en").catalog.stream

    names = {item_id: name for name, item_id in items.items()}
    assert sorted((h.link, names[h.item_id]) for h in stream) == sorted(hinted_first)
