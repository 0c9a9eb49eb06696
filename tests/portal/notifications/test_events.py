"""Each event notifies exactly the people who must act (never the actor, never the suspended)."""

from __future__ import annotations

import pytest

from courses.models import RUBRIC_CRITERIA, Course, Enrolment, Lesson, PracticeSubmission
from courses.practice.review import decide_submission
from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.states import transition
from portal.auth.models import Role, User
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.services import Failure, enqueue_job, retry_or_fail
from portal.organisations.models import Organisation, OrgStatus
from portal.screening import services as screening
from portal.screening.models import Application
from tests.portal.helpers import fetch
from tests.portal.notifications.conftest import notifications_of, recipients
from tests.support.mediagen import make_test_webm
from tests.support.uploads import tus_upload

S = ClipState
MERCHANTS, TRAINERS = "merchants", "trainers"

# (from, to, who moves it (None: the system), kind, who is told)
CLIP_MOVES = [
    (S.READY, S.IN_REVIEW, "merchant", "clip.submitted", TRAINERS),
    (S.CHANGES_REQUESTED, S.IN_REVIEW, "merchant", "clip.resubmitted", TRAINERS),
    (S.REJECTED, S.IN_REVIEW, "merchant", "clip.resubmitted", TRAINERS),
    (S.APPROVED, S.IN_REVIEW, None, "clip.back_in_review", TRAINERS),
    (S.IN_REVIEW, S.CHANGES_REQUESTED, "trainer", "clip.changes_requested", MERCHANTS),
    (S.IN_REVIEW, S.APPROVED, "trainer", "clip.approved", MERCHANTS),
    (S.IN_REVIEW, S.REJECTED, "trainer", "clip.rejected", MERCHANTS),
    (S.APPROVED, S.PUBLISHED, "trainer", "clip.published", MERCHANTS),
]


def _user(user: User) -> User:
    return db.session.get(User, user.id)


@pytest.mark.parametrize(("source", "target", "actor", "kind", "told"), CLIP_MOVES)
def test_clip_move_notifies_the_people_who_act_next(
    app, people, make_clip, source, target, actor, kind, told
):
    clip_id = make_clip(source)
    mover = getattr(people, actor) if actor else None
    with app.app_context():
        transition(db.session.get(Clip, clip_id), target, _user(mover) if mover else None)

    if told == MERCHANTS:
        expected = {people.merchant.id, people.colleague.id}
        someone = people.colleague
    else:
        expected = {people.trainer.id, people.other_trainer.id}
        someone = people.other_trainer
    if mover is not None:
        expected.discard(mover.id)
    assert recipients(app) == expected
    [(got_kind, object_type, object_id, params)] = notifications_of(app, someone)
    assert (got_kind, object_type, object_id) == (kind, "clip", clip_id)
    assert params["title"] == "冰种手镯讲解"


def test_clip_archived_notifies_no_one(app, people, make_clip):
    clip_id = make_clip(S.READY)
    with app.app_context():
        transition(db.session.get(Clip, clip_id), S.ARCHIVED, _user(people.merchant))

    assert recipients(app) == set()


SCREENING = [
    ("approve", (), "screening.approved"),
    ("reject", ("营业执照模糊",), "screening.rejected"),
    ("request_documents", ("请补充证书",), "screening.more_documents"),
]


@pytest.mark.parametrize(("decide", "args", "kind"), SCREENING)
def test_screening_decision_notifies_the_applicant(
    app, make_org, make_user, trainer, decide, args, kind
):
    org = make_org("new-shop", status=OrgStatus.PENDING)
    applicant = make_user(Role.MERCHANT, org)
    with app.app_context():
        db.session.add(Application(org_id=org.id, submitted_at=utcnow()))
        db.session.commit()
        getattr(screening, decide)(db.session.get(Organisation, org.id), _user(trainer), *args)

    assert notifications_of(app, applicant) == [(kind, "organisation", org.id, {"org": org.name})]
    assert recipients(app) == {applicant.id}


def _submission(app, make_course, learner: User) -> int:
    course_id = make_course(lessons=("开场话术",), practice_on=(0,))
    with app.app_context():
        lesson = db.session.scalar(db.select(Lesson).where(Lesson.title == "开场话术"))
        submission = PracticeSubmission(lesson_id=lesson.id, user_id=learner.id)
        db.session.add(submission)
        db.session.commit()
        assert course_id
        return submission.id


def test_practice_sent_notifies_the_trainers(app, client_as, people, make_course, tmp_path):
    course_id = make_course(lessons=("开场话术",), practice_on=(0,))
    with app.app_context():
        lesson_id = db.session.get(Course, course_id).modules[0].lessons[0].id
        db.session.add(Enrolment(user_id=people.streamer.id, course_id=course_id))
        db.session.commit()
    video = make_test_webm(tmp_path / "practice.webm", seconds=1, size="160x120")
    learner = client_as(people.streamer)
    upload_id = tus_upload(learner, video.read_bytes(), video.name)

    sent = learner.post(
        f"/courses/lessons/{lesson_id}/practice", data={"upload_id": upload_id, "language": "zh"}
    )

    assert sent.status_code == 302
    submission_id = fetch(app, PracticeSubmission, PracticeSubmission.lesson_id == lesson_id).id
    assert recipients(app) == {people.trainer.id, people.other_trainer.id}
    assert notifications_of(app, people.trainer) == [
        ("practice.submitted", "practice", submission_id, {"lesson": "开场话术", "name": "小美"})
    ]


@pytest.mark.parametrize(
    ("passed", "kind"), [(True, "practice.passed"), (False, "practice.try_again")]
)
def test_practice_decision_notifies_the_learner(app, people, make_course, passed, kind):
    submission_id = _submission(app, make_course, people.streamer)
    with app.app_context():
        decide_submission(
            db.session.get(PracticeSubmission, submission_id), _user(people.trainer),
            passed=passed, rubric=dict.fromkeys(RUBRIC_CRITERIA, 4),
            feedback="语速再慢一点",
        )  # fmt: skip

    assert recipients(app) == {people.streamer.id}
    assert notifications_of(app, people.streamer) == [
        (kind, "practice", submission_id, {"lesson": "开场话术"})
    ]


def test_job_failed_for_good_notifies_who_started_it(app, people, make_clip):
    clip_id = make_clip(S.READY)
    with app.app_context():
        version = db.session.scalar(db.select(ClipVersion).where(ClipVersion.clip_id == clip_id))
        job = enqueue_job(
            "clip.render", version, org_id=version.org_id, actor=_user(people.merchant)
        )
        job.attempts = job.max_attempts - 1
        retry_or_fail(job, Failure("x"))  # attempts left: back in the queue, no one told
        assert recipients(app) == set()
        job.attempts = job.max_attempts
        retry_or_fail(job, Failure("x"))

    assert recipients(app) == {people.merchant.id}
    assert notifications_of(app, people.merchant) == [
        ("job.failed", "clip", clip_id, {"job": "clip.render"})
    ]
