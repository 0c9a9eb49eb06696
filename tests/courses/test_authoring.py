"""Course authoring over HTTP: courses, outline order, lessons, publishing, access."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from courses.models import Course, CourseModule, CourseStatus, Enrolment, Lesson
from courses.signals import course_changed
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from tests.portal.helpers import field_errors
from tests.support.invisible import invisible_in, sprinkled_all

HTMX = {"HX-Request": "true"}


@pytest.fixture
def app_config():
    return {"BABEL_DEFAULT_LOCALE": "en"}


@pytest.fixture
def changes():
    """The course ids ``course_changed`` was sent with during the test."""
    seen: list[int] = []

    def receiver(sender, course_id):
        seen.append(course_id)

    with course_changed.connected_to(receiver):
        yield seen


@pytest.fixture
def staff(client_as, trainer):
    return client_as(trainer)


def load_course(app, course_id):
    with app.app_context():
        course = db.session.get(Course, course_id)
        if course is None:
            return None
        outline = [(m.title, [lesson.title for lesson in m.lessons]) for m in course.modules]
        db.session.expunge(course)
        course.outline = outline
        return course


def audit_actions(app):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def lesson_ids(app, course_id):
    with app.app_context():
        course = db.session.get(Course, course_id)
        return [lesson.id for module in course.modules for lesson in module.lessons]


def module_ids(app, course_id):
    with app.app_context():
        return [m.id for m in db.session.get(Course, course_id).modules]


def create_course(staff, title="直播短视频制作入门", **fields):
    data = {"title": title, "description": "Learn **lighting**.", "level": "beginner", **fields}
    response = staff.post("/courses/manage/new", data=data)
    assert response.status_code == 302, response.text
    return int(re.fullmatch(r"/courses/manage/(\d+)", response.location).group(1))


# Listing and creating


def test_trainer_sees_drafts_and_published_courses_with_lesson_counts(staff, make_course):
    make_course("翡翠讲解", lessons=("一", "二", "三"))
    make_course("剪辑入门", lessons=("一",), published=False)
    page = staff.get("/courses/manage/")
    assert page.status_code == 200
    rows = re.findall(r'<tr id="course-\d+">(.*?)</tr>', page.text, re.S)
    assert len(rows) == 2
    newest, oldest = rows
    assert "剪辑入门" in newest
    assert ">1<" in newest
    assert "Draft" in newest
    assert "翡翠讲解" in oldest
    assert ">3<" in oldest
    assert "Published" in oldest


def test_trainer_creates_draft_course_audited_and_announced(app, staff, trainer, changes):
    course_id = create_course(staff, "Short video basics", level="intermediate")
    course = load_course(app, course_id)
    assert (course.title, course.level, course.status) == (
        "Short video basics",
        "intermediate",
        CourseStatus.DRAFT,
    )
    assert course.description == "Learn **lighting**."
    assert course.created_by_id == trainer.id
    assert course.cover_name == ""
    assert "course.created" in audit_actions(app)
    assert changes == [course_id]
    page = staff.get(f"/courses/manage/{course_id}")
    assert "Course created. Now add modules and lessons." in page.text
    assert "<strong>lighting</strong>" in page.text
    assert "Intermediate" in page.text


def test_trainer_texts_typed_with_invisible_characters_are_stored_without_them(app, staff):
    course_id = create_course(
        staff, sprinkled_all("直播入门"), description=sprinkled_all("第一段\n\n第二段")
    )
    staff.post(f"/courses/manage/{course_id}/modules", data={"title": sprinkled_all("布光")})
    (module_id,) = module_ids(app, course_id)
    staff.post(f"/courses/manage/modules/{module_id}/lessons", data={"title": "灯光"})
    (lesson_id,) = lesson_ids(app, course_id)
    saved = staff.post(
        f"/courses/manage/lessons/{lesson_id}",
        data={"title": sprinkled_all("三点布光"), "notes_md": sprinkled_all("- 主光\n- 辅光"),
              "practice_prompt": sprinkled_all("拍一段")},
    )  # fmt: skip

    assert saved.status_code == 302
    course = load_course(app, course_id)
    assert (course.title, course.description, course.outline) == (
        "直播入门", "第一段\n\n第二段", [("布光", ["三点布光"])]
    )  # fmt: skip
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        assert (lesson.notes_md, lesson.practice_prompt) == ("- 主光\n- 辅光", "拍一段")
    for url in (f"/courses/manage/{course_id}", f"/courses/manage/lessons/{lesson_id}"):
        assert invisible_in(staff.get(url).text) == [], url


def test_trainer_create_without_title_or_with_bad_level_shows_errors_in_place(app, staff):
    response = staff.post(
        "/courses/manage/new", data={"title": "", "description": "x", "level": "expert"}
    )
    assert response.status_code == 200
    assert 'id="course-form"' in response.text
    assert response.text.count('class="error" role="alert"') == 2
    assert "This field is required." in response.text
    assert "Not a valid choice." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Course.id))) == 0


def test_trainer_edits_course_details(app, staff, make_course, changes):
    course_id = make_course("Old title", published=False)
    form = staff.get(f"/courses/manage/{course_id}/edit")
    assert 'value="Old title"' in form.text
    response = staff.post(
        f"/courses/manage/{course_id}/edit",
        data={"title": "New title", "description": "## Plan", "level": "advanced"},
    )
    assert response.status_code == 302
    course = load_course(app, course_id)
    assert (course.title, course.description, course.level) == ("New title", "## Plan", "advanced")
    assert "course.updated" in audit_actions(app)
    assert changes == [course_id]
    invalid = staff.post(
        f"/courses/manage/{course_id}/edit", data={"title": " ", "level": "advanced"}
    )
    assert invalid.status_code == 200
    assert "This field is required." in invalid.text
    assert load_course(app, course_id).title == "New title"


def test_trainer_sets_the_share_of_video_to_watch_and_a_bad_share_shows_in_place(
    app, staff, make_course
):
    course_id = make_course("布光", published=False)
    assert load_course(app, course_id).watch_percent == 90  # the default
    url = f"/courses/manage/{course_id}/edit"
    assert 'name="watch_percent"' in staff.get(url).text
    data = {"title": "布光", "level": "beginner"}
    invalid = staff.post(url, data=data | {"watch_percent": "120"})
    assert invalid.status_code == 200
    assert field_errors(invalid.text, "watch_percent")
    assert staff.post(url, data=data | {"watch_percent": "75"}).status_code == 302
    assert load_course(app, course_id).watch_percent == 75
    assert staff.post(url, data=data | {"watch_percent": ""}).status_code == 302
    assert load_course(app, course_id).watch_percent == 90


def test_preview_renders_sanitised_markdown(staff):
    response = staff.post(
        "/courses/manage/preview",
        data={"notes_md": "**Light** <script>alert(1)</script> [x](javascript:alert(1))"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert '<div id="markdown-preview"' in response.text
    assert "<strong>Light</strong>" in response.text
    assert "<script>" not in response.text
    assert 'href="javascript' not in response.text


# The outline: modules, lessons, order


def test_trainer_builds_outline_without_javascript(app, staff, changes):
    course_id = create_course(staff)
    for title in ("拍摄与布光", "收音"):
        added = staff.post(f"/courses/manage/{course_id}/modules", data={"title": title})
        assert added.status_code == 302
        assert re.fullmatch(rf"/courses/manage/{course_id}#module-\d+", added.location)
    first, second = module_ids(app, course_id)
    for title in ("灯光三点法", "自然光"):
        staff.post(f"/courses/manage/modules/{first}/lessons", data={"title": title})
    staff.post(f"/courses/manage/modules/{second}/lessons", data={"title": "领夹麦"})

    assert load_course(app, course_id).outline == [
        ("拍摄与布光", ["灯光三点法", "自然光"]),
        ("收音", ["领夹麦"]),
    ]
    page = staff.get(f"/courses/manage/{course_id}").text
    assert "3 lessons" in page
    assert 'hx-target="#course-outline"' in page
    assert len(changes) == 6


def test_trainer_reorders_modules_and_lessons_with_up_down(app, staff, make_course, changes):
    course_id = make_course(lessons=("一", "二", "三"), published=False)
    staff.post(f"/courses/manage/{course_id}/modules", data={"title": "第二单元"})
    one, two, three = lesson_ids(app, course_id)
    first, second = module_ids(app, course_id)

    moved = staff.post(f"/courses/manage/lessons/{three}/move", data={"direction": "up"})
    assert moved.status_code == 302
    assert moved.location == f"/courses/manage/{course_id}#lesson-{three}"
    partial = staff.post(
        f"/courses/manage/modules/{second}/move", data={"direction": "up"}, headers=HTMX
    )
    assert partial.status_code == 200
    assert '<div id="course-outline"' in partial.text
    assert "<html" not in partial.text
    assert partial.text.index("第二单元") < partial.text.index("第一单元")
    # At the ends nothing moves; a bad direction changes nothing either.
    staff.post(f"/courses/manage/lessons/{one}/move", data={"direction": "up"})
    staff.post(f"/courses/manage/lessons/{two}/move", data={"direction": "sideways"})

    assert load_course(app, course_id).outline == [
        ("第二单元", []),
        ("第一单元", ["一", "三", "二"]),
    ]
    with app.app_context():
        positions = db.session.scalars(
            select(Lesson.position).where(Lesson.module_id == first).order_by(Lesson.position)
        ).all()
    assert positions == [0, 1, 2]
    assert changes.count(course_id) == 3  # the add and two real moves


def test_outline_form_errors_show_in_place_for_htmx(app, staff, make_course):
    course_id = make_course(published=False)
    (module_id,) = module_ids(app, course_id)
    empty_lesson = staff.post(
        f"/courses/manage/modules/{module_id}/lessons", data={"title": ""}, headers=HTMX
    )
    assert empty_lesson.status_code == 200
    assert "<html" not in empty_lesson.text
    assert "This field is required." in empty_lesson.text
    assert 'aria-invalid="true"' in empty_lesson.text
    renamed = staff.post(
        f"/courses/manage/modules/{module_id}/rename", data={"title": "x" * 201}, headers=HTMX
    )
    assert "Field cannot be longer than 200 characters." in renamed.text
    assert '<details class="module-settings" open>' in renamed.text
    ok = staff.post(
        f"/courses/manage/modules/{module_id}/rename", data={"title": "灯光"}, headers=HTMX
    )
    assert ok.status_code == 200
    assert "灯光" in ok.text
    assert load_course(app, course_id).outline[0][0] == "灯光"


def test_trainer_moves_lesson_to_another_module_of_the_same_course_only(app, staff, make_course):
    course_id = make_course(lessons=("一", "二"), published=False)
    other_course = make_course("Other", published=False)
    staff.post(f"/courses/manage/{course_id}/modules", data={"title": "第二单元"})
    one, two = lesson_ids(app, course_id)
    _, second = module_ids(app, course_id)
    (foreign_module,) = module_ids(app, other_course)

    refused = staff.post(
        f"/courses/manage/lessons/{one}/module", data={"module_id": foreign_module}
    )
    assert refused.status_code == 200
    assert "Not a valid choice." in refused.text
    moved = staff.post(f"/courses/manage/lessons/{one}/module", data={"module_id": second})
    assert moved.status_code == 302
    assert load_course(app, course_id).outline == [("第一单元", ["二"]), ("第二单元", ["一"])]
    with app.app_context():
        assert db.session.get(Lesson, two).position == 0


def test_trainer_deletes_module_with_its_lessons(app, staff, make_course):
    course_id = make_course(lessons=("一", "二"), published=False)
    staff.post(f"/courses/manage/{course_id}/modules", data={"title": "第二单元"})
    first, second = module_ids(app, course_id)
    response = staff.post(f"/courses/manage/modules/{first}/delete", headers=HTMX)
    assert response.status_code == 200
    assert "第一单元" not in response.text
    assert load_course(app, course_id).outline == [("第二单元", [])]
    with app.app_context():
        assert db.session.scalar(select(func.count(Lesson.id))) == 0
        assert db.session.get(CourseModule, second).position == 0
    assert "course.module_deleted" in audit_actions(app)


# Publishing


def test_publishing_needs_a_lesson_and_sets_published_at(app, staff, make_course, changes):
    course_id = create_course(staff)
    refused = staff.post(f"/courses/manage/{course_id}/publish", follow_redirects=True)
    assert "Add at least one lesson before publishing the course." in refused.text
    assert load_course(app, course_id).status == CourseStatus.DRAFT

    staff.post(f"/courses/manage/{course_id}/modules", data={"title": "一"})
    (module_id,) = module_ids(app, course_id)
    staff.post(f"/courses/manage/modules/{module_id}/lessons", data={"title": "灯光"})
    published = staff.post(f"/courses/manage/{course_id}/publish", follow_redirects=True)
    assert published.text.count("The course is published: learners can see it.") == 1
    course = load_course(app, course_id)
    assert course.status == CourseStatus.PUBLISHED
    assert course.published_at is not None
    assert ">Unpublish<" in published.text

    staff.post(f"/courses/manage/{course_id}/unpublish")
    assert load_course(app, course_id).status == CourseStatus.DRAFT
    actions = audit_actions(app)
    assert actions.index("course.published") < actions.index("course.unpublished")
    assert changes.count(course_id) >= 5


def test_published_course_keeps_its_last_lesson(app, staff, make_course):
    course_id = make_course(lessons=("唯一",))
    (lesson_id,) = lesson_ids(app, course_id)
    (module_id,) = module_ids(app, course_id)
    refused = staff.post(f"/courses/manage/lessons/{lesson_id}/delete", follow_redirects=True)
    assert "A published course needs at least one lesson. Unpublish it first." in refused.text
    in_place = staff.post(f"/courses/manage/modules/{module_id}/delete", headers=HTMX)
    assert in_place.status_code == 200
    assert "A published course needs at least one lesson." in in_place.text
    assert lesson_ids(app, course_id) == [lesson_id]
    staff.post(f"/courses/manage/{course_id}/unpublish")
    deleted = staff.post(f"/courses/manage/lessons/{lesson_id}/delete")
    assert deleted.location == f"/courses/manage/{course_id}"
    assert lesson_ids(app, course_id) == []


def test_trainer_deletes_course_after_confirming(app, staff, make_course, changes):
    course_id = make_course(published=False)
    confirm = staff.get(f"/courses/manage/{course_id}/delete")
    assert confirm.status_code == 200
    assert "Delete this course?" in confirm.text
    assert load_course(app, course_id) is not None
    response = staff.post(f"/courses/manage/{course_id}/delete", data={"submit": "1"})
    assert response.location == "/courses/manage/"
    assert load_course(app, course_id) is None
    assert "course.deleted" in audit_actions(app)
    assert changes == [course_id]


def test_course_with_learners_cannot_be_deleted(app, staff, make_course, streamer):
    course_id = make_course()
    with app.app_context():
        db.session.add(Enrolment(user_id=streamer.id, course_id=course_id))
        db.session.commit()
    response = staff.post(f"/courses/manage/{course_id}/delete", data={"submit": "1"})
    assert response.status_code == 200
    assert "Learners are enrolled in this course, so it cannot be deleted." in response.text
    assert load_course(app, course_id) is not None


# Lessons


def test_trainer_saves_lesson_notes_and_practice_prompt(app, staff, make_course, changes):
    course_id = make_course(published=False)
    lesson_id = lesson_ids(app, course_id)[0]
    page = staff.get(f"/courses/manage/lessons/{lesson_id}")
    assert page.status_code == 200
    assert 'id="lesson-form"' in page.text
    assert "<h2>拍摄与布光</h2>" in page.text  # the saved notes, rendered
    response = staff.post(
        f"/courses/manage/lessons/{lesson_id}",
        data={"title": "三点布光", "notes_md": "- 主光\n- 辅光", "practice_prompt": " 拍一段 "},
    )
    assert response.status_code == 302
    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        assert (lesson.title, lesson.notes_md, lesson.practice_prompt) == (
            "三点布光",
            "- 主光\n- 辅光",
            "拍一段",
        )
        assert lesson.has_practice
    assert changes == [course_id]
    shown = staff.get(f"/courses/manage/lessons/{lesson_id}").text
    assert "<li>主光</li>" in shown
    assert "Lesson saved." in shown


def test_lesson_preview_shows_unsaved_notes_and_errors_stay_in_place(app, staff, make_course):
    course_id = make_course(published=False)
    lesson_id = lesson_ids(app, course_id)[0]
    preview = staff.post(
        f"/courses/manage/lessons/{lesson_id}",
        data={"title": "T", "notes_md": "*draft*", "practice_prompt": "", "preview": "1"},
    )
    assert preview.status_code == 200
    assert "<em>draft</em>" in preview.text
    invalid = staff.post(
        f"/courses/manage/lessons/{lesson_id}",
        data={"title": "", "notes_md": "x", "practice_prompt": ""},
    )
    assert invalid.status_code == 200
    assert "This field is required." in invalid.text
    with app.app_context():
        assert db.session.get(Lesson, lesson_id).title == "拍摄与布光"


def test_lesson_page_links_quiz_editor_and_learner_preview_when_they_exist(app, staff, make_course):
    course_id = make_course(published=False)
    lesson_id = lesson_ids(app, course_id)[0]
    page = staff.get(f"/courses/manage/lessons/{lesson_id}").text
    if "courses_quizzes.edit" in app.view_functions:
        assert f'href="/courses/manage/lessons/{lesson_id}/quiz"' in page
    if "courses.lesson" in app.view_functions:
        assert f'href="/courses/lessons/{lesson_id}"' in page


# Access


def test_manage_link_shown_to_staff_only(client_as, trainer, admin, streamer):
    assert 'href="/courses/manage/"' in client_as(trainer).get("/").text
    assert 'href="/courses/manage/"' in client_as(admin).get("/").text
    assert 'href="/courses/manage/"' not in client_as(streamer).get("/").text


def _pages(course_id, module_id, lesson_id):
    return [
        ("get", "/courses/manage/"),
        ("get", "/courses/manage/new"),
        ("get", f"/courses/manage/{course_id}"),
        ("get", f"/courses/manage/{course_id}/edit"),
        ("get", f"/courses/manage/{course_id}/delete"),
        ("post", f"/courses/manage/{course_id}/publish"),
        ("post", f"/courses/manage/{course_id}/modules"),
        ("post", f"/courses/manage/modules/{module_id}/move"),
        ("post", f"/courses/manage/modules/{module_id}/delete"),
        ("get", f"/courses/manage/lessons/{lesson_id}"),
        ("post", f"/courses/manage/lessons/{lesson_id}/move"),
        ("post", f"/courses/manage/lessons/{lesson_id}/delete"),
        ("post", f"/courses/manage/lessons/{lesson_id}/attachments"),
        ("post", f"/courses/manage/lessons/{lesson_id}/tracks"),
        ("post", f"/courses/manage/lessons/{lesson_id}/video"),
    ]


@pytest.mark.parametrize("role", [Role.STREAMER, Role.MERCHANT])
def test_non_staff_get_403_on_every_authoring_page(
    app, client_as, make_user, merchant_org, make_course, role
):
    course_id = make_course()
    (module_id,) = module_ids(app, course_id)
    lesson_id = lesson_ids(app, course_id)[0]
    user = make_user(role, merchant_org if role == Role.MERCHANT else None)
    browser = client_as(user)
    for method, url in _pages(course_id, module_id, lesson_id):
        assert getattr(browser, method)(url).status_code == 403, url
    assert load_course(app, course_id).outline == [("第一单元", ["拍摄与布光", "竖屏构图"])]


def test_anonymous_is_sent_to_sign_in(app, client, make_course):
    course_id = make_course()
    (module_id,) = module_ids(app, course_id)
    lesson_id = lesson_ids(app, course_id)[0]
    for method, url in [
        *_pages(course_id, module_id, lesson_id),
        ("get", f"/courses/manage/{course_id}/cover"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/auth/login"), url


def test_missing_ids_answer_404(staff):
    for method, url in _pages(999, 999, 999)[2:]:
        assert getattr(staff, method)(url).status_code == 404, url
    assert staff.get("/courses/manage/attachments/999").status_code == 404
    assert staff.get("/courses/manage/lessons/999/captions/1").status_code == 404
