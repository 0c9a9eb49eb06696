"""Library fixtures: clips in any state with a ready version, optionally with real media files."""

from __future__ import annotations

import pytest

from media.clips.models import ClipState, ClipVersion
from media.clips.rendering import version_file
from portal.catalog.models import Category
from portal.extensions import db
from tests.support.clipdata import add_clip_rows
from tests.support.mediagen import make_test_video


@pytest.fixture
def make_category(app):
    """Build a product category."""

    def build(name_zh, name_en):
        with app.app_context():
            category = Category(name_zh=name_zh, name_en=name_en)
            db.session.add(category)
            db.session.commit()
            return category.id

    return build


@pytest.fixture
def make_library_clip(app, make_item):
    """Build a clip of ``org`` in ``state`` about ``item`` (a certified item if none)."""

    def build(org, state=ClipState.PUBLISHED, item=None, title="翡翠手镯讲解",
              cue_texts=("这款翡翠手镯水头很好",)):  # fmt: skip
        item = item or make_item(org, cert_lab="NGTC", cert_number="N-1", price_cents=128_000)
        with app.app_context():
            clip = add_clip_rows(
                org.id, [item.id], title=title, texts=cue_texts, state=state, description="讲解种水"
            )
            return clip.id

    return build


@pytest.fixture
def write_media(app):
    """Write a real tiny mp4, a poster and a WebVTT file where the clip's version lives."""

    def write(clip_id):
        with app.app_context():
            version = db.session.query(ClipVersion).filter_by(clip_id=clip_id).one()
            make_test_video(version_file(version, "video"), seconds=1.0, size="160x120")
            version_file(version, "poster").write_bytes(b"\xff\xd8\xff\xe0poster")
            version_file(version, "vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n好\n")
            return version_file(version, "video").stat().st_size

    return write
