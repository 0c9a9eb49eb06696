"""A visitor, never signed in, browses the library, watches a clip, opens its item's page and
checks a streamer's course certificate (the QR code on it leads to the public verify page)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courses.demo import COURSE_TITLE
from courses.models import Certificate, Course
from media.clips.models import ClipState
from portal.auth.models import User
from portal.extensions import db
from tests.journeys.conftest import VIEWS
from tests.support.clipdata import add_clip_with_media
from tests.support.pages import click_menu_link

pytestmark = pytest.mark.browser

LONG_TITLE = "冰种翡翠手镯种水讲解：为什么透光看起来均匀细腻，圈口五十六毫米适合大多数手腕佩戴"
CERTIFICATE = "7F3A9C2E51B04D86"
LINES = ("这只冰种翡翠手镯种水很好", "对着灯看，颜色均匀", "每一件都有 NGTC 证书")


@pytest.fixture
def library(app, demo):
    """Two published clips of 翠玉坊 and one of 和田玉苑 (the newest first in the library)."""
    org, other = demo.org_ids["cuiyufang"], demo.org_ids["hetianyuan"]
    bangle = demo.item_ids["CY-001"]
    add_clip_with_media(app, org, [demo.item_ids["CY-003"]], title="平安扣的寓意",
                        texts=("平安扣寓意平平安安",), state=ClipState.PUBLISHED)  # fmt: skip
    add_clip_with_media(app, other, [demo.item_ids["HT-001"]], title="和田玉籽料怎么看皮色",
                        texts=("籽料的皮色是自然形成的",), state=ClipState.PUBLISHED)  # fmt: skip
    clip_id = add_clip_with_media(
        app, org, [bangle], title=LONG_TITLE, texts=LINES, state=ClipState.PUBLISHED,
        description="讲解种水和透光", size="360x640",
    )  # fmt: skip
    with app.app_context():
        streamer = db.session.scalar(select(User).where(User.email == demo.emails["streamer"]))
        course = db.session.scalar(select(Course).where(Course.title == COURSE_TITLE))
        db.session.add(
            Certificate(code=CERTIFICATE, user_id=streamer.id, course_id=course.id,
                        holder_name=streamer.name, course_title=course.title)
        )  # fmt: skip
        db.session.commit()
    return {"clip_id": clip_id, "item_id": bangle}


@pytest.mark.parametrize(("viewport", "locale"), VIEWS)
def test_visitor_browses_library_watches_clip_and_opens_item(visit, library, viewport, locale):
    tab = visit("visitor", viewport, locale)
    page = tab.goto("/")
    tab.check("home")

    click_menu_link(page, "/library/")
    assert page.locator(".library-card").count() == 3
    title = page.locator(".library-card h2").first
    assert title.inner_text() == LONG_TITLE
    assert title.bounding_box()["height"] > 30  # the long title wraps inside its card
    tab.check("library")

    title.locator("a").click()
    page.wait_for_url(f"**/library/clips/{library['clip_id']}")
    assert page.inner_text("main h1") == LONG_TITLE
    page.wait_for_function("() => document.querySelector('video[data-player]')?.readyState >= 1")
    tab.check("clip")

    page.click(f"main a[href='/library/items/{library['item_id']}']")
    page.wait_for_url(f"**/library/items/{library['item_id']}")
    assert "冰种翡翠手镯" in page.inner_text("main h1")
    assert page.locator(f"a[href='/library/clips/{library['clip_id']}']").count() >= 1
    tab.check("item")

    page = tab.goto(f"/verify/{CERTIFICATE}")
    assert COURSE_TITLE in page.inner_text("main")
    assert "新主播 小周" in page.inner_text("main")
    tab.check("verify-certificate")
