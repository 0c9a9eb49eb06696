"""The transcript's names follow the stream's list, through the merchant's requests and the jobs.

Taking an item off the list takes back the corrections only it justified (the heard words back,
not as the merchant's undo); every list change finds the items again once, after the names
job, whether or not it changed a name. The jobs run as workers would: a second worker may take
the newest job first, so the queue is drained newest first.
"""

from __future__ import annotations

from sqlalchemy import select

from media.clips.discovery import MENTIONS_JOB
from media.clips.models import Mention
from media.recordings.names_again import NAMES_JOB
from media.transcripts.models import NameCorrection, Sentence, Transcript
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.jobs.runner import execute_job
from tests.media.recordings.stream.conftest import HTMX, add, base
from tests.media.transcripts.spoken import store_spoken
from tests.portal.helpers import count_rows

RING = [" I", " want", " to", " show", " you", " our", " ice", " jade", " ring", " now."]
AMBER = ["这款", "莫种", "琥珀", "戒指", "很", "漂亮。"]


def _drain_newest_first(app) -> None:
    """Run every queued job, the newest first, until none is left."""
    with app.app_context():
        while True:
            job_id = db.session.scalar(
                select(Job.id).where(Job.state == JobState.QUEUED).order_by(Job.id.desc())
            )
            if job_id is None:
                return
            execute_job(job_id, "test")


def _texts(app, recording_id: int) -> list[str]:
    with app.app_context():
        query = (
            select(Sentence.text).join(Transcript).where(Transcript.recording_id == recording_id)
        )
        return list(db.session.scalars(query.order_by(Sentence.position)))


def _jobs(app, kind: str, recording_id: int) -> list[int]:
    with app.app_context():
        query = select(Job.id).where(Job.kind == kind, Job.subject_id == recording_id)
        return list(db.session.scalars(query.order_by(Job.id)))


def _stream(app, merchant_org, make_item):
    """A transcribed stream saying the ring and the amber, neither listed; a catalog of three."""
    items = {
        "ring": make_item(merchant_org, "R-1", name="icy jadeite ring", aliases=[]),
        "amber": make_item(merchant_org, "A-2", name="糯种琥珀戒指", aliases=[]),
        "pearl": make_item(merchant_org, "P-3", name="Freshwater pearl necklace", aliases=[]),
    }
    with app.app_context():
        return store_spoken(merchant_org.id, [RING, AMBER]), items


def test_taking_an_item_off_the_list_takes_its_corrections_back(
    app, client_as, merchant, merchant_org, make_item
):
    recording_id, items = _stream(app, merchant_org, make_item)
    browser = client_as(merchant)
    add(browser, recording_id, items["ring"], items["amber"], **HTMX)
    _drain_newest_first(app)
    assert _texts(app, recording_id) == [
        "I want to show you our icy jadeite ring now.",
        "这款糯种琥珀戒指很漂亮。",
    ]

    answer = browser.post(f"{base(recording_id)}/{items['ring'].id}/remove", headers=HTMX)
    _drain_newest_first(app)

    assert answer.status_code == 200
    assert _texts(app, recording_id) == [
        "I want to show you our ice jade ring now.",
        "这款糯种琥珀戒指很漂亮。",
    ]
    assert count_rows(app, NameCorrection, NameCorrection.undone_at.is_not(None)) == 0
    page = browser.get(f"/media/recordings/{recording_id}?lang=en").text
    assert "ice jade ring" in page
    assert "Undo “icy jadeite”" not in page


def test_a_list_change_finds_the_items_once_after_the_names_are_corrected(
    app, client_as, merchant, merchant_org, make_item
):
    recording_id, items = _stream(app, merchant_org, make_item)
    browser = client_as(merchant)

    add(browser, recording_id, items["ring"], **HTMX)  # corrects a name
    _drain_newest_first(app)

    [names] = _jobs(app, NAMES_JOB, recording_id)
    [mentions] = _jobs(app, MENTIONS_JOB, recording_id)
    assert names < mentions  # found in the corrected text
    with app.app_context():
        kinds = db.session.scalars(select(Mention.kind).where(Mention.item_id == items["ring"].id))
        assert "exact" in set(kinds)

    add(browser, recording_id, items["pearl"], **HTMX)  # never said: no name changes
    _drain_newest_first(app)

    assert len(_jobs(app, NAMES_JOB, recording_id)) == 2
    assert len(_jobs(app, MENTIONS_JOB, recording_id)) == 2  # still found again, once
