"""Search fixtures: transcribed recordings, clips and lessons, indexed by the real listeners."""

from __future__ import annotations

import re
from html import unescape

import pytest

from courses.models import Course, CourseModule, CourseStatus, Lesson
from courses.signals import course_changed
from courses.videos import base_org_id
from media.clips.models import Clip, ClipState
from media.clips.rendering import latest_ready_version
from media.clips.signals import clip_changed
from media.recordings.models import Recording
from media.transcription import engine
from media.transcripts.services import save_transcript
from portal.catalog.signals import catalog_changed
from portal.extensions import db
from tests.support.clipdata import add_clip_rows


def transcript_result(lines):
    """A recognition result: each ``(start_s, text)`` becomes one sentence 2 s long."""
    segments = tuple(
        engine.Segment(
            start=start, end=start + 2.0, text=text,
            words=(engine.Word(start=start, end=start + 2.0, text=text + "。", probability=0.9),),
        )
        for start, text in lines
    )  # fmt: skip
    end = max((start for start, _text in lines), default=0.0) + 2.0
    return engine.Transcript(language="zh", duration_s=end, segments=segments)


@pytest.fixture
def make_recording(app):
    """Build a recording of ``org`` and store its transcript through the real service."""

    def build(org_id, lines, title="周三晚场直播"):
        with app.app_context():
            recording = Recording(org_id=org_id, title=title, stored_name="x.mp4", duration_s=60)
            db.session.add(recording)
            db.session.commit()
            save_transcript(
                recording, transcript_result(lines), model_name="test", hotwords="", prompt=""
            )
            return recording.id

    return build


@pytest.fixture
def index_items(app):
    """Tell the index that an organisation's catalog changed (as the catalog services do)."""

    def send(org):
        with app.app_context():
            catalog_changed.send(org_id=org.id)

    return send


@pytest.fixture
def make_clip(app):
    """Build a clip of ``org`` about ``item_id`` in ``state`` (with a ready version)."""

    def build(org, item_id, *, title="翡翠手镯讲解", state=ClipState.DRAFT, lines=("水头很好",)):
        with app.app_context():
            clip = add_clip_rows(
                org.id, [item_id], title=title, texts=lines, state=state,
                span_ms=(0, 30_000), cue_every_ms=2000,
            )  # fmt: skip
            clip_changed.send(clip_id=clip.id, org_id=org.id)
            return clip.id

    return build


@pytest.fixture
def make_lesson(app):
    """Build a course with one lesson (notes, maybe a transcribed video); return the lesson id."""

    def build(title="翡翠的种水", notes="", *, published=True, video_lines=None):
        with app.app_context():
            recording_id = None
            if video_lines is not None:
                video = Recording(org_id=base_org_id(), title=title, stored_name="l.mp4")
                db.session.add(video)
                db.session.commit()
                save_transcript(
                    video, transcript_result(video_lines), model_name="t", hotwords="", prompt=""
                )
                recording_id = video.id
            course = Course(
                title="翡翠入门",
                status=CourseStatus.PUBLISHED if published else CourseStatus.DRAFT,
                modules=[CourseModule(title="基础", lessons=[
                    Lesson(title=title, notes_md=notes, recording_id=recording_id)
                ])],
            )  # fmt: skip
            db.session.add(course)
            db.session.commit()
            course_changed.send(course_id=course.id)
            return course.modules[0].lessons[0].id

    return build


NOTHING = 'class="card empty search-empty"'  # the results page's "nothing found" (any language)


def hits(html):
    """The visible text of every hit on a results page or list, in order."""
    found = re.findall(r'<li class="search-hit[^"]*">(.*?)</li>', html, flags=re.S)
    plain = [re.sub(r"<[^>]+>", " ", re.sub(r"</?mark>", "", hit)) for hit in found]
    return [" ".join(unescape(text).split()) for text in plain]


def hit_links(html):
    """The addresses the hits open."""
    return [
        unescape(link)
        for link in re.findall(r'<a class="search-hit-main" href="([^"]+)"', html, flags=re.S)
    ]


def set_clip_state(app, clip_id, state):
    """Move a clip to ``state`` directly and tell the index (as ``transition`` does).

    A clip that has been submitted points at its newest rendered version, as submitting does.
    """
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        clip.state = state
        if clip.review_version_id is None:
            newest = latest_ready_version(clip)
            clip.review_version_id = newest.id if newest else None
        db.session.commit()
        clip_changed.send(clip_id=clip.id, org_id=clip.org_id)
