"""Review fixtures: a clip of a merchant, with rendered version rows (no media needed)."""

from __future__ import annotations

import pytest

from media.clips.models import ClipState
from tests.portal.helpers import in_english
from tests.portal.review.stage import SENTENCES, Stage
from tests.support.clipdata import add_clip_rows, add_transcript


@pytest.fixture
def make_clip(app, merchant, make_item):
    """Build a clip of ``org`` in ``state`` with ``versions`` ready version rows."""

    def build(org, state=ClipState.READY, versions=1, cue_texts=("这款翡翠手镯水头很好",)):
        item = make_item(org, cert_lab="NGTC", cert_number="N-1")
        # Older versions said something else; the newest is the clip as it stands.
        version_cues = [
            [{"start": 0, "end": 2, "text": f"{cue_texts[0]} v{number}"}]
            for number in range(1, versions)
        ] + [None]
        with app.app_context():
            clip = add_clip_rows(
                org.id, [item.id], title="翡翠手镯讲解", texts=cue_texts, state=state,
                version_cues=version_cues, recording_s=600.0,
            )  # fmt: skip
            return clip.id

    return build


@pytest.fixture
def stage(app, client, client_as, merchant, trainer, merchant_org, make_item):
    """Build a draft clip (no version yet) of three transcribed sentences, the middle one banned."""
    item = make_item(merchant_org, sku="JADE-1", cert_lab="NGTC", cert_number="N-1")

    def build() -> Stage:
        with app.app_context():
            clip = add_clip_rows(
                merchant_org.id, [item.id], title="翡翠手镯讲解", description="讲解种水",
                texts=[text for _, _, text in SENTENCES], state=ClipState.DRAFT,
                span_ms=(10_000, 19_000), cue_every_ms=3000, cue_ms=3000, version_cues=(),
                recording_s=600.0,
            )  # fmt: skip
            add_transcript(clip.recording_id, merchant_org.id, SENTENCES)
            clip_id = clip.id
        return Stage(
            app, clip_id, item.id, in_english(client_as(merchant)), in_english(client_as(trainer)),
            client,
        )  # fmt: skip

    return build
