"""Hostile transcript text on the recording's pages: find-in-transcript highlights, the
"recognised as" tooltip of an edited sentence, the pieces and the jump: shown as text, never live.

The find splits a sentence around the match (``before<mark>match</mark>after``); a match inside
a tag (``img``) or a query that is itself markup must still come out escaped. The recogniser's
words go into a ``title`` attribute, where a quote would end the attribute.
"""

from __future__ import annotations

from sqlalchemy import select

from media.clips.models import ClipState
from media.recordings.models import Recording
from media.recordings.overview import overview_files
from media.recordings.services import source_path
from media.transcripts.models import Sentence
from portal.auth.models import Role
from portal.extensions import db
from tests.support.clipdata import add_clip_rows, add_transcript

PAYLOAD = '<img src=x onerror="alert(1)">翡翠'
HEARD = '" onmouseover="alert(2)" x="'
LIVE = ("<img src=x", 'onerror="alert', 'onmouseover="alert', "<script>alert")


def _recording_saying(org, make_item, first: str, second: str) -> int:
    """A merchant's one-minute recording (with a draft clip) whose transcript says two lines."""
    item = make_item(org)
    clip = add_clip_rows(
        org.id, [item.id], title="t", texts=["x"], state=ClipState.DRAFT,
        span_ms=(0, 9000), version_cues=(), recording_s=60.0,
    )  # fmt: skip
    add_transcript(clip.recording_id, org.id, [(0, 3000, first), (3000, 6000, second)])
    return clip.recording_id


def test_hostile_sentences_and_queries_are_shown_as_text(
    app, merchant, merchant_org, make_item, client_as
):
    with app.app_context():
        recording_id = _recording_saying(merchant_org, make_item, PAYLOAD, HEARD)
        edited = db.session.scalar(select(Sentence).where(Sentence.text == HEARD))
        edited.edited_text = "圈口五十六"
        db.session.commit()
    browser = client_as(merchant)
    base = f"/media/recordings/{recording_id}"
    pages = [
        f"{base}/transcript/find?q=img",
        f"{base}/transcript/find?q=onerror",
        f"{base}/transcript/find?q=%3Cscript%3Ealert(3)%3C/script%3E",
        f"{base}/transcript/find?q=%22%20autofocus%20onfocus%3D%22alert(4)",
        f"{base}/transcript?from=0&to=60",
        f"{base}/transcript/jump?at=0:02",
        base,
    ]
    for page in pages:
        answer = browser.get(page, follow_redirects=True)
        assert answer.status_code == 200, page
        assert not [live for live in LIVE if live in answer.text], page
        assert 'onfocus="alert' not in answer.text, page
    found = browser.get(f"{base}/transcript/find?q=img").text
    assert "&lt;<mark>img</mark>" in found
    detail = browser.get(base).text
    assert "Recognised as: &#34; onmouseover=&#34;alert(2)&#34;" in detail or (
        "&#34; onmouseover=&#34;alert(2)&#34; x=&#34;" in detail
    )


def test_another_merchant_gets_404_where_the_owner_gets_the_transcript_and_overview(
    app, merchant, merchant_org, make_org, make_user, make_item, client_as
):
    """The tenancy table's world has no transcript nor overview, so there its owner gets 404 on
    these routes too; here they hold content, and only the owner gets it."""
    with app.app_context():
        recording_id = _recording_saying(merchant_org, make_item, "翡翠手镯", "水头")
        recording = db.session.get(Recording, recording_id)
        sprite = overview_files(source_path(recording))[1]
    sprite.parent.mkdir(parents=True, exist_ok=True)
    sprite.write_bytes(b"\xff\xd8\xff\xe0sprite")
    base = f"/media/recordings/{recording_id}"
    pages = [f"{base}/transcript/find?q=翡翠", f"{base}/transcript?from=0&to=60",
             f"{base}/transcript/jump?at=0:02", f"{base}/overview.jpg"]  # fmt: skip
    owner, other = client_as(merchant), client_as(make_user(Role.MERCHANT, make_org("org-b")))
    headers = {"HX-Request": "true"}
    for page in pages:
        assert owner.get(page, headers=headers).status_code == 200, page
        answer = other.get(page, headers=headers)
        assert answer.status_code == 404, page
        assert "翡翠" not in answer.text, page
