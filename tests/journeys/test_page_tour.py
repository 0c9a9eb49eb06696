"""Every key page, per kind of user, on the narrowest phone we support (360 px wide): no sideways
scrolling, no serious accessibility problem, no console error."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from courses.completion import course_lessons
from courses.demo import COURSE_TITLE
from courses.models import Course
from media.clips.models import ClipState
from portal.extensions import db
from tests.support.axe import assert_accessible
from tests.support.browser import open_page
from tests.support.clipdata import add_clip_with_media
from tests.support.pages import scroll_width, sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}
LONG_TITLE = "和田玉籽料吊坠皮色与油润度详解：怎么看天然皮、怎么分辨沁色，以及挑选时最容易踩的坑"


@pytest.fixture
def clips(app: Flask, demo) -> dict[str, int]:
    """A published clip of 翠玉坊, one of its clips waiting for review, the starter course."""
    org = demo.org_ids["cuiyufang"]
    item = demo.item_ids["CY-001"]
    published = add_clip_with_media(
        app, org, [item], title=LONG_TITLE, texts=("籽料的皮色是自然形成的",),
        state=ClipState.PUBLISHED,
    )  # fmt: skip
    waiting = add_clip_with_media(
        app, org, [item], title="冰种手镯为什么贵", texts=("全网最低价", "加微信聊"),
    )  # fmt: skip
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.title == COURSE_TITLE))
        lesson = course_lessons(course)[0]
        ids = {"course": course.id, "lesson": lesson.id}
    return {"published": published, "waiting": waiting, "item": item, **ids}


def _paths(app: Flask, role: str, clips: dict[str, int]) -> list[str]:
    public = ["/", "/library/", f"/library/clips/{clips['published']}",
              f"/library/items/{clips['item']}", f"/share/{clips['published']}"]  # fmt: skip
    course, lesson = clips["course"], clips["lesson"]
    return {
        "visitor": [*public, "/auth/login", "/auth/register", "/auth/apply", "/auth/forgot"],
        "streamer": ["/", "/courses/", f"/courses/{course}", f"/courses/lessons/{lesson}",
                     f"/courses/lessons/{lesson}/quiz", "/courses/certificates/",
                     "/auth/account", "/notifications/"],
        "merchant": ["/", "/catalog/", f"/catalog/items/{clips['item']}", "/catalog/items/new",
                     "/catalog/import", "/media/recordings/", f"/media/clips/{clips['waiting']}",
                     f"/media/items/{clips['item']}", "/screening/application", "/auth/account",
                     "/account/tokens/"],
        "trainer": ["/", "/review/", f"/review/clips/{clips['waiting']}", "/review/dashboard",
                    "/screening/", "/catalog/all", f"/catalog/all/items/{clips['item']}",
                    "/courses/manage/", f"/courses/manage/{course}",
                    f"/courses/manage/lessons/{lesson}", f"/courses/manage/lessons/{lesson}/quiz",
                    f"/courses/manage/{course}/learners", "/courses/practice/queue"],
        "admin": ["/", "/admin/users", "/admin/organisations", "/admin/categories",
                  "/admin/compliance/", "/admin/glossary/", "/admin/jobs/"],
    }[role]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "locale"),
    [
        *[(role, "zh") for role in ("visitor", "streamer", "merchant", "trainer", "admin")],
        ("merchant", "en"),  # the roles whose journeys run in Chinese only
        ("trainer", "en"),
    ],
)
def test_every_key_page_fits_360_px_and_passes_axe(
    app, browser, live_server, demo, clips, role, locale
):
    lang = "en" if locale == "en" else "zh-CN"
    page = open_page(browser, NARROW, timeout_ms=15_000, locale=lang)
    try:
        if locale == "en":
            page.goto(f"{live_server}/?lang=en")
        if role != "visitor":
            sign_in(page, live_server, demo.emails[role], demo.password)
        for path in _paths(app, role, clips):
            response = page.goto(f"{live_server}{path}")
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == lang
            assert scroll_width(page) <= NARROW["width"], f"{path} scrolls sideways at 360 px"
            assert_accessible(page)
        assert page.console_errors == []
    finally:
        page.context.close()


FOCUS_RING = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {tag: el.tagName, text: (el.textContent || el.name || "").trim().slice(0, 30),
            outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


@pytest.mark.parametrize("path", ["/", "/library/", "/catalog/", "/media/recordings/"])
def test_keyboard_user_always_sees_where_the_focus_is(browser, live_server, demo, clips, path):
    page = open_page(browser, NARROW, timeout_ms=15_000, locale="zh-CN")
    try:
        if path.startswith(("/catalog", "/media")):
            sign_in(page, live_server, demo.emails["merchant"], demo.password)
        page.goto(f"{live_server}{path}")
        for _ in range(12):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_RING)
            if focused["tag"] == "BODY":
                break
            assert focused["outline"] != "none", f"no focus ring on {focused}"
            assert focused["width"] >= 2, f"thin focus ring on {focused}"
    finally:
        page.context.close()
