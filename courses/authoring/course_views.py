"""Authoring pages for courses and their outline: list, create, edit, delete, publish, cover,
modules and lesson order."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from courses import covers
from courses.authoring import services
from courses.authoring.blueprint import bp, uploaded, url_if_exists
from courses.authoring.forms import CourseForm, MoveForm, PreviewForm, TitleForm
from courses.markdown import render_markdown
from courses.models import DEFAULT_WATCH_PERCENT, Course
from portal.auth.access import acting_user, staff_required
from portal.forms import ConfirmForm, form_action
from portal.web import render_page_or_partial, send_private_file, wants_partial


def _course_data(form: CourseForm) -> services.CourseData:
    watch = form.watch_percent.data
    return services.CourseData(
        form.title.data,
        form.description.data or "",
        form.level.data,
        DEFAULT_WATCH_PERCENT if watch is None else watch,
    )


@bp.get("/")
@staff_required
def index() -> ResponseReturnValue:
    """Every course, drafts and published, with lesson counts."""
    return render_template("authoring/index.html", rows=services.list_courses())


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new() -> ResponseReturnValue:
    """Create a draft course."""
    form = CourseForm()
    if form.validate_on_submit():
        with form_action(form):
            created = services.create_course(
                acting_user(), _course_data(form), uploaded(form.cover)
            )
            flash(_("Course created. Now add modules and lessons."), "success")
            return redirect(url_for(".course", course_id=created.id))
    return render_template(
        "authoring/course_form.html",
        form=form,
        course=None,
        preview_html=render_markdown(form.description.data),
    )


@bp.route("/<int:course_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(course_id: int) -> ResponseReturnValue:
    """Edit a course's title, description, level and cover."""
    course = services.get_course_or_404(course_id)
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        with form_action(form):
            services.update_course(
                course,
                acting_user(),
                _course_data(form),
                uploaded(form.cover),
                remove_cover=bool(form.remove_cover.data),
            )
            flash(_("Course saved."), "success")
            return redirect(url_for(".course", course_id=course.id))
    return render_template(
        "authoring/course_form.html",
        form=form,
        course=course,
        preview_html=render_markdown(form.description.data),
    )


@bp.post("/preview")
@staff_required
def preview() -> ResponseReturnValue:
    """Render Markdown being typed (a course description or lesson notes) as learners see it."""
    form = PreviewForm()
    text = form.notes_md.data if form.notes_md.raw_data else form.description.data
    return render_template("authoring/_preview.html", preview_html=render_markdown(text or ""))


def _outline(course: Course, **forms: Any) -> dict[str, Any]:
    """The values the course page and its outline partial show."""
    return {
        "course": course,
        "modules": course.modules,
        "lesson_count": services.lesson_count(course),
        "description_html": render_markdown(course.description),
        "add_module_form": forms.get("add_module_form") or TitleForm(formdata=None),
        "blank_title_form": TitleForm(formdata=None),
        "lesson_forms": forms.get("lesson_forms", {}),
        "rename_forms": forms.get("rename_forms", {}),
        "action_form": ConfirmForm(formdata=None),
        "learner_url": url_if_exists("courses.course", course_id=course.id),
        "learners_url": url_if_exists("courses_certificates.learners", course_id=course.id),
        "gradebook_url": url_if_exists("courses_certificates.gradebook", course_id=course.id),
        "show_flashes": wants_partial(),
    }


def _outline_page(course: Course, **forms: Any) -> ResponseReturnValue:
    return render_page_or_partial(
        "authoring/course.html", "authoring/_outline.html", **_outline(course, **forms)
    )


def _outline_changed(course: Course, anchor: str | None = None) -> ResponseReturnValue:
    """After a change: htmx gets the fresh outline, a plain form post a redirect."""
    if wants_partial():
        return _outline_page(course)
    return redirect(url_for(".course", course_id=course.id, _anchor=anchor))


@bp.get("/<int:course_id>")
@staff_required
def course(course_id: int) -> ResponseReturnValue:
    """The course: its details, publishing, and the outline of modules and lessons."""
    return _outline_page(services.get_course_or_404(course_id))


