"""Review fixtures: a clip of a merchant, with a rendered version row (no media needed)."""

from __future__ import annotations

import pytest

from media.clips.models import Clip, ClipCue, ClipItem, ClipState, ClipVersion
from media.recordings.models import Recording
from portal.database import utcnow
from portal.extensions import db


@pytest.fixture
def make_clip(app, merchant, make_item):
    """Build a clip of ``org`` in ``state`` with ``versions`` ready version rows."""

    def build(org, state=ClipState.READY, versions=1, cue_texts=("这款翡翠手镯水头很好",)):
        item = make_item(org, cert_lab="NGTC", cert_number="N-1")
        with app.app_context():
            recording = Recording(
                org_id=org.id, title="直播", stored_name="x.mp4", duration_s=600.0
            )
            db.session.add(recording)
            db.session.flush()
            clip = Clip(
                org_id=org.id, recording_id=recording.id, title="翡翠手镯讲解",
                start_ms=10_000, end_ms=40_000, state=state,
                links=[ClipItem(item_id=item.id, position=0)],
                cues=[ClipCue(sentence_position=n, start_ms=10_000 + n * 3000,
                              end_ms=12_000 + n * 3000, text=text)
                      for n, text in enumerate(cue_texts)],
            )  # fmt: skip
            db.session.add(clip)
            db.session.flush()
            for number in range(1, versions + 1):
                db.session.add(
                    ClipVersion(
                        org_id=org.id, clip_id=clip.id, number=number, created_at=utcnow(),
                        profile="vertical", start_ms=10_000, end_ms=40_000,
                        cues=[{"start": 0, "end": 2, "text": f"{cue_texts[0]} v{number}"}],
                        stored_stem=f"stem{number}", is_ready=True,
                    )
                )  # fmt: skip
            db.session.commit()
            return db.session.get(Clip, clip.id).id

    return build
