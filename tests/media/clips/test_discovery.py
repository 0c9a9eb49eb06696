"""Finding items in a transcribed stream: mentions, suggested clips, and refreshing them when
a transcript is corrected or the catalog changes (real Whisper, real jobs, real database)."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from media.clips.discovery import MENTIONS_JOB
from media.clips.models import Mention, Suggestion, SuggestionItem
from media.recordings.models import Recording
from media.transcripts.models import Sentence
from media.transcripts.services import edit_sentence
from portal.auth.models import User
from portal.catalog.models import Item
from portal.catalog.services import ItemData, create_item, set_archived
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.jobs.runner import run_queued_jobs
from tests.media.clips.helpers import pearl_starts_ms, rows, sentence_with, sentences


def _queued_refreshes(app, recording_id):
    return rows(
        app, Job, Job.kind == MENTIONS_JOB, Job.subject_id == recording_id,
        Job.state == JobState.QUEUED,
    )  # fmt: skip


def _run_jobs(app):
    with app.app_context():
        return run_queued_jobs()


def test_pipeline_finds_both_items_inside_their_paragraphs(app, recording_id, items):
    found = sentences(app, recording_id)
    pearl_from = pearl_starts_ms(found)
    bangle = rows(app, Mention, Mention.item_id == items["bangle"].id)
    pearl = rows(app, Mention, Mention.item_id == items["pearl"].id)

    assert len(bangle) >= 4
    assert len(pearl) >= 4
    assert all(m.recording_id == recording_id for m in bangle + pearl)
    assert all(0 <= m.start_ms < m.end_ms <= pearl_from for m in bangle)
    assert all(pearl_from <= m.start_ms < m.end_ms <= found[-1].end_ms for m in pearl)
    by_position = {s.position: s for s in found}
    for mention in bangle + pearl:
        sentence = by_position[mention.sentence_position]
        assert sentence.start_ms <= mention.start_ms < mention.end_ms <= sentence.end_ms
    assert {m.term for m in pearl} == {"freshwater pearl necklace"}
    assert {m.term for m in bangle} == {"jadeite bangle"}


def test_pipeline_suggests_a_20_to_90_second_clip_per_item_without_overlaps(
    app, recording_id, items
):
    found = sentences(app, recording_id)
    by_position = {s.position: s for s in found}
    suggestions = rows(app, Suggestion, Suggestion.recording_id == recording_id)
    links = rows(app, SuggestionItem)

    assert {s.main_item_id for s in suggestions} == {items["bangle"].id, items["pearl"].id}
    for suggestion in suggestions:
        assert 20_000 <= suggestion.end_ms - suggestion.start_ms <= 90_000
        assert suggestion.start_ms == by_position[suggestion.first_sentence].start_ms
        assert suggestion.end_ms == by_position[suggestion.last_sentence].end_ms
        assert suggestion.mention_count >= 4
        assert suggestion.score > 0
    for item in items.values():
        about = sorted(
            (s for s in suggestions if any(
                link.suggestion_id == s.id and link.item_id == item.id for link in links)),
            key=lambda s: s.start_ms,
        )  # fmt: skip
        assert about, item.name
        assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(about))
    bangle = next(s for s in suggestions if s.main_item_id == items["bangle"].id)
    assert bangle.end_ms <= pearl_starts_ms(found)


def test_merchant_correcting_a_sentence_to_a_homophone_gets_a_pinyin_mention(
    app, recording_id, items, merchant
):
    target = sentence_with(sentences(app, recording_id), r"Myanmar")
    with app.app_context():
        edit_sentence(
            db.session.get(Sentence, target.id), db.session.get(User, merchant.id),
            "Our first piece tonight is a 非翠手镯 from Myanmar.",
        )  # fmt: skip
    assert len(_queued_refreshes(app, recording_id)) == 1

    assert _run_jobs(app)

    assert _queued_refreshes(app, recording_id) == []
    pinyin = rows(app, Mention, Mention.kind == "pinyin")
    assert [(m.item_id, m.matched_text, m.term) for m in pinyin] == [
        (items["bangle"].id, "非翠手镯", "翡翠手镯")
    ]
    assert pinyin[0].sentence_position == target.position
    assert target.start_ms <= pinyin[0].start_ms < pinyin[0].end_ms <= target.end_ms


def test_merchant_adding_an_item_said_in_the_stream_gets_its_mentions_after_one_refresh(
    app, recording_id, merchant_org, merchant
):
    with app.app_context():
        actor = db.session.get(User, merchant.id)
        clasp = create_item(
            merchant_org.id, actor, ItemData(sku="SC-1", name="银扣", aliases=["silver clasp"])
        )
        create_item(merchant_org.id, actor, ItemData(sku="SC-2", name="金扣"))
        clasp_id = clasp.id
    assert len(_queued_refreshes(app, recording_id)) == 1  # the second change found it waiting
    assert rows(app, Mention, Mention.item_id == clasp_id) == []

    assert _run_jobs(app)

    found = rows(app, Mention, Mention.item_id == clasp_id)
    assert [(m.matched_text, m.kind) for m in found] == [("silver clasp", "exact")]
    clasp_sentence = sentence_with(sentences(app, recording_id), r"silver clasp")
    assert found[0].sentence_position == clasp_sentence.position


def test_merchant_archiving_an_item_loses_its_mentions_and_suggestions(
    app, recording_id, items, merchant
):
    with app.app_context():
        set_archived(db.session.get(Item, items["pearl"].id), db.session.get(User, merchant.id),
                     archived=True)  # fmt: skip
    assert _run_jobs(app)

    assert rows(app, Mention, Mention.item_id == items["pearl"].id) == []
    with app.app_context():
        mains = db.session.scalars(select(Suggestion.main_item_id)).all()
    assert mains == [items["bangle"].id]


def test_refresh_queued_for_a_recording_deleted_meanwhile_succeeds_with_nothing_to_do(
    app, recording_id, merchant_org, merchant
):
    with app.app_context():
        actor = db.session.get(User, merchant.id)
        create_item(merchant_org.id, actor, ItemData(sku="SC-1", name="silver clasp"))
        db.session.delete(db.session.get(Recording, recording_id))  # as if deleted just after
        db.session.commit()
    [refresh] = _queued_refreshes(app, recording_id)

    assert _run_jobs(app) == [refresh.id]

    [job] = rows(app, Job, Job.id == refresh.id)
    assert (job.state, job.error) == (JobState.SUCCEEDED, "")
    assert rows(app, Mention) == []
