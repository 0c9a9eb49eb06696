"""Who may use every course route: a table that a new course route must join.

The test walks ``app.url_map`` for ``courses*`` endpoints (the merchant tenancy walker in
tests/portal/test_tenancy.py leaves them to this one) and checks, with the ids of one learner's
objects in a draft and a published course: a visitor is sent to sign in, a streamer gets 403 on
trainer pages, another learner's objects answer 404, a draft course's content answers 404 to
learners, and nothing another learner posts changes the first learner's rows.
"""

from __future__ import annotations

from enum import Enum

import pytest
from sqlalchemy import func, select

from courses.models import (
    Certificate,
    Course,
    CourseModule,
    CourseStatus,
    Lesson,
    LessonAttachment,
    LessonCaption,
    PracticeSubmission,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
)
from portal.auth.models import Role
from portal.comments.models import Comment
from portal.extensions import db
from tests.portal.helpers import url_for_rule


class Access(Enum):
    """Who may use a course route."""

    STAFF = "trainers and administrators"
    CONTENT = "anyone signed in, for a published course (a draft: staff only, else 404)"
    OWN = "the learner whose object it is, and staff (anyone else: 404)"
    SIGNED_IN = "anyone signed in, no object"
    PUBLIC = "anyone, no sign-in"


_QUIZ_EDITING = "edit new_question edit_question move_question delete_question delete_quiz"
_AUTHORING = """
    index new preview course edit delete publish unpublish add_module rename_module move_module
    delete_module add_lesson lesson move_lesson move_lesson_to_module delete_lesson video
    video_status video_file video_captions caption add_track track delete_track add_attachment
    attachment delete_attachment
"""

ROUTES: dict[str, Access] = {
    "courses.catalog": Access.SIGNED_IN,
    "courses.course": Access.CONTENT,
    "courses.enrol": Access.CONTENT,
    "courses.lesson": Access.CONTENT,
    "courses.lesson_video": Access.CONTENT,
    "courses.lesson_captions": Access.CONTENT,
    "courses.lesson_caption": Access.CONTENT,
    "courses.attachment": Access.CONTENT,
    "courses.progress": Access.CONTENT,
    "courses.mark_done": Access.CONTENT,
    "courses_quizzes.take": Access.CONTENT,
    "courses_practice.submit": Access.CONTENT,
    "courses_authoring.cover": Access.CONTENT,
    "courses_quizzes.attempt": Access.OWN,
    "courses_practice.submission": Access.OWN,
    "courses_practice.status": Access.OWN,
    "courses_practice.media": Access.OWN,
    "courses_practice.comment": Access.OWN,
    "courses_certificates.certificate": Access.OWN,
    "courses_certificates.pdf": Access.OWN,
    "courses_certificates.mine": Access.SIGNED_IN,
    "courses_certificates.verify": Access.PUBLIC,
    "courses_certificates.verify_form": Access.PUBLIC,
    "courses_certificates.revoke": Access.STAFF,
    "courses_certificates.learners": Access.STAFF,
    "courses_certificates.gradebook": Access.STAFF,
    "courses_certificates.gradebook_csv": Access.STAFF,
    "courses_practice.queue": Access.STAFF,
    "courses_practice.decide": Access.STAFF,
    "courses_practice.resolve_comment": Access.STAFF,
    **dict.fromkeys((f"courses_quizzes.{name}" for name in _QUIZ_EDITING.split()), Access.STAFF),
    **dict.fromkeys((f"courses_authoring.{name}" for name in _AUTHORING.split()), Access.STAFF),
}


def _course(title: str, status: CourseStatus) -> Course:
    """A course with one lesson that has a quiz, an attachment and an extra caption track."""
    question = QuizQuestion(
        kind=QuestionKind.TRUE_FALSE, prompt="竖屏更适合手机？",
        choices=[QuizChoice(text="对", is_correct=True), QuizChoice(position=1, text="错")],
    )  # fmt: skip
    lesson = Lesson(
        title="竖屏构图", notes_md="要点", practice_prompt="录一段 60 秒的介绍。",
        quiz=Quiz(questions=[question]),
        attachments=[LessonAttachment(filename="讲义.pdf", stored_name="missing.pdf")],
        captions=[LessonCaption(language="en", vtt="WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")],
    )  # fmt: skip
    return Course(title=title, status=status, modules=[CourseModule(title="一", lessons=[lesson])])


def _ids(course: Course) -> dict[str, object]:
    lesson = course.modules[0].lessons[0]
    return {
        "course_id": course.id, "module_id": course.modules[0].id, "lesson_id": lesson.id,
        "attachment_id": lesson.attachments[0].id, "caption_id": lesson.captions[0].id,
        "quiz_id": lesson.quiz.id, "question_id": lesson.quiz.questions[0].id,
        "sentence_id": 1,
    }  # fmt: skip


