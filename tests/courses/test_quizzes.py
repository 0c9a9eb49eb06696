"""Quizzes: authoring with validation, server-side scoring, attempts, tampering and completion."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from courses.models import (
    AnswerReveal,
    Certificate,
    Course,
    Enrolment,
    LessonProgress,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
)
from courses.quizzes import services
from portal.auth.models import User
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db
from tests.portal.helpers import field_errors, flashes, in_english


@dataclass
class QuizIds:
    lesson_id: int
    quiz_id: int
    single: int  # question ids
    multiple: int
    right: dict[int, list[int]]  # question id -> correct choice ids
    wrong: dict[int, list[int]]  # question id -> wrong choice ids


def quiz_ids(app, course_id, index=0):
    with app.app_context():
        course = db.session.get(Course, course_id)
        lesson = [lesson for module in course.modules for lesson in module.lessons][index]
        quiz = lesson.quiz
        right = {q.id: [c.id for c in q.choices if c.is_correct] for q in quiz.questions}
        wrong = {q.id: [c.id for c in q.choices if not c.is_correct] for q in quiz.questions}
        single, multiple = (q.id for q in quiz.questions)
        return QuizIds(lesson.id, quiz.id, single, multiple, right, wrong)


def answers(ids, single, multiple):
    """Form data choosing ``single`` for the first question and ``multiple`` for the second."""
    return {"quiz_id": str(ids.quiz_id), f"q{ids.single}": single, f"q{ids.multiple}": multiple}


def all_right(ids):
    return answers(ids, ids.right[ids.single], ids.right[ids.multiple])


def take(browser, ids, data):
    return browser.post(f"/courses/lessons/{ids.lesson_id}/quiz", data=data)


def attempts(app, user_id=None):
    with app.app_context():
        statement = select(QuizAttempt).order_by(QuizAttempt.id)
        if user_id is not None:
            statement = statement.where(QuizAttempt.user_id == user_id)
        return [(a.score_percent, a.passed) for a in db.session.scalars(statement)]


def set_quiz(app, quiz_id, **fields):
    with app.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        for name, value in fields.items():
            setattr(quiz, name, value)
        db.session.commit()


@pytest.fixture
def course_id(make_course):
    return make_course(lessons=("竖屏构图", "合规用语"), quiz_on=(0,))


@pytest.fixture
def ids(app, course_id):
    return quiz_ids(app, course_id)


@pytest.fixture
def learner(client_as, streamer):
    return in_english(client_as(streamer))


@pytest.fixture
def staff(client_as, trainer):
    return in_english(client_as(trainer))


# Taking and scoring ---------------------------------------------------------------------------


def test_streamer_sees_the_answer_sheet_with_radios_and_checkboxes(learner, ids):
    page = learner.get(f"/courses/lessons/{ids.lesson_id}/quiz").text
    assert 'type="radio"' in page
    assert 'type="checkbox"' in page
    assert "短视频用哪种画幅？" in page
    assert "pass mark 60%" in page


def test_streamer_answers_everything_right_scores_100_and_sees_feedback(app, learner, ids):
    response = take(learner, ids, all_right(ids))
    assert response.status_code == 302
    page = learner.get(response.headers["Location"]).text
    assert "100%" in page
    assert "Passed" in page
    assert "手机竖屏观看。" in page  # the explanation
    assert page.count("✓ Correct") == 2
    assert attempts(app) == [(100, True)]


def test_multiple_choice_counts_only_the_exact_set(app, learner, ids):
    set_quiz(app, ids.quiz_id, answer_reveal=AnswerReveal.ALWAYS)
    first = ids.right[ids.multiple][:1]  # 最 without 第一
    response = take(learner, ids, answers(ids, ids.right[ids.single], first))
    page = learner.get(response.headers["Location"]).text
    assert attempts(app) == [(50, False)]
    assert "Not passed" in page
    assert "✗ Incorrect" in page
    assert "最；第一" in page  # the correct answer is shown in full

    extra = ids.right[ids.multiple] + ids.wrong[ids.multiple]
    take(learner, ids, answers(ids, ids.right[ids.single], extra))
    assert attempts(app)[-1] == (50, False)


def all_wrong(ids):
    return answers(ids, ids.wrong[ids.single], ids.wrong[ids.multiple])


def result_page(browser, ids, data):
    return browser.get(take(browser, ids, data).headers["Location"]).text


ANSWER_TEXTS = ("竖屏 9:16", "最；第一", "手机竖屏观看。")  # correct answers and the explanation


def test_failed_attempt_shows_what_was_wrong_but_not_the_answers(app, learner, ids):
    failed = result_page(learner, ids, all_wrong(ids))
    assert failed.count("✗ Incorrect") == 2
    assert "横屏 16:9" in failed  # the learner's own answer
    assert "shown once you pass the quiz or have used your last attempt" in failed
    assert "Correct answer" not in failed
    for text in ANSWER_TEXTS:
        assert text not in failed

    passed = result_page(learner, ids, all_right(ids))
    assert "手机竖屏观看。" in passed
    with app.app_context():
        first_id = db.session.scalars(select(QuizAttempt.id).order_by(QuizAttempt.id)).first()
    earlier = learner.get(f"/courses/quizzes/attempts/{first_id}").text
    for text in ANSWER_TEXTS:
        assert text in earlier  # once passed, the failed attempt shows the answers too


def test_last_allowed_attempt_reveals_the_answers(app, learner, ids):
    set_quiz(app, ids.quiz_id, max_attempts=2)
    assert "竖屏 9:16" not in result_page(learner, ids, all_wrong(ids))
    last = result_page(learner, ids, all_wrong(ids))
    assert "Take it again" not in last
    for text in ANSWER_TEXTS:
        assert text in last


def test_quiz_that_never_reveals_keeps_answers_after_the_last_attempt(app, learner, ids):
    set_quiz(app, ids.quiz_id, max_attempts=1, answer_reveal=AnswerReveal.NEVER)
    page = result_page(learner, ids, all_wrong(ids))
    assert "does not show its correct answers" in page
    for text in ANSWER_TEXTS:
        assert text not in page


def test_trainer_sets_when_answers_are_shown_and_learner_sees_them_at_once(
    app, staff, learner, ids
):
    form = staff.get(f"/courses/manage/lessons/{ids.lesson_id}/quiz").text
    assert "Show the correct answers" in form
    assert re.search(r'<option selected value="after_pass"|value="after_pass" selected', form)
    url = f"/courses/manage/lessons/{ids.lesson_id}/quiz"
    settings = {"pass_percent": "60", "max_attempts": "3"}
    bad = staff.post(url, data=settings | {"answer_reveal": "x"})
    assert bad.status_code == 200
    assert field_errors(bad.text, "answer_reveal")
    staff.post(url, data=settings | {"answer_reveal": "always"})
    with app.app_context():
        assert db.session.get(Quiz, ids.quiz_id).answer_reveal == AnswerReveal.ALWAYS
    page = result_page(learner, ids, all_wrong(ids))
    for text in ANSWER_TEXTS:
        assert text in page


def test_pass_mark_edge_score_equal_to_mark_passes(app, learner, ids):
    half = answers(ids, ids.right[ids.single], ids.wrong[ids.multiple])
    set_quiz(app, ids.quiz_id, pass_percent=50, max_attempts=0)
    take(learner, ids, half)
    set_quiz(app, ids.quiz_id, pass_percent=51)
    take(learner, ids, half)
    assert attempts(app) == [(50, True), (50, False)]


def test_true_false_question_scores_and_shows_the_statement(app, learner, staff, ids):
    response = staff.post(
        f"/courses/manage/quizzes/{ids.quiz_id}/questions/new",
        data={"kind": "true_false", "prompt": "“全网最低价”可以说。", "statement_is_true": "false",
              "explanation": "绝对化用语违规。"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        question = db.session.scalars(
            select(QuizQuestion).where(QuizQuestion.kind == QuestionKind.TRUE_FALSE)
        ).one()
        choices = {c.text: (c.id, c.is_correct) for c in question.choices}
    assert set(choices) == {"True", "False"}
    assert choices["False"][1]
    assert not choices["True"][1]

    wrong = all_right(ids) | {f"q{question.id}": [choices["True"][0]]}
    page = learner.get(take(learner, ids, wrong).headers["Location"]).text
    assert attempts(app) == [(66, True)]  # 2 of 3, rounded down
    assert "绝对化用语违规。" in page
    right = all_right(ids) | {f"q{question.id}": [choices["False"][0]]}
    take(learner, ids, right)
    assert attempts(app)[-1] == (100, True)


def test_streamer_leaving_a_question_out_is_asked_to_answer_it(app, learner, ids):
    data = {"quiz_id": str(ids.quiz_id), f"q{ids.single}": ids.right[ids.single]}
    response = take(learner, ids, data)
    assert response.status_code == 200
    assert "Answer this question." in response.text
    assert attempts(app) == []


def test_best_score_is_kept_after_a_worse_attempt(app, learner, streamer, ids):
    take(learner, ids, all_right(ids))
    take(learner, ids, answers(ids, ids.wrong[ids.single], ids.wrong[ids.multiple]))
    assert attempts(app) == [(100, True), (0, False)]
    with app.app_context():
        lesson = db.session.get(Quiz, ids.quiz_id).lesson
        panel = services.quiz_panel(lesson, db.session.get(User, streamer.id))
    assert (panel.best_score, panel.passed, panel.attempts_used, panel.attempts_left) == (
        100, True, 2, 1,
    )  # fmt: skip
    page = learner.get(f"/courses/quizzes/attempts/{panel.last_attempt_id}").text
    assert "Best score: 100%" in page
    assert "attempts left: 1" in page


def test_lesson_without_quiz_has_no_panel_and_no_quiz_page(app, learner, course_id, streamer):
    with app.app_context():
        course = db.session.get(Course, course_id)
        second = course.modules[0].lessons[1]
        assert services.quiz_panel(second, db.session.get(User, streamer.id)) is None
        second_id = second.id
    assert learner.get(f"/courses/lessons/{second_id}/quiz").status_code == 404


# Attempts limit --------------------------------------------------------------------------------


def test_streamer_past_the_attempts_limit_is_refused_and_nothing_is_stored(app, learner, ids):
    wrong = answers(ids, ids.wrong[ids.single], ids.wrong[ids.multiple])
    for _ in range(3):
        assert take(learner, ids, wrong).status_code == 302
    response = take(learner, ids, all_right(ids))
    assert response.status_code == 200
    assert "You have used all the attempts allowed for this quiz." in flashes(response.text)
    assert len(attempts(app)) == 3
    page = learner.get(f"/courses/lessons/{ids.lesson_id}/quiz").text
    assert 'id="quiz-sheet"' not in page
    assert "Your last result" in page


def test_unlimited_attempts_keep_going_after_a_pass(app, learner, ids):
    set_quiz(app, ids.quiz_id, max_attempts=0)
    for _ in range(5):
        assert take(learner, ids, all_right(ids)).status_code == 302
    assert len(attempts(app)) == 5


def test_two_submissions_at_once_cannot_both_pass_the_limit(app, streamer, ids):
    set_quiz(app, ids.quiz_id, max_attempts=2)
    data = {str(q): c for q, c in ids.right.items()}
    with app.app_context():
        lesson = db.session.get(Quiz, ids.quiz_id).lesson
        services.submit_attempt(lesson, db.session.get(User, streamer.id), ids.quiz_id, data)

    barrier, outcomes = threading.Barrier(3), []

    def submit():
        with app.app_context():
            lesson = db.session.get(Quiz, ids.quiz_id).lesson
            user = db.session.get(User, streamer.id)
            barrier.wait()
            try:
                services.submit_attempt(lesson, user, ids.quiz_id, data)
                outcomes.append("kept")
            except ServiceError:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["kept", "refused", "refused"]
    assert len(attempts(app)) == 2


# Tampering -------------------------------------------------------------------------------------


def test_choice_ids_of_another_quiz_are_refused_in_place(app, learner, make_course, ids):
    other = quiz_ids(app, make_course(title="另一门课", quiz_on=(0,)))
    data = answers(ids, other.right[other.single], ids.right[ids.multiple])
    response = take(learner, ids, data)
    assert response.status_code == 200
    assert "That answer is not one of this question&#39;s choices." in response.text
    assert attempts(app) == []


def test_service_refuses_another_quizs_choices_and_questions(app, streamer, make_course, ids):
    other = quiz_ids(app, make_course(title="另一门课", quiz_on=(0,)))
    with app.app_context():
        lesson = db.session.get(Quiz, ids.quiz_id).lesson
        user = db.session.get(User, streamer.id)
        foreign_choice = {str(ids.single): other.right[other.single]}
        foreign_question = {str(other.single): other.right[other.single]}
        for tampered in (foreign_choice, foreign_question):
            with pytest.raises(ServiceError):
                services.submit_attempt(lesson, user, ids.quiz_id, tampered)
    assert attempts(app) == []


def test_another_lessons_quiz_id_is_refused(app, learner, make_course, ids):
    other = quiz_ids(app, make_course(title="另一门课", quiz_on=(0,)))
    response = take(learner, ids, all_right(ids) | {"quiz_id": str(other.quiz_id)})
    assert response.status_code == 200
    assert any("This quiz has changed" in m for m in flashes(response.text))
    assert attempts(app) == []


def test_streamer_reading_another_learners_attempt_gets_404(
    app, client_as, learner, make_user, ids
):
    take(learner, ids, all_right(ids))
    with app.app_context():
        attempt_id = db.session.scalar(select(QuizAttempt.id))
    other = client_as(make_user("streamer"))
    assert other.get(f"/courses/quizzes/attempts/{attempt_id}").status_code == 404
    assert other.get("/courses/quizzes/attempts/999999").status_code == 404


# Access ----------------------------------------------------------------------------------------


def test_learner_on_a_draft_course_gets_404_and_staff_preview_stores_nothing(
    app, make_course, client_as, streamer, staff
):
    ids = quiz_ids(app, make_course(title="草稿课", published=False, quiz_on=(0,)))
    learner = client_as(streamer)
    assert learner.get(f"/courses/lessons/{ids.lesson_id}/quiz").status_code == 404
    assert take(learner, ids, all_right(ids)).status_code == 404

    assert "Preview of a draft course" in staff.get(f"/courses/lessons/{ids.lesson_id}/quiz").text
    response = take(staff, ids, all_right(ids))
    assert response.status_code == 200
    assert "this attempt was not kept" in response.text
    assert "100%" in response.text
    assert attempts(app) == []


def test_anonymous_is_sent_to_login_and_missing_ids_answer_404(client, learner, staff, ids):
    response = client.get(f"/courses/lessons/{ids.lesson_id}/quiz")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert learner.get("/courses/lessons/999999/quiz").status_code == 404
    assert staff.get("/courses/manage/lessons/999999/quiz").status_code == 404
    assert staff.get("/courses/manage/quizzes/questions/999999").status_code == 404


def test_streamer_on_authoring_pages_gets_403(client_as, streamer, ids):
    browser = client_as(streamer)
    question_id = ids.single
    for url in (
        f"/courses/manage/lessons/{ids.lesson_id}/quiz",
        f"/courses/manage/quizzes/{ids.quiz_id}/questions/new",
        f"/courses/manage/quizzes/questions/{question_id}",
        f"/courses/manage/quizzes/{ids.quiz_id}/delete",
    ):
        assert browser.get(url).status_code == 403, url
    assert (
        browser.post(f"/courses/manage/quizzes/questions/{question_id}/delete").status_code == 403
    )
    move = browser.post(
        f"/courses/manage/quizzes/questions/{question_id}/move", data={"direction": "up"}
    )
    assert move.status_code == 403


# Authoring -------------------------------------------------------------------------------------


def new_question(browser, quiz_id, kind="single", prompt="补光灯放在哪里？", rows=(), **extra):
    data = {"kind": kind, "prompt": prompt, "explanation": "侧前方 45 度。", **extra}
    for index, (text, correct) in enumerate(rows):
        data[f"choices-{index}-text"] = text
        if correct:
            data[f"choices-{index}-is_correct"] = "y"
    return browser.post(f"/courses/manage/quizzes/{quiz_id}/questions/new", data=data)


@pytest.mark.parametrize(
    ("kind", "prompt", "rows", "field_id", "message"),
    [
        ("single", "", [("A", True), ("B", False)], "prompt", "Write the question."),
        ("single", "Q", [("A", True)], None, "Give at least two choices."),
        ("single", "Q", [("A", True), ("B", True)], None, "Mark exactly one choice as correct."),
        (
            "multiple",
            "Q",
            [("A", False), ("B", False)],
            None,
            "Mark at least one choice as correct.",
        ),
        (
            "multiple",
            "Q",
            [("A", True), ("", True)],
            None,
            "A choice marked correct needs its text.",
        ),
        ("true_false", "Q", [], None, "Say whether the statement is true or false."),
    ],
)
def test_trainer_invalid_question_shows_the_error_in_place(
    app, staff, ids, kind, prompt, rows, field_id, message
):
    response = new_question(staff, ids.quiz_id, kind, prompt, rows)
    assert response.status_code == 200
    if field_id:
        assert field_errors(response.text, field_id) == [message]
    else:
        assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizQuestion.id))) == 2


def test_trainer_adds_a_quiz_with_questions_then_edits_reorders_and_removes(
    app, staff, make_course
):
    course_id = make_course(title="新课", lessons=("收音",))
    with app.app_context():
        lesson_id = db.session.get(Course, course_id).modules[0].lessons[0].id
    page = staff.get(f"/courses/manage/lessons/{lesson_id}/quiz").text
    assert "Add a quiz to this lesson" in page
    bad = staff.post(f"/courses/manage/lessons/{lesson_id}/quiz",
                     data={"pass_percent": "120", "max_attempts": "3"})  # fmt: skip
    assert bad.status_code == 200
    assert field_errors(bad.text, "pass_percent")
    staff.post(
        f"/courses/manage/lessons/{lesson_id}/quiz",
        data={"pass_percent": "80", "max_attempts": "0"},
    )
    with app.app_context():
        quiz = db.session.scalars(select(Quiz).where(Quiz.lesson_id == lesson_id)).one()
        quiz_id = (quiz.id, quiz.pass_percent, quiz.max_attempts)[0]
        assert (quiz.pass_percent, quiz.max_attempts) == (80, 0)

    rows = [("领夹麦", True), ("手机自带麦", False), ("", False)]
    assert new_question(staff, quiz_id, "single", "哪种麦克风收音更清楚？", rows).status_code == 302
    rows = [("关空调", True), ("关窗", True), ("开音乐", False)]
    assert new_question(staff, quiz_id, "multiple", "开播前怎样减少噪音？", rows).status_code == 302
    with app.app_context():
        first, second = db.session.get(Quiz, quiz_id).questions
        first_id, second_id, choice_ids = first.id, second.id, [c.id for c in first.choices]
        assert [c.text for c in first.choices] == ["领夹麦", "手机自带麦"]

    # Edit: the form shows the choices; renaming keeps the choice ids, a new row is added.
    page = staff.get(f"/courses/manage/quizzes/questions/{first_id}").text
    assert 'value="领夹麦"' in page
    data = {"kind": "single", "prompt": "哪种麦克风最合适？", "explanation": "",
            "choices-0-choice_id": str(choice_ids[0]), "choices-0-text": "无线领夹麦",
            "choices-0-is_correct": "y",
            "choices-1-choice_id": str(choice_ids[1]), "choices-1-text": "手机自带麦",
            "choices-2-text": "电脑麦克风"}  # fmt: skip
    assert staff.post(f"/courses/manage/quizzes/questions/{first_id}", data=data).status_code == 302
    with app.app_context():
        question = db.session.get(QuizQuestion, first_id)
        assert [(c.id, c.text) for c in question.choices][:2] == [
            (choice_ids[0], "无线领夹麦"), (choice_ids[1], "手机自带麦"),
        ]  # fmt: skip
        assert len(question.choices) == 3

    staff.post(f"/courses/manage/quizzes/questions/{second_id}/move", data={"direction": "up"})
    with app.app_context():
        assert [q.id for q in db.session.get(Quiz, quiz_id).questions] == [second_id, first_id]

    staff.post(f"/courses/manage/quizzes/questions/{first_id}/delete")
    with app.app_context():
        assert [q.id for q in db.session.get(Quiz, quiz_id).questions] == [second_id]

    assert "cannot be undone" in staff.get(f"/courses/manage/quizzes/{quiz_id}/delete").text
    assert staff.post(f"/courses/manage/quizzes/{quiz_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Quiz, quiz_id) is None
        assert db.session.scalar(select(func.count(QuizChoice.id))) == 0


def test_authoring_sends_course_changed(app, staff, ids, course_id):
    from courses.signals import course_changed

    seen = []

    def listener(sender, course_id):
        seen.append(course_id)

    course_changed.connect(listener)
    try:
        new_question(staff, ids.quiz_id, rows=[("A", True), ("B", False)])
    finally:
        course_changed.disconnect(listener)
    assert seen == [course_id]


# Completion ------------------------------------------------------------------------------------


def test_streamer_passing_the_last_quiz_enrols_completes_and_gets_a_certificate(
    app, make_course, learner, streamer
):
    course_id = make_course(title="合规课", lessons=("合规用语",), quiz_on=(0,))
    ids = quiz_ids(app, course_id)
    with app.app_context():
        db.session.add(
            LessonProgress(user_id=streamer.id, lesson_id=ids.lesson_id, completed_at=utcnow())
        )
        db.session.commit()
    take(learner, ids, answers(ids, ids.wrong[ids.single], ids.wrong[ids.multiple]))
    with app.app_context():
        enrolment = db.session.scalars(select(Enrolment)).one()
        assert enrolment.completed_at is None
    take(learner, ids, all_right(ids))
    with app.app_context():
        assert db.session.scalars(select(Enrolment)).one().completed_at is not None
        certificate = db.session.scalars(select(Certificate)).one()
        assert certificate.user_id == streamer.id


def test_lesson_page_shows_the_quiz_panel_and_an_empty_quiz_says_so(app, learner, ids, staff):
    page = learner.get(f"/courses/lessons/{ids.lesson_id}").text
    assert 'id="quiz-panel"' in page
    assert f'href="/courses/lessons/{ids.lesson_id}/quiz"' in page
    for question_id in (ids.single, ids.multiple):
        staff.post(f"/courses/manage/quizzes/questions/{question_id}/delete")
    page = learner.get(f"/courses/lessons/{ids.lesson_id}").text
    assert "This quiz has no questions yet." in page
    assert f'href="/courses/lessons/{ids.lesson_id}/quiz"' not in page
