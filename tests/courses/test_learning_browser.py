"""A streamer on a phone watches a lesson, leaves, comes back and resumes at the saved time.

Real Chromium (Debian's), a real H.264 lesson video and the real progress posts of
lesson-player.js (every 5 s while playing, and with fetch keepalive when the page is left).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from courses.models import Course, Lesson, LessonProgress
from portal.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.courses.helpers import give_lesson_video
from tests.support.axe import assert_accessible
from tests.support.browser import PHONE, open_page
from tests.support.mediagen import make_test_video
from tests.support.pages import click_menu_link, sign_in
from tests.support.player import play_fast, play_until

pytestmark = pytest.mark.browser

NOTES = "## 要点\n\n- 主灯 45°\n- 辅灯亮度为主灯一半\n\n| 灯 | 位置 |\n|---|---|\n| 主灯 | 侧前方 |"
SENTENCES = [
    (0.0, 4.0, "大家好，今天我们讲直播间的布光。"),
    (4.0, 9.0, "主灯放在主播的侧前方，四十五度。"),
    (9.0, 14.0, "辅灯在另一侧，亮度低一些。"),
    (14.0, 20.0, "最后用背景灯把翡翠的通透感打出来。"),
]


def _course_with_video(app, make_course, video: Path) -> tuple[int, int]:
    course_id = make_course(
        description="手机上就能学的**直播布光**。",
        lessons=("主灯与辅灯", "背景灯"),
        quiz_on=(0,),
    )
    with app.app_context():
        course = db.session.get(Course, course_id)
        lesson = course.modules[0].lessons[0]
        lesson.notes_md = NOTES
        give_lesson_video(lesson, video, SENTENCES)
        db.session.commit()
        return course_id, lesson.id


def _saved_position(app, user_id: int, lesson_id: int) -> float | None:
    with app.app_context():
        row = db.session.scalar(
            select(LessonProgress).where(
                LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson_id
            )
        )
        position = row.position_s if row else None
        db.session.remove()
        return position


def _wait_for_saved(app, user_id, lesson_id, at_least: float, timeout_s: float = 10) -> float:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        position = _saved_position(app, user_id, lesson_id)
        if position is not None and position >= at_least:
            return position
        time.sleep(0.2)
    raise AssertionError(f"no position ≥ {at_least} saved (last: {position})")


def _shoot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("BELTCAST_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_streamer_resumes_a_lesson_on_a_phone_where_they_left_off(
    app, live_server, browser, make_course, streamer, tmp_path
):
    video = make_test_video(tmp_path / "lesson.mp4", seconds=20.0, size="640x360")
    course_id, lesson_id = _course_with_video(app, make_course, video)
    page = sign_in(
        open_page(browser, PHONE, timeout_ms=20_000), live_server, streamer.email, TEST_PASSWORD
    )

    click_menu_link(page, "/courses/")
    _shoot(page, tmp_path, "catalog-phone")
    page.click(f"a[href='/courses/{course_id}']")
    page.click("form.enrol-form button")
    page.click(f".lesson-list a[href='/courses/lessons/{lesson_id}']")
    page.wait_for_function("() => document.querySelector('#player')?.readyState >= 1")

    page.click("button[data-speed='1.5']")
    assert page.evaluate("document.querySelector('#player').playbackRate") == 1.5
    assert page.get_attribute("button[data-speed='1.5']", "aria-pressed") == "true"
    play_until(page, 5.0, timeout_ms=20_000)
    page.wait_for_selector("li.sentence.current")
    assert "主灯放在主播的侧前方" in page.inner_text("li.sentence.current")
    _shoot(page, tmp_path, "lesson-phone-playing")

    page.click(".breadcrumb a")  # leave while playing: pagehide posts the position
    page.wait_for_url(f"{live_server}/courses/{course_id}")
    saved = _wait_for_saved(app, streamer.id, lesson_id, at_least=4.5)
    assert saved < 20.0
    page.reload()
    assert page.locator(".lesson-row.lesson-in_progress").count() == 1
    _shoot(page, tmp_path, "course-phone")

    page.goto(f"{live_server}/")
    assert page.locator("#continue-watching").count() == 1
    _shoot(page, tmp_path, "home-continue-phone")
    page.click(f"#continue-watching a[href='/courses/lessons/{lesson_id}']")
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('#player')?.currentTime - {saved}) < 0.5"
    )
    assert page.evaluate("document.querySelector('#player').currentTime") == pytest.approx(
        saved, abs=0.5
    )
    assert page.evaluate("document.querySelector('#player').playbackRate") == 1.5  # remembered
    assert page.locator(".resume-note").count() == 1

    page.click("li.sentence:nth-child(3) button.seek")  # the transcript seeks the player
    page.wait_for_function("() => document.querySelector('#player')?.currentTime >= 9.5")
    page.evaluate("document.querySelector('#player').pause()")
    _wait_for_saved(app, streamer.id, lesson_id, at_least=9.0)

    page.goto(f"{live_server}/courses/lessons/{lesson_id}?t=14")  # ?t= wins over the resume
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#player')?.currentTime - 14) < 0.5"
    )

    page.evaluate("window.scrollTo(0, 0)")
    shot = _shoot(page, tmp_path, "lesson-phone")
    assert shot.stat().st_size > 20_000
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()
    with app.app_context():
        assert db.session.get(Lesson, lesson_id) is not None
        db.session.remove()


def test_mark_as_done_waits_until_the_video_was_watched_on_a_phone(
    app, live_server, browser, make_course, streamer, tmp_path
):
    video = make_test_video(tmp_path / "lesson.mp4", seconds=20.0, size="320x180")
    _, lesson_id = _course_with_video(app, make_course, video)
    page = sign_in(
        open_page(browser, PHONE, timeout_ms=20_000), live_server, streamer.email, TEST_PASSWORD
    )
    page.goto(f"{live_server}/courses/lessons/{lesson_id}")
    button = page.locator("[data-mark-done-button]")
    note = page.locator("[data-watch-note]")
    assert button.is_disabled()
    assert note.is_visible()
    assert "已观看 0%，需观看 90%" in note.inner_text()  # zh-CN, the default
    assert button.get_attribute("aria-describedby") == "watch-note"
    note.scroll_into_view_if_needed()
    _shoot(page, tmp_path, "lesson-watch-needed-phone")

    play_fast(page)  # watch on from where it is (a seek to the end would not count as watched)
    page.wait_for_function(
        "() => /已观看 [1-9]/.test(document.querySelector('[data-watch-note]')?.textContent)",
        timeout=20_000,
    )  # the note follows the player's progress posts
    page.wait_for_selector("[data-lesson-done]:not([hidden])", timeout=30_000)
    assert not page.locator("form[data-mark-done]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.console_errors == []
    page.context.close()
