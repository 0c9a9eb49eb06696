"""Practice assignments over HTTP: a real tus upload, transcription, the trainer's review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from courses.models import (
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    PracticeState,
    PracticeSubmission,
)
from media.recordings.models import Recording
from media.uploads.models import Upload
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.comments.models import Comment
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.runner import run_queued_jobs
from tests.support.mediagen import make_test_webm
from tests.support.uploads import tus_upload

RUBRIC = {
    "score_lighting": "4",
    "score_framing": "3",
    "score_sound": "5",
    "score_product_knowledge": "4",
    "score_compliance": "2",
}


@pytest.fixture
def lesson_id(app, make_course, streamer):
    """A one-lesson published course with a practice prompt; the streamer is enrolled and
    has watched the lesson, so passing the practice completes the course."""
    course_id = make_course(lessons=("讲解一件翡翠",), practice_on=(0,))
    with app.app_context():
        course = db.session.get(Course, course_id)
        lesson = course.modules[0].lessons[0]
        db.session.add(Enrolment(user_id=streamer.id, course_id=course_id))
        db.session.add(
            LessonProgress(user_id=streamer.id, lesson_id=lesson.id, completed_at=utcnow())
        )
        db.session.commit()
        return lesson.id


def english(browser):
    browser.get("/?lang=en")
    return browser


def submit(browser, lesson_id: int, path: Path):
    upload_id = tus_upload(browser, path.read_bytes(), path.name)
    return browser.post(
        f"/courses/lessons/{lesson_id}/practice", data={"upload_id": upload_id, "language": "en"}
    )


def run_jobs(app):
    with app.app_context():
        return run_queued_jobs()


def submissions(app):
    with app.app_context():
        rows = db.session.scalars(select(PracticeSubmission).order_by(PracticeSubmission.id)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def decide(browser, submission_id: int, **fields):
    data = {**RUBRIC, "decision": "pass", "feedback": "", **fields}
    return browser.post(f"/courses/practice/{submission_id}/decision", data=data)


def make_submission(app, lesson_id: int, user_id: int, state=PracticeState.SUBMITTED) -> int:
    """A submission without a video (for access and decision tests that need no media)."""
    with app.app_context():
        row = PracticeSubmission(lesson_id=lesson_id, user_id=user_id, state=state)
        db.session.add(row)
        db.session.commit()
        return row.id


def test_streamer_submits_practice_and_trainer_reviews_it(
    app, client_as, streamer, trainer, lesson_id, practice_video
):
    learner = english(client_as(streamer))
    page = learner.get(f"/courses/lessons/{lesson_id}/practice")
    assert page.status_code == 200
    assert "录一段 60 秒的翡翠手镯介绍。" in page.text
    assert "data-upload-widget" in page.text

    response = submit(learner, lesson_id, practice_video)
    assert response.status_code == 302
    (submission,) = submissions(app)
    assert (submission.state, submission.user_id) == (PracticeState.SUBMITTED, streamer.id)
    assert response.headers["Location"].endswith(f"/courses/practice/{submission.id}")
    assert count(app, AuditEvent, AuditEvent.action == "practice.submitted") == 1

    waiting = learner.get(f"/courses/practice/{submission.id}")
    assert 'id="practice-status"' in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text
    assert "<video" not in waiting.text
    polled = learner.get(
        f"/courses/practice/{submission.id}/status?polling=1", headers={"HX-Request": "true"}
    )
    assert polled.status_code == 200
    assert "HX-Refresh" not in polled.headers

    assert run_jobs(app)
    polled = learner.get(
        f"/courses/practice/{submission.id}/status?polling=1", headers={"HX-Request": "true"}
    )
    assert polled.headers["HX-Refresh"] == "true"

    staff = english(client_as(trainer))
    queue = staff.get("/courses/practice/queue")
    assert queue.status_code == 200
    assert "讲解一件翡翠" in queue.text
    assert streamer.name in queue.text
    assert f"/courses/practice/{submission.id}" in queue.text

    review = staff.get(f"/courses/practice/{submission.id}")
    assert review.status_code == 200
    assert 'id="player"' in review.text
    assert "data-pin-time" in review.text
    assert "lowest price" in review.text.lower()
    hits = review.text[review.text.index('id="compliance-hits"') :]
    assert "Misleading price claims" in hits
    assert "<mark>" in hits
    video = staff.get(f"/courses/practice/{submission.id}/video", headers={"Range": "bytes=0-99"})
    assert video.status_code == 206
    assert staff.get(f"/courses/practice/{submission.id}/captions").text.startswith("WEBVTT")

    staff.post(
        f"/courses/practice/{submission.id}/comments", data={"body": "灯光太暗", "at_s": "2.5"}
    )
    reviewed = staff.get(f"/courses/practice/{submission.id}")
    assert 'data-seek="2.5"' in reviewed.text
    assert "灯光太暗" in reviewed.text

    refused = decide(staff, submission.id, decision="try_again", score_sound="7")
    assert refused.status_code == 200
    assert "Not a valid choice" in refused.text
    assert submissions(app)[0].state == PracticeState.SUBMITTED

    refused = decide(staff, submission.id, decision="try_again")
    assert refused.status_code == 200
    assert "Tell the learner what to improve." in refused.text

    decided = decide(staff, submission.id, decision="try_again", feedback="Use more light.")
    assert decided.status_code == 302
    (submission,) = submissions(app)
    assert submission.state == PracticeState.TRY_AGAIN
    assert submission.rubric == {
        "lighting": 4, "framing": 3, "sound": 5, "product_knowledge": 4, "compliance": 2
    }  # fmt: skip
    assert submission.decided_by_id == trainer.id
    assert count(app, AuditEvent, AuditEvent.action == "practice.decided") == 1

    seen = learner.get(f"/courses/practice/{submission.id}")
    assert "Use more light." in seen.text
    assert "Compliance of claims" in seen.text
    assert "灯光太暗" in seen.text
    assert "Send a new video" in seen.text
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    learner.post(
        f"/courses/practice/{submission.id}/comments",
        data={"body": "I will add a lamp.", "parent_id": str(comment_id), "at_s": "0"},
    )
    assert count(app, Comment, Comment.parent_id == comment_id) == 1
    assert "I will add a lamp." in staff.get(f"/courses/practice/{submission.id}").text

    resent = submit(learner, lesson_id, practice_video)
    assert resent.status_code == 302
    _first, second = submissions(app)
    assert second.state == PracticeState.SUBMITTED
    assert decide(staff, second.id, feedback="Good.").status_code == 302

    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        assert enrolment.completed_at is not None
        assert db.session.scalar(select(Certificate)).user_id == streamer.id


def test_streamer_refused_file_gets_clear_message_and_nothing_is_kept(
    app, client_as, streamer, lesson_id, tmp_path
):
    learner = english(client_as(streamer))
    not_video = tmp_path / "notes.mp4"
    not_video.write_bytes(b"this is not a video at all " * 100)
    response = submit(learner, lesson_id, not_video)
    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert count(app, PracticeSubmission) == 0
    assert count(app, Recording) == 0
    assert count(app, Upload) == 0


def test_streamer_with_waiting_submission_cannot_send_another(
    app, client_as, streamer, lesson_id, tmp_path
):
    make_submission(app, lesson_id, streamer.id)
    learner = english(client_as(streamer))
    response = submit(learner, lesson_id, make_test_webm(tmp_path / "clip.webm", seconds=1))
    assert response.status_code == 200
    assert "still waiting for a trainer" in response.text
    assert count(app, PracticeSubmission) == 1


def test_learner_not_enrolled_cannot_submit(app, client_as, make_user, lesson_id, tmp_path):
    other = english(client_as(make_user(Role.STREAMER)))
    response = submit(other, lesson_id, make_test_webm(tmp_path / "clip.webm", seconds=1))
    assert "Enrol in the course" in response.text
    assert count(app, PracticeSubmission) == 0


def test_trainer_decision_needs_every_rubric_score(app, client_as, streamer, trainer, lesson_id):
    submission_id = make_submission(app, lesson_id, streamer.id)
    staff = english(client_as(trainer))
    data = {key: value for key, value in RUBRIC.items() if key != "score_framing"}
    response = staff.post(
        f"/courses/practice/{submission_id}/decision", data={**data, "decision": "pass"}
    )
    assert response.status_code == 200
    assert "Give a score from 1 to 5." in response.text
    assert submissions(app)[0].state == PracticeState.SUBMITTED


def test_trainer_cannot_decide_twice(app, client_as, streamer, trainer, lesson_id):
    submission_id = make_submission(app, lesson_id, streamer.id, PracticeState.PASSED)
    assert decide(english(client_as(trainer)), submission_id).status_code == 409


def test_other_learner_gets_404_on_someone_elses_submission(
    app, client_as, streamer, make_user, lesson_id
):
    submission_id = make_submission(app, lesson_id, streamer.id)
    other = client_as(make_user(Role.STREAMER))
    for path in ("", "/video", "/captions", "/status"):
        assert other.get(f"/courses/practice/{submission_id}{path}").status_code == 404
    posted = other.post(f"/courses/practice/{submission_id}/comments", data={"body": "x"})
    assert posted.status_code == 404


def test_streamer_gets_403_on_trainer_pages(app, client_as, streamer, lesson_id):
    submission_id = make_submission(app, lesson_id, streamer.id)
    learner = client_as(streamer)
    assert learner.get("/courses/practice/queue").status_code == 403
    assert decide(learner, submission_id).status_code == 403
    assert submissions(app)[0].state == PracticeState.SUBMITTED


def test_streamer_cannot_start_a_top_level_comment(app, client_as, streamer, lesson_id):
    submission_id = make_submission(app, lesson_id, streamer.id)
    learner = english(client_as(streamer))
    learner.post(f"/courses/practice/{submission_id}/comments", data={"body": "hi", "at_s": "1"})
    assert count(app, Comment) == 0


def test_visitor_is_sent_to_login_and_missing_ids_are_404(app, client, client_as, trainer):
    response = client.get("/courses/practice/queue")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/courses/practice/1").status_code == 302
    staff = client_as(trainer)
    assert staff.get("/courses/practice/999").status_code == 404
    assert staff.get("/courses/lessons/999/practice").status_code == 404


def test_lesson_without_practice_has_no_panel_and_no_submit_page(
    app, make_course, client_as, streamer
):
    course_id = make_course(lessons=("收音",))
    with app.app_context():
        lesson = db.session.get(Course, course_id).modules[0].lessons[0]
        from courses.practice.services import practice_panel

        assert practice_panel(lesson, streamer) is None
        lesson_id = lesson.id
    assert client_as(streamer).get(f"/courses/lessons/{lesson_id}/practice").status_code == 404


def test_practice_panel_lists_submissions_newest_first(app, streamer, lesson_id):
    first = make_submission(app, lesson_id, streamer.id, PracticeState.TRY_AGAIN)
    with app.app_context():
        from courses.practice.services import practice_panel

        lesson = db.session.get(Lesson, lesson_id)
        assert practice_panel(lesson, streamer).can_submit
        second = make_submission(app, lesson_id, streamer.id)
        panel = practice_panel(lesson, streamer)
    assert [s.id for s in panel.submissions] == [second, first]
    assert not panel.can_submit
    assert re.search("録|录", panel.prompt)
