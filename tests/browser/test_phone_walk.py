"""What a new user on a 390 px phone tripped on, walking the main journeys.

A quiz question of two lines stays inside its card; on the recording page the player stays on
screen after a jump to a time (the transcript scrolls under it); the editor's choices, ticks,
sentence times, "← back" link and the menu's sign-out are at least 40 px tall, and its help says
how to set the in and out points with a finger.
"""

from __future__ import annotations

import pytest

from courses.models import (
    Course,
    CourseModule,
    CourseStatus,
    Lesson,
    QuestionKind,
    Quiz,
    QuizChoice,
    QuizQuestion,
)
from media.clips import services
from media.recordings.models import Recording
from portal.auth.models import Role, User
from portal.catalog.models import Item
from portal.extensions import db
from tests.browser.test_clip_phone_layout import _stream
from tests.conftest import TEST_PASSWORD
from tests.support.browser import PHONE, open_page
from tests.support.pages import sign_in

pytestmark = pytest.mark.browser

FINGER_PX = 40
LONG_PROMPT = "为了让翡翠看起来更绿，可以打开手机美颜和滤镜。"  # two lines at 390 px


def _box(page, locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box


def _wholly_on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def _course_with_long_question(app) -> int:
    question = QuizQuestion(
        position=0, kind=QuestionKind.TRUE_FALSE, prompt=LONG_PROMPT,
        choices=[QuizChoice(position=0, text="对"),
                 QuizChoice(position=1, text="错", is_correct=True)],
    )  # fmt: skip
    lesson = Lesson(position=0, title="拍摄与布光", notes_md="", quiz=Quiz(questions=[question]))
    course = Course(
        title="直播短视频制作入门", status=CourseStatus.PUBLISHED,
        modules=[CourseModule(title="第一单元", lessons=[lesson])],
    )  # fmt: skip
    with app.app_context():
        db.session.add(course)
        db.session.commit()
        return lesson.id


def test_a_two_line_quiz_question_stays_inside_its_card(app, live_server, browser, streamer):
    lesson_id = _course_with_long_question(app)
    page = open_page(browser, PHONE)
    try:
        sign_in(page, live_server, streamer.email, TEST_PASSWORD)
        page.goto(f"{live_server}/courses/lessons/{lesson_id}/quiz")
        legend = page.locator(".quiz-question legend")
        card = page.locator(".quiz-question fieldset")
        assert _box(page, legend)["height"] > 30, "the question should wrap to two lines"
        legend_box, card_box = _box(page, legend), _box(page, card)
        # A fieldset draws its top border through the middle of its legend: the question's box
        # starts where the card's does. Inside the card it starts below that border.
        assert legend_box["y"] >= card_box["y"] + 1, "the question sits on the card's top border"
        first_choice = _box(page, page.locator(".quiz-choices li").first)
        assert legend_box["y"] + legend_box["height"] <= first_choice["y"]
        assert not page.console_errors
    finally:
        page.context.close()


def test_sign_in_links_and_lesson_links_are_finger_sized(app, live_server, browser, streamer):
    lesson_id = _course_with_long_question(app)
    page = open_page(browser, PHONE)
    try:
        page.goto(f"{live_server}/auth/login")
        for link in page.locator("main section p a").all():
            assert _box(page, link)["height"] >= FINGER_PX, f"{link.inner_text()} is too small"
        sign_in(page, live_server, streamer.email, TEST_PASSWORD)
        page.goto(f"{live_server}/courses/lessons/{lesson_id}")
        page.locator(".breadcrumb a").click()
        lesson_link = page.locator(".lesson-row > a").first
        assert _box(page, lesson_link)["height"] >= FINGER_PX, "the lesson link is too small"
    finally:
        page.context.close()


@pytest.fixture
def stream(app, make_user, merchant_org) -> tuple[User, int, int]:
    """The merchant, a 2-minute recording with 30 sentences, and a clip of sentences 2–6."""
    merchant = make_user(Role.MERCHANT, merchant_org)
    with app.app_context():
        recording_id = _stream(merchant_org.id)
        recording = db.session.get(Recording, recording_id)
        item = db.session.query(Item).filter_by(org_id=merchant_org.id, sku="P-0").one()
        clip = services.create_clip(
            recording, db.session.get(User, merchant.id), first_sentence=2, last_sentence=6,
            item_ids=[item.id], title="冰种翡翠手镯",
        )  # fmt: skip
        return merchant, recording_id, clip.id


def test_the_recording_player_stays_in_view_after_a_jump_to_a_time(live_server, browser, stream):
    merchant, recording_id, _clip_id = stream
    page = open_page(browser, PHONE, timeout_ms=15_000)
    try:
        sign_in(page, live_server, merchant.email, TEST_PASSWORD)
        page.goto(f"{live_server}/media/recordings/{recording_id}")
        page.locator("#transcript-jump input").fill("1:40")
        page.locator("#transcript-jump button[type=submit]").click()
        page.wait_for_function(
            "() => Math.abs(document.querySelector('#player').currentTime - 100) < 1.5"
        )
        current = page.locator("#transcript .sentence.current")
        current.wait_for()
        assert current.is_visible()
        player = page.locator("#player")
        assert _wholly_on_screen(page, player), "the jump plays in a player out of sight"
        assert _box(page, current)["y"] >= _box(page, player)["y"] + _box(page, player)["height"]
    finally:
        page.context.close()


def test_the_editor_is_finger_sized_on_a_phone(live_server, browser, stream):
    merchant, _recording_id, clip_id = stream
    page = open_page(browser, PHONE, timeout_ms=15_000)
    try:
        sign_in(page, live_server, merchant.email, TEST_PASSWORD)
        page.goto(f"{live_server}/media/clips/{clip_id}")
        targets = {
            "back link": page.locator("main p > a").first,
            "linked item tick": page.locator(".checklist label").first,
            "render choice": page.locator("form.render-form .choices label").first,
            "sentence time": page.locator("button.seek").first,
        }
        for name, locator in targets.items():
            assert _box(page, locator)["height"] >= FINGER_PX, f"the {name} is too small to tap"
        assert page.get_by_text("手机上：先点新的入点，再点新的出点").is_visible()
        page.locator(".menu-toggle").click()
        sign_out = page.locator(".menu-panel .account-nav button")
        assert _box(page, sign_out)["height"] >= FINGER_PX, "sign out is too small to tap"
    finally:
        page.context.close()