@bp.post("/<int:course_id>/publish")
@staff_required
def publish(course_id: int) -> ResponseReturnValue:
    """Show the course to learners."""
    course = services.get_course_or_404(course_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            services.publish_course(course, acting_user())
            flash(_("The course is published: learners can see it."), "success")
    return redirect(url_for(".course", course_id=course.id))


@bp.post("/<int:course_id>/unpublish")
@staff_required
def unpublish(course_id: int) -> ResponseReturnValue:
    """Hide the course from learners (back to draft)."""
    course = services.get_course_or_404(course_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            services.unpublish_course(course, acting_user())
            flash(_("The course is a draft again: learners no longer see it."), "success")
    return redirect(url_for(".course", course_id=course.id))


@bp.route("/<int:course_id>/delete", methods=["GET", "POST"])
@staff_required
def delete(course_id: int) -> ResponseReturnValue:
    """Ask, then delete a course with its modules, lessons and files."""
    course = services.get_course_or_404(course_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            services.delete_course(course, acting_user())
            flash(_("Course deleted."), "success")
            return redirect(url_for(".index"))
    return render_template(
        "authoring/delete.html",
        course=course,
        form=form,
        lesson_count=services.lesson_count(course),
    )


@bp.get("/<int:course_id>/cover")
@login_required
def cover(course_id: int) -> ResponseReturnValue:
    """Serve a course's cover: to anyone signed in once published, to staff always."""
    course = services.get_course_or_404(course_id)
    if not course.cover_name or not (course.is_published or current_user.is_staff):
        abort(404)
    return send_private_file(
        covers.cover_path(course.cover_name), mimetype="image/jpeg", max_age=3600
    )


@bp.post("/<int:course_id>/modules")
@staff_required
def add_module(course_id: int) -> ResponseReturnValue:
    """Add a module at the end of the course."""
    course = services.get_course_or_404(course_id)
    form = TitleForm()
    if form.validate_on_submit():
        with form_action(form):
            added = services.add_module(course, acting_user(), form.title.data)
            return _outline_changed(course, f"module-{added.id}")
    return _outline_page(course, add_module_form=form)


@bp.post("/modules/<int:module_id>/rename")
@staff_required
def rename_module(module_id: int) -> ResponseReturnValue:
    """Give a module a new title."""
    module = services.get_module_or_404(module_id)
    form = TitleForm()
    if form.validate_on_submit():
        with form_action(form):
            services.rename_module(module, acting_user(), form.title.data)
            return _outline_changed(module.course, f"module-{module.id}")
    return _outline_page(module.course, rename_forms={module.id: form})


@bp.post("/modules/<int:module_id>/delete")
@staff_required
def delete_module(module_id: int) -> ResponseReturnValue:
    """Delete a module with its lessons."""
    module = services.get_module_or_404(module_id)
    course = module.course
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            services.delete_module(module, acting_user())
    return _outline_changed(course, "outline")


@bp.post("/modules/<int:module_id>/move")
@staff_required
def move_module(module_id: int) -> ResponseReturnValue:
    """Move a module one place up or down."""
    module = services.get_module_or_404(module_id)
    form = MoveForm()
    if form.validate_on_submit():
        with form_action(form):
            services.move_module(module, acting_user(), form.direction.data)
    return _outline_changed(module.course, f"module-{module.id}")


@bp.post("/modules/<int:module_id>/lessons")
@staff_required
def add_lesson(module_id: int) -> ResponseReturnValue:
    """Add a lesson at the end of a module."""
    module = services.get_module_or_404(module_id)
    form = TitleForm()
    if form.validate_on_submit():
        with form_action(form):
            added = services.add_lesson(module, acting_user(), form.title.data)
            return _outline_changed(module.course, f"lesson-{added.id}")
    return _outline_page(module.course, lesson_forms={module.id: form})


@bp.post("/lessons/<int:lesson_id>/move")
@staff_required
def move_lesson(lesson_id: int) -> ResponseReturnValue:
    """Move a lesson one place up or down inside its module."""
    lesson = services.get_lesson_or_404(lesson_id)
    form = MoveForm()
    if form.validate_on_submit():
        with form_action(form):
            services.move_lesson(lesson, acting_user(), form.direction.data)
    return _outline_changed(lesson.module.course, f"lesson-{lesson.id}")
