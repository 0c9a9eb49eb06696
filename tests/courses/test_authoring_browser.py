"""A trainer on a phone builds a course: create it, add modules and lessons, reorder them with
the up/down buttons (htmx swaps the outline in place), write lesson notes, and publish."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from courses.models import Course, CourseStatus
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.support.browser import PHONE
from tests.support.pages import click_menu_link

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


def _shoot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def _wait_until(page, expression: str, timeout_s: float = 10.0) -> None:
    """Poll ``expression`` in the page until true (wait_for_function evals, which CSP blocks)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _outline(page) -> list[list]:
    """The outline as shown: module titles with their lesson titles."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#course-outline li.module')].map(m => [
             m.querySelector('.module-head h3').lastChild.textContent.trim(),
             [...m.querySelectorAll('.outline-lesson-title > a')]
               .map(a => a.textContent.trim())])"""
    )


def _add(page, form, title: str) -> None:
    """Type a title into an outline form and send it; wait for htmx to swap the outline."""
    form.locator("input[name=title]").fill(title)
    with page.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button[type=submit]").click()
    _wait_until(page, "!document.querySelector('.htmx-request')")


def test_trainer_on_phone_builds_reorders_and_publishes_course(
    app, live_server, page, make_user, tmp_path
):
    trainer = make_user("trainer", name="李老师")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", trainer.email)
    page.fill("#password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server}/")

    click_menu_link(page, "/courses/manage/")
    page.click("main a[href='/courses/manage/new']")
    page.fill("#title", "直播短视频制作入门")
    page.fill("#description", "新主播的第一门课：**布光**、收音、竖屏构图。")
    _wait_until(page, "document.querySelector('#markdown-preview strong')?.textContent === '布光'")
    page.select_option("#level", "beginner")
    assert _no_sideways_scroll(page)
    _shoot(page, tmp_path, "authoring-new-course-phone")
    page.click("#course-form button[type=submit]")
    page.wait_for_url(f"{live_server}/courses/manage/*")
    assert page.inner_text("main h1") == "直播短视频制作入门"
    course_url = page.url

    outline = page.locator("#course-outline")
    _add(page, page.locator(".add-module form"), "收音")
    _add(page, page.locator(".add-module form"), "拍摄与布光")
    modules = outline.locator("li.module")
    assert modules.count() == 2
    _add(page, modules.nth(0).locator("form.inline-form").first, "领夹麦")
    _add(page, modules.nth(1).locator("form.inline-form").first, "自然光")
    _add(page, modules.nth(1).locator("form.inline-form").first, "三点布光")
    assert _outline(page) == [["收音", ["领夹麦"]], ["拍摄与布光", ["自然光", "三点布光"]]]

    # Up/down: move the second module up, then the last lesson up; htmx swaps in place.
    with page.expect_response(lambda r: "/move" in r.url):
        modules.nth(1).locator(".module-head button[value=up]").click()
    _wait_until(
        page,
        "document.querySelector('#course-outline li.module h3').textContent.includes('拍摄与布光')",
    )
    first_module = outline.locator("li.module").nth(0)
    with page.expect_response(lambda r: "/move" in r.url):
        first_module.locator(".outline-lesson").nth(1).locator("button[value=up]").click()
    _wait_until(
        page,
        "document.querySelector('#course-outline .outline-lesson-title a').textContent.trim()"
        " === '三点布光'",
    )
    assert page.url == course_url  # no page load: htmx swapped the outline
    assert _outline(page) == [["拍摄与布光", ["三点布光", "自然光"]], ["收音", ["领夹麦"]]]
    assert _no_sideways_scroll(page)
    _shoot(page, tmp_path, "authoring-outline-phone")

    page.click("#course-outline .outline-lesson-title a >> nth=0")
    page.wait_for_url(f"{live_server}/courses/manage/lessons/*")
    page.fill("#notes_md", "## 三点布光\n\n- 主光\n- 辅光\n- 轮廓光")
    _wait_until(page, "document.querySelectorAll('#markdown-preview li').length === 3")
    page.fill("#practice_prompt", "用三点布光拍一段 30 秒的手镯介绍。")
    page.click("#lesson-form button[name=submit]")
    page.wait_for_url(f"{live_server}/courses/manage/lessons/*")
    assert page.locator("#markdown-preview h2").inner_text() == "三点布光"
    assert _no_sideways_scroll(page)
    _shoot(page, tmp_path, "authoring-lesson-phone")

    page.goto(course_url)
    page.click("#course-actions button.primary")  # Publish
    page.wait_for_url(course_url)
    assert page.locator("#course-actions form[action$='/unpublish']").count() == 1
    with app.app_context():
        course = db.session.scalars(select(Course)).one()
        assert course.status == CourseStatus.PUBLISHED
        assert course.published_at is not None
        assert [m.title for m in course.modules] == ["拍摄与布光", "收音"]
        assert [lesson.title for lesson in course.modules[0].lessons] == ["三点布光", "自然光"]
        assert course.modules[0].lessons[0].has_practice
    assert _no_sideways_scroll(page)
    _shoot(page, tmp_path, "authoring-published-phone")

    csp_errors = [e for e in page.console_errors if "Content Security Policy" in e]
    assert csp_errors == []
    assert page.console_errors == []
