"""What a new user on a 390 px phone tripped on, walking the main journeys.

A quiz question of two lines stays inside its card; on the recording page the player stays on
screen after a jump to a time (the transcript scrolls under it); the editor's choices, ticks,
sentence times, "← back" link and the menu's sign-out are at least 40 px tall, and its help says
how to set the in and out points with a finger. On the review pages of a clip and of a practice
video the player stays on screen above the comment form (also with the keyboard up), and no id is
used twice, and the photos approving publishes are thumbnails a finger opens at full size; the
workshop's item marks are 24 px wide to a finger and still seek to their time.
Screenshots go to /tmp/phone-left.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from courses import videos
from courses.models import (
    Course,
    CourseModule,
    CourseStatus,
    Lesson,
    PracticeSubmission,
    QuestionKind,
    Quiz,
    QuizChoice,
    QuizQuestion,
)
from media.recordings import services as recordings
from media.transcripts.models import Sentence, Transcript
from portal.auth.models import Role, User
from portal.extensions import db
from portal.jobs.models import JobState
from tests.conftest import TEST_PASSWORD
from tests.portal.helpers import png_bytes, upload_photos
from tests.support.browser import PHONE, open_page
from tests.support.clipdata import add_clip_with_media
from tests.support.mediagen import make_test_video
from tests.support.pages import sign_in
from tests.support.player import seek_paused

pytestmark = pytest.mark.browser

FINGER_PX = 40
LONG_PROMPT = "为了让翡翠看起来更绿，可以打开手机美颜和滤镜。"  # two lines at 390 px
SHOTS = Path("/tmp/phone-left")
KEYBOARD_UP = {"width": 390, "height": 480}  # a phone keyboard takes about 360 px
VERTICAL = "360x640"
LINES = tuple(f"第{n + 1}句：这只冰种翡翠手镯种水很好，圈口五十六" for n in range(12))


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


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
    with app.app_context():
        db.session.add(_published_course(lesson))
        db.session.commit()
        return lesson.id


def _published_course(lesson: Lesson) -> Course:
    """A published course of one module holding ``lesson``."""
    return Course(
        title="直播短视频制作入门", status=CourseStatus.PUBLISHED,
        modules=[CourseModule(title="第一单元", lessons=[lesson])],
    )  # fmt: skip


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


def test_the_recording_player_stays_in_view_after_a_jump_to_a_time(live_server, browser, stream):
    merchant, recording_id, _clip_id = stream
    page = open_page(browser, PHONE, timeout_ms=15_000)
    try:
        sign_in(page, live_server, merchant.email, TEST_PASSWORD)
        page.goto(f"{live_server}/media/recordings/{recording_id}")
        page.locator("#transcript-jump input").fill("1:40")
        page.locator("#transcript-jump button[type=submit]").click()
        page.wait_for_function(
            "() => Math.abs(document.querySelector('#player')?.currentTime - 100) < 1.5"
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


def _ids_used_twice(page) -> list[str]:
    return page.evaluate(
        """() => {
            const seen = new Set(), twice = new Set();
            for (const el of document.querySelectorAll("[id]")) {
                (seen.has(el.id) ? twice : seen).add(el.id);
            }
            return [...twice];
        }"""
    )


def _player_stays_above_the_comment_form(page, name: str) -> None:
    """Scroll to the comment form as a trainer does; the player is on screen above its textarea.

    Then the keyboard comes up (a shorter viewport) and the box, brought into view as the phone
    brings a focused field, is still below the player and on screen.
    """
    page.wait_for_function("() => document.querySelector('#player')?.videoHeight > 0")
    player, textarea = page.locator("#player"), page.locator(".comment-form textarea")
    textarea.evaluate("el => el.closest('form').scrollIntoView({block: 'end'})")
    page.wait_for_function("() => window.scrollY > 0")
    _shoot(page, f"{name}-comment-form")
    assert _wholly_on_screen(page, player), "the player scrolled away from the comment form"
    assert _wholly_on_screen(page, textarea)
    player_box = _box(page, player)
    assert _box(page, textarea)["y"] >= player_box["y"] + player_box["height"]
    assert player_box["height"] <= 0.4 * page.viewport_size["height"]

    page.set_viewport_size(KEYBOARD_UP)
    textarea.focus()
    textarea.evaluate("el => el.scrollIntoView({block: 'nearest'})")
    _shoot(page, f"{name}-keyboard-up")
    player_box = _box(page, player)
    assert _wholly_on_screen(page, textarea), "the keyboard hides the comment box"
    assert _box(page, textarea)["y"] >= player_box["y"] + player_box["height"]


def test_the_clip_review_player_stays_above_the_comment_form(
    app, live_server, browser, make_user, merchant_org, make_item, client_as
):
    item = make_item(merchant_org, sku="JADE-9", name="冰种翡翠手镯")
    merchant = client_as(make_user(Role.MERCHANT, merchant_org))
    upload_photos(merchant, item.id, (png_bytes((600, 400), "red"), "qr.png"))
    trainer = make_user(Role.TRAINER, name="王老师")
    clip_id = add_clip_with_media(
        app, merchant_org.id, [item.id], title="冰种翡翠手镯讲解", texts=LINES, size=VERTICAL
    )
    page = open_page(browser, PHONE, timeout_ms=15_000, locale="zh-CN")
    try:
        sign_in(page, live_server, trainer.email, TEST_PASSWORD)
        page.goto(f"{live_server}/review/clips/{clip_id}")
        assert _ids_used_twice(page) == []
        assert page.locator("#decision button[type=submit]").count() == 1
        _a_kept_photo_opens_full_size(page)
        _player_stays_above_the_comment_form(page, "review-clip")
        seek_paused(page, 3.0)
        page.locator(".comment-form textarea").fill("第三句字幕有错字")
        page.click(".comment-form button[type=submit]")
        page.wait_for_url(f"{live_server}/review/clips/{clip_id}*")
        assert page.locator("#comments .comment .seek").first.inner_text() == "0:03.0"
        assert not page.console_errors
    finally:
        page.context.close()


def _a_kept_photo_opens_full_size(page) -> None:
    """The photos approving publishes are thumbnails big enough to tap, and a tap opens the photo
    at full size (a QR code or a claim in a 48 px thumbnail could not be read)."""
    photo = page.locator(".kept-photos a").first
    box = _box(page, photo)
    assert min(box["width"], box["height"]) >= FINGER_PX, "the photo is too small to tap"
    assert _box(page, photo.locator("img"))["width"] >= 64
    with page.expect_popup() as opened:
        photo.click()
    full = opened.value
    full.wait_for_load_state()
    assert full.url.endswith("/full")
    assert full.evaluate("() => document.images[0].naturalWidth") == 600
    full.close()


def _practice_submission(app, streamer, video: Path) -> int:
    """The streamer's vertical practice video with its transcript, waiting for a trainer."""
    lesson = Lesson(position=0, title="讲解一件翡翠", notes_md="", practice_prompt="录一段介绍。")
    with app.app_context():
        db.session.add(_published_course(lesson))
        db.session.flush()
        recording = videos.add_video_from_file(
            db.session.get(User, streamer.id), video, "练习", "zh"
        )
        transcript = Transcript(
            org_id=recording.org_id, recording_id=recording.id, language="zh", model_name="t"
        )
        db.session.add(transcript)
        db.session.flush()
        db.session.add_all(
            Sentence(org_id=recording.org_id, transcript_id=transcript.id, position=n,
                     start_ms=n * 1000, end_ms=n * 1000 + 900, text=text)
            for n, text in enumerate(LINES)
        )  # fmt: skip
        recordings.transcription_job(recording).state = JobState.SUCCEEDED  # given above
        submission = PracticeSubmission(
            lesson_id=lesson.id, user_id=streamer.id, recording_id=recording.id
        )
        db.session.add(submission)
        db.session.commit()
        return submission.id


