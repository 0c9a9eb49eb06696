"""Certificates over HTTP: issued on completion, page and PDF, public verify, revoke, learners."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select, update

from courses.certificates.fonts import truetype_candidates
from courses.models import (
    Certificate,
    Course,
    Enrolment,
    LessonProgress,
    PracticeState,
    PracticeSubmission,
    QuizAttempt,
)
from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.database import utcnow
from portal.extensions import db
from tests.support.invisible import invisible_in, sprinkled_all
from tests.support.pdftext import drawn_texts

PASS_RUBRIC = {
    "decision": "pass", "feedback": "", "score_lighting": "5", "score_framing": "5",
    "score_sound": "4", "score_product_knowledge": "4", "score_compliance": "5",
}  # fmt: skip


@pytest.fixture
def app_config():
    return {"BABEL_DEFAULT_LOCALE": "en"}


def lessons_of(app, course_id):
    with app.app_context():
        course = db.session.get(Course, course_id)
        return [
            (lesson.id, lesson.quiz.id if lesson.quiz else None)
            for module in course.modules
            for lesson in module.lessons
        ]


def enrol(app, course_id, user, *, lessons_done=(), quiz_scores=(), practice=()):
    """Enrol ``user``; mark lessons done, add quiz attempts (quiz id, score) and submissions."""
    with app.app_context():
        db.session.add(Enrolment(user_id=user.id, course_id=course_id))
        for lesson_id in lessons_done:
            db.session.add(
                LessonProgress(user_id=user.id, lesson_id=lesson_id, completed_at=utcnow())
            )
        for quiz_id, score in quiz_scores:
            db.session.add(
                QuizAttempt(
                    quiz_id=quiz_id, user_id=user.id, score_percent=score, passed=score >= 60
                )
            )
        ids = []
        for lesson_id, state in practice:
            row = PracticeSubmission(lesson_id=lesson_id, user_id=user.id, state=state)
            db.session.add(row)
            db.session.flush()
            ids.append(row.id)
        db.session.commit()
        return ids


@pytest.fixture
def course_id(make_course):
    return make_course(lessons=("拍摄与布光", "讲解一件翡翠"), quiz_on=(0,), practice_on=(1,))


@pytest.fixture
def code(app, course_id, client_as, streamer, trainer):
    """The streamer does everything; the trainer passes the practice video over HTTP."""
    (first, quiz_id), (second, _none) = lessons_of(app, course_id)
    (submission_id,) = enrol(
        app, course_id, streamer, lessons_done=(first, second), quiz_scores=[(quiz_id, 100)],
        practice=[(second, PracticeState.SUBMITTED)],
    )  # fmt: skip
    with app.app_context():
        assert db.session.scalar(select(Certificate)) is None
    response = client_as(trainer).post(
        f"/courses/practice/{submission_id}/decision", data=PASS_RUBRIC
    )
    assert response.status_code == 302
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        return certificate.code


def english(browser):
    browser.get("/?lang=en")
    return browser


def test_learner_completing_course_gets_certificate_page(app, code, client_as, streamer):
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert certificate.holder_name == streamer.name
        assert certificate.course_title == "直播短视频制作入门"
        assert db.session.scalar(select(Enrolment)).completed_at is not None
        assert (
            db.session.scalar(select(func.count()).where(AuditEvent.action == "certificate.issued"))
            == 1
        )
    learner = english(client_as(streamer))
    page = learner.get(f"/courses/certificates/{code}")
    assert page.status_code == 200
    for text in (streamer.name, "直播短视频制作入门", code, "Certificate of completion"):
        assert text in page.text
    assert re.search(r"Issued on \w+ \d+, \d{4}", page.text)
    assert f"http://localhost/verify/{code}" in page.text
    assert '<svg width="' in page.text
    assert 'class="segno"' in page.text
    assert "Revoke this certificate" not in page.text

    mine = learner.get("/courses/certificates/")
    assert f"/courses/certificates/{code}" in mine.text
    assert "直播短视频制作入门" in mine.text


def test_learner_downloads_pdf_with_code_and_qr_link(app, code, client_as, streamer):
    response = english(client_as(streamer)).get(f"/courses/certificates/{code}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"%PDF")
    assert code.encode() in body
    assert f"/URI (http://localhost/verify/{code})".encode() in body
    assert len(body) > 2000


@pytest.mark.skipif(not truetype_candidates(), reason="no TrueType CJK font on this host")
def test_pdf_embeds_a_truetype_cjk_font_when_one_is_installed(app, code, client_as, streamer):
    body = client_as(streamer).get(f"/courses/certificates/{code}.pdf").data
    assert b"/FontFile2" in body


@pytest.mark.skipif(not truetype_candidates(), reason="no TrueType CJK font on this host")
def test_names_with_invisible_characters_are_issued_and_printed_without_them(
    app, request, course_id, client_as, streamer
):
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == streamer.id).values(name=sprinkled_all("Ann Lee"))
        )
        db.session.execute(
            update(Course).where(Course.id == course_id).values(title=sprinkled_all("直播入门"))
        )
        db.session.commit()
    code = request.getfixturevalue("code")  # issued now, from the names above

    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert (certificate.holder_name, certificate.course_title) == ("Ann Lee", "直播入门")
    learner = english(client_as(streamer))
    assert "Ann Lee" in learner.get(f"/courses/certificates/{code}").text
    texts = drawn_texts(learner.get(f"/courses/certificates/{code}.pdf").data)
    assert {"Ann Lee", "直播入门", code} <= set(texts)
    assert [text for text in texts if invisible_in(text)] == []


@pytest.mark.skipif(not truetype_candidates(), reason="no TrueType CJK font on this host")
def test_certificate_issued_with_invisible_characters_is_printed_without_them(
    app, code, client_as, streamer
):
    with app.app_context():  # as a certificate issued before names were cleaned
        db.session.execute(
            update(Certificate).values(
                holder_name=sprinkled_all("Ann Lee"), course_title=sprinkled_all("直播入门")
            )
        )
        db.session.commit()

    texts = drawn_texts(english(client_as(streamer)).get(f"/courses/certificates/{code}.pdf").data)

    assert {"Ann Lee", "直播入门"} <= set(texts)
    assert [text for text in texts if invisible_in(text)] == []


def test_other_learner_and_visitor_cannot_open_a_certificate(
    app, code, client, client_as, make_user, trainer
):
    other = client_as(make_user(Role.STREAMER))
    assert other.get(f"/courses/certificates/{code}").status_code == 404
    assert other.get(f"/courses/certificates/{code}.pdf").status_code == 404
    assert other.get("/courses/certificates/NOSUCHCODE").status_code == 404
    anonymous = client.get(f"/courses/certificates/{code}")
    assert anonymous.status_code == 302
    assert "/login" in anonymous.headers["Location"]
    assert client_as(trainer).get(f"/courses/certificates/{code}").status_code == 200


def test_visitor_verifies_a_valid_certificate_without_signing_in(app, code, client, streamer):
    page = english(client).get(f"/verify/{code}")
    assert page.status_code == 200
    assert "Valid Beltcast certificate" in page.text
    assert streamer.name in page.text
    assert "直播短视频制作入门" in page.text
    assert english(client).get(f"/verify/{code.lower()}").status_code == 200


def test_visitor_with_unknown_code_gets_not_a_beltcast_certificate(app, client):
    for code in ("0123456789ABCDEF", "<script>", "x" * 40):
        page = english(client).get(f"/verify/{code}")
        assert page.status_code == 404
        assert "Not a Beltcast certificate" in page.text


def test_trainer_revokes_with_reason_and_verify_says_revoked(
    app, code, client, client_as, trainer, streamer
):
    staff = english(client_as(trainer))
    page = staff.get(f"/courses/certificates/{code}")
    assert "Revoke this certificate" in page.text
    assert "data-confirm" in page.text

    refused = staff.post(f"/courses/certificates/{code}/revoke", data={"reason": "  "})
    assert refused.status_code == 200
    assert "Say why the certificate is revoked." in refused.text

    done = staff.post(f"/courses/certificates/{code}/revoke", data={"reason": "Shared account."})
    assert done.status_code == 302
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert certificate.revoked_by_id == trainer.id
        assert certificate.revoke_reason == "Shared account."
        event_row = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "certificate.revoked")
        )
        assert event_row.actor_id == trainer.id

    verify = english(client).get(f"/verify/{code}")
    assert verify.status_code == 200
    assert "This certificate was revoked" in verify.text
    assert re.search(r"Revoked on \w+ \d+, \d{4}", verify.text)
    assert "Valid Beltcast certificate" not in verify.text
    assert "revoked" in english(client_as(streamer)).get("/courses/certificates/").text

    again = staff.post(f"/courses/certificates/{code}/revoke", data={"reason": "Again."})
    assert again.status_code == 409


def test_streamer_cannot_revoke(app, code, client_as, streamer):
    response = client_as(streamer).post(
        f"/courses/certificates/{code}/revoke", data={"reason": "mine"}
    )
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Certificate)).revoked_at is None


def test_trainer_sees_learners_progress_scores_pending_and_completion_rate(
    app, code, course_id, client_as, make_user, trainer, streamer
):
    (first, quiz_id), (second, _none) = lessons_of(app, course_id)
    halfway = make_user(Role.STREAMER, name="半程学员")
    enrol(
        app, course_id, halfway, lessons_done=(first,), quiz_scores=[(quiz_id, 50), (quiz_id, 80)],
        practice=[(second, PracticeState.TRY_AGAIN), (second, PracticeState.SUBMITTED)],
    )  # fmt: skip
    enrol(app, course_id, make_user(Role.STREAMER, name="新学员"))

    page = english(client_as(trainer)).get(f"/courses/manage/{course_id}/learners")
    assert page.status_code == 200
    text = page.text
    assert "33%" in text  # one of three completed
    rows = {name: text[text.index(name) :] for name in (streamer.name, "半程学员", "新学员")}
    assert re.search(r'value="100"', rows[streamer.name].split("</tr>")[0])
    # halfway: 1 of 2 lessons, 1 of 1 quiz, 0 of 1 practice = 2 of 4
    halfway_row = rows["半程学员"].split("</tr>")[0]
    assert 'value="50"' in halfway_row
    assert "80%" in halfway_row
    with app.app_context():
        pending_id = db.session.scalar(
            select(PracticeSubmission.id).where(PracticeSubmission.state == PracticeState.SUBMITTED)
        )
    assert f"/courses/practice/{pending_id}" in halfway_row
    assert 'value="0"' in rows["新学员"].split("</tr>")[0]
    assert f"/courses/certificates/{code}" in rows[streamer.name]
    assert "/courses/practice/queue" in text


def test_learners_page_queries_do_not_grow_with_learners(
    app, course_id, client_as, make_user, trainer
):
    staff = client_as(trainer)
    staff.get(f"/courses/manage/{course_id}/learners")

    def queries_for_page():
        statements = []

        def count(*_args):
            statements.append(1)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert staff.get(f"/courses/manage/{course_id}/learners").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    enrol(app, course_id, make_user(Role.STREAMER))
    one = queries_for_page()
    for _index in range(4):
        enrol(app, course_id, make_user(Role.STREAMER))
    assert queries_for_page() == one


def test_streamer_gets_403_and_missing_course_404_on_learners(
    app, course_id, client_as, streamer, trainer
):
    assert client_as(streamer).get(f"/courses/manage/{course_id}/learners").status_code == 403
    assert client_as(trainer).get("/courses/manage/999/learners").status_code == 404


def test_visitor_types_a_certificate_number_and_reaches_its_verify_page(app, code, client):
    form = english(client).get("/verify/")
    assert form.status_code == 200
    assert 'name="code"' in form.text
    typed = f" {code[:4].lower()}-{code[4:]} "  # as read aloud: spaces, a dash, lower case
    answer = client.get("/verify/", query_string={"code": typed})
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/verify/{code}"
    assert "Valid Beltcast certificate" in client.get(answer.headers["Location"]).text


def test_visitor_typing_nothing_or_symbols_sees_the_error_under_the_field(client):
    english(client)
    empty = client.get("/verify/?code=")
    assert empty.status_code == 200
    assert "Type the certificate's number." in empty.text
    symbols = client.get("/verify/?code=%3Cscript%3E")
    assert "A certificate number has only letters and digits." in symbols.text
    unknown = client.get("/verify/0123456789ABCDEF")
    assert unknown.status_code == 404
    assert 'value="0123456789ABCDEF"' in unknown.text  # the form again, to correct the number


def test_chinese_visitor_reads_the_verify_form_in_chinese(client):
    page = client.get("/verify/?lang=zh_CN")
    assert "任何人都可以查验" in page.text
    assert "查验证书" in page.text