@pytest.fixture
def world(app, make_user, client_as):
    """A draft and a published course; learner A's attempt, submission, comment, certificate."""
    learner_a, learner_b = make_user(Role.STREAMER), make_user(Role.STREAMER)
    with app.app_context():
        draft = _course("草稿课程", CourseStatus.DRAFT)
        published = _course("已发布课程", CourseStatus.PUBLISHED)
        db.session.add_all([draft, published])
        db.session.flush()
        lesson = published.modules[0].lessons[0]
        attempt = QuizAttempt(quiz_id=lesson.quiz.id, user_id=learner_a.id, answers={})
        submission = PracticeSubmission(lesson_id=lesson.id, user_id=learner_a.id)
        certificate = Certificate(
            code="A1B2C3D4E5F60718", user_id=learner_a.id, course_id=published.id,
            holder_name="学员甲", course_title=published.title,
        )  # fmt: skip
        db.session.add_all([attempt, submission, certificate])
        db.session.flush()
        comment = Comment(
            subject_type="PracticeSubmission", subject_id=submission.id, author_id=learner_a.id,
            at_s=1.0, body="甲的回复",
        )  # fmt: skip
        db.session.add(comment)
        db.session.commit()
        own = {
            "attempt_id": attempt.id, "submission_id": submission.id, "comment_id": comment.id,
            "code": certificate.code,
        }  # fmt: skip
        return {
            "draft": _ids(draft) | own,
            "published": _ids(published) | own,
            "learner_a": client_as(learner_a),
            "learner_b": client_as(learner_b),
        }


def _course_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("courses")]


def _requests(app, ids, *accesses):
    """Yield (endpoint, method, url) for the course routes of ``accesses``."""
    for rule in _course_rules(app):
        if ROUTES[rule.endpoint] not in accesses:
            continue
        url = url_for_rule(app, rule, ids)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


def _snapshot(app):
    """What learner B must not be able to change."""
    with app.app_context():
        counts = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Course, Lesson, QuizQuestion, LessonAttachment, QuizAttempt, Comment)
        }
        submission = db.session.scalar(select(PracticeSubmission))
        certificate = db.session.scalar(select(Certificate))
        return counts | {
            "submission": (submission.state, submission.rubric),
            "certificate": certificate.revoked_at,
            "titles": sorted(db.session.scalars(select(Course.title))),
        }


def test_every_course_route_is_in_the_access_table(app):
    assert {rule.endpoint for rule in _course_rules(app)} == set(ROUTES), (
        "a course route was added or removed: list it in ROUTES with who may use it"
    )


def test_visitor_is_sent_to_sign_in_everywhere_but_verify(app, client, world):
    for endpoint, method, url in _requests(app, world["published"], *Access):
        answer = client.open(url, method=method)
        if ROUTES[endpoint] is Access.PUBLIC:
            assert answer.status_code == 200, (endpoint, url)
        else:
            assert answer.status_code == 302, (endpoint, method, url)
            assert "/auth/login" in answer.headers["Location"] or "login" in answer.location


def test_streamer_gets_403_on_every_trainer_route(app, world):
    before = _snapshot(app)

    for endpoint, method, url in _requests(app, world["published"], Access.STAFF):
        status = world["learner_b"].open(url, method=method, data={"title": "改"}).status_code
        assert status == 403, (endpoint, method, url)

    assert _snapshot(app) == before


def test_other_learner_gets_404_for_a_learners_objects(app, world):
    before = _snapshot(app)

    for endpoint, method, url in _requests(app, world["published"], Access.OWN):
        data = {"body": "乙的评论", "at_s": "1"} if method == "POST" else None
        status = world["learner_b"].open(url, method=method, data=data).status_code
        assert status == 404, (endpoint, method, url)

    assert _snapshot(app) == before


def test_owner_reaches_their_own_objects(app, world):
    for endpoint, method, url in _requests(app, world["published"], Access.OWN):
        if method == "GET" and endpoint != "courses_practice.media":  # no video was uploaded
            assert world["learner_a"].get(url).status_code == 200, (endpoint, url)


def test_learner_gets_404_for_a_draft_courses_content(app, world):
    before = _snapshot(app)

    for endpoint, method, url in _requests(app, world["draft"], Access.CONTENT):
        data = {"position_s": "3", "duration_s": "10", "seq": "1"} if method == "POST" else None
        status = world["learner_b"].open(url, method=method, data=data).status_code
        assert status == 404, (endpoint, method, url)

    assert _snapshot(app) == before


def test_learner_reaches_a_published_courses_pages(app, world):
    pages = {"courses.course", "courses.lesson", "courses_quizzes.take", "courses.lesson_caption"}

    for endpoint, method, url in _requests(app, world["published"], Access.CONTENT):
        if method == "GET" and endpoint in pages:
            assert world["learner_b"].get(url).status_code == 200, (endpoint, url)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_staff_open_every_trainer_page(app, world, make_user, client_as, role):
    browser = client_as(make_user(role))
    missing_files = {  # the fixture has no video, transcript, cover or stored attachment
        "courses_authoring.video_file", "courses_authoring.video_status",
        "courses_authoring.video_captions", "courses_authoring.caption",
        "courses_authoring.attachment", "courses_authoring.track",
    }  # fmt: skip

    for endpoint, method, url in _requests(app, world["draft"], Access.STAFF):
        if method == "GET" and endpoint not in missing_files:
            assert browser.get(url).status_code == 200, (endpoint, url)


NO_OBJECT = {
    "courses_authoring.index", "courses_authoring.new", "courses_authoring.preview",
    "courses_practice.queue",
}  # fmt: skip


def test_missing_ids_answer_404_to_staff(app, world, make_user, client_as):
    browser = client_as(make_user(Role.TRAINER))
    missing = dict.fromkeys(world["draft"], 999_999) | {"code": "0" * 16}

    for endpoint, method, url in _requests(app, missing, Access.STAFF, Access.OWN):
        if endpoint not in {
            "courses_authoring.index",
            "courses_authoring.new",
            "courses_authoring.preview",
            "courses_practice.queue",
        }:
            assert browser.open(url, method=method).status_code == 404, (endpoint, method, url)