def test_the_practice_review_player_stays_above_the_comment_form(
    app, live_server, browser, streamer, trainer, tmp_path
):
    video = make_test_video(tmp_path / "practice.mp4", seconds=12.0, size=VERTICAL)
    submission_id = _practice_submission(app, streamer, video)
    page = open_page(browser, PHONE, timeout_ms=15_000, locale="zh-CN")
    try:
        sign_in(page, live_server, trainer.email, TEST_PASSWORD)
        page.goto(f"{live_server}/courses/practice/{submission_id}")
        assert _ids_used_twice(page) == []
        _player_stays_above_the_comment_form(page, "review-practice")
        assert not page.console_errors
    finally:
        page.context.close()


def test_workshop_item_marks_are_finger_wide_and_seek(live_server, browser, stream):
    merchant, recording_id, _clip_id = stream
    page = open_page(browser, PHONE, timeout_ms=15_000, locale="zh-CN")
    try:
        sign_in(page, live_server, merchant.email, TEST_PASSWORD)
        page.goto(f"{live_server}/media/recordings/{recording_id}/workshop")
        marks = page.locator(".timeline .lane-marks .mark")
        assert marks.count() >= 2
        mark = marks.nth(1)  # not at the lane's left edge
        mark.scroll_into_view_if_needed()
        box = _box(page, mark)
        centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        at = mark.get_attribute("data-seek")
        for dx in (-11, -6, 0, 6, 11):  # a finger's 24 px around the mark
            hit = page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y)?.getAttribute('data-seek')",
                [centre_x + dx, centre_y],
            )
            assert hit == at, f"{dx:+} px from the mark misses it"
        _shoot(page, "workshop-marks")
        page.mouse.click(centre_x + 10, centre_y)
        page.wait_for_function(
            f"() => Math.abs(document.querySelector('#player')?.currentTime - {at}) < 0.5"
        )
    finally:
        page.context.close()
