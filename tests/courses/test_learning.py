"""Learning over HTTP: catalog, enrolment, drafts and previews, lesson player, progress, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from courses import videos
from courses.models import (
    Certificate,
    Course,
    Enrolment,
    Lesson,
    LessonAttachment,
    LessonCaption,
    LessonProgress,
)
from courses.watching import add_range, played_step
from portal.auth.models import User
from portal.extensions import db
from tests.courses.helpers import give_lesson_video
from tests.portal.helpers import in_english, is_private
from tests.support.mediagen import make_test_video

VIDEO_SECONDS = 10.0


@pytest.fixture
def client_as(client_as):
    """Browsers that chose English: the assertions read the English wording."""
    return lambda user: in_english(client_as(user))


@pytest.fixture(scope="session")
def lesson_video_file(tmp_path_factory) -> Path:
    """A real 10-second H.264 + AAC test video, made once."""
    return make_test_video(
        tmp_path_factory.mktemp("lesson-video") / "lesson.mp4", seconds=VIDEO_SECONDS
    )


def _lesson_ids(app, course_id):
    with app.app_context():
        course = db.session.get(Course, course_id)
        return [lesson.id for module in course.modules for lesson in module.lessons]


def _attach_video(app, lesson_id, path, *, sentences=()):
    """Add ``path`` as the lesson's video; ``sentences`` (start, end, text) make a transcript."""
    with app.app_context():
        recording_id = give_lesson_video(db.session.get(Lesson, lesson_id), path, sentences)
        db.session.commit()
        return recording_id


@pytest.fixture
def video_course(app, make_course, lesson_video_file):
    """A published two-lesson course whose first lesson has a 10 s video with a transcript."""
    course_id = make_course(description="**竖屏**拍摄入门 <script>alert(1)</script>")
    first, second = _lesson_ids(app, course_id)
    _attach_video(
        app, first, lesson_video_file,
        sentences=[(0.0, 2.5, "大家好，今天讲布光。"), (2.5, 6.0, "主灯放在侧前方。")],
    )  # fmt: skip
    return course_id, first, second


def _progress(app, user, lesson_id):
    with app.app_context():
        row = db.session.scalar(
            select(LessonProgress).where(
                LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson_id
            )
        )
        if row is not None:
            db.session.expunge(row)
        return row


def _post(client, lesson_id, position, seq, **extra):
    return client.post(
        f"/courses/lessons/{lesson_id}/progress",
        json={"position_s": position, "seq": seq, **extra},
    )


# Access ------------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_from_every_learning_page(client, video_course):
    course_id, first, _ = video_course
    for url in (
        "/courses/",
        f"/courses/{course_id}",
        f"/courses/lessons/{first}",
        f"/courses/lessons/{first}/video",
        f"/courses/lessons/{first}/captions.vtt",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]
    response = client.post(f"/courses/lessons/{first}/progress", json={"position_s": 1, "seq": 1})
    assert response.status_code == 302


def test_streamer_gets_404_for_missing_course_lesson_and_attachment(
    client_as, streamer, video_course
):
    _, first, _ = video_course
    client = client_as(streamer)
    assert client.get("/courses/999999").status_code == 404
    assert client.get("/courses/lessons/999999").status_code == 404
    assert client.get(f"/courses/lessons/{first}/attachments/999999").status_code == 404
    assert client.get(f"/courses/lessons/{first}/captions/999999.vtt").status_code == 404
    assert _post(client, 999999, 1, 1).status_code == 404


def test_streamer_gets_404_for_every_page_of_a_draft_course(
    app, client_as, streamer, make_course, lesson_video_file
):
    course_id = make_course(title="草稿课程", published=False)
    first, _ = _lesson_ids(app, course_id)
    _attach_video(app, first, lesson_video_file)
    client = client_as(streamer)
    assert client.get(f"/courses/{course_id}").status_code == 404
    assert client.get(f"/courses/lessons/{first}").status_code == 404
    assert client.get(f"/courses/lessons/{first}/video").status_code == 404
    assert client.post(f"/courses/{course_id}/enrol").status_code == 404
    assert _post(client, first, 1, 1).status_code == 404
    assert "草稿课程" not in client.get("/courses/").get_data(as_text=True)


def test_trainer_previews_a_draft_without_saving_progress(
    app, client_as, trainer, make_course, lesson_video_file
):
    course_id = make_course(title="草稿课程", published=False)
    first, _ = _lesson_ids(app, course_id)
    _attach_video(app, first, lesson_video_file)
    client = client_as(trainer)

    course_page = client.get(f"/courses/{course_id}").get_data(as_text=True)
    lesson_page = client.get(f"/courses/lessons/{first}")

    assert "preview-banner" in course_page
    assert "Enrol in this course" not in course_page
    html = lesson_page.get_data(as_text=True)
    assert lesson_page.status_code == 200
    assert "preview-banner" in html
    assert "data-progress-url" not in html
    assert "Mark as done" not in html
    assert client.get(f"/courses/lessons/{first}/video").status_code == 200
    assert _post(client, first, 3, 1).status_code == 404
    assert client.post(f"/courses/lessons/{first}/done").status_code == 404
    assert _progress(app, trainer, first) is None


# Catalog, course page, enrolment ------------------------------------------------------------------


def test_streamer_sees_only_published_courses_in_the_catalog(client_as, streamer, make_course):
    make_course(title="已发布课程")
    make_course(title="未发布草稿", published=False)

    html = client_as(streamer).get("/courses/").get_data(as_text=True)

    assert "已发布课程" in html
    assert "未发布草稿" not in html
    assert "2 lessons" in html


def test_streamer_sees_what_to_do_when_no_course_is_open(client_as, streamer):
    html = client_as(streamer).get("/courses/").get_data(as_text=True)

    assert "No course is open yet." in html
    assert "ask your trainer" in html


def test_streamer_enrols_twice_and_has_one_enrolment(app, client_as, streamer, video_course):
    course_id, first, _ = video_course
    client = client_as(streamer)

    assert client.post(f"/courses/{course_id}/enrol").status_code == 302
    response = client.post(f"/courses/{course_id}/enrol", follow_redirects=True)

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Enrolment))
    assert count == 1
    html = response.get_data(as_text=True)
    assert "Your progress" in html
    assert f"/courses/lessons/{first}" in html
    catalog = client.get("/courses/").get_data(as_text=True)
    assert "0% done" in catalog
    assert "Continue" in catalog


def test_course_page_renders_sanitised_markdown_and_lesson_status(
    app, client_as, streamer, video_course
):
    course_id, _, second = video_course
    client = client_as(streamer)
    client.post(f"/courses/{course_id}/enrol")
    client.post(f"/courses/lessons/{second}/done")  # the lesson without a video

    html = client.get(f"/courses/{course_id}").get_data(as_text=True)

    assert "<strong>竖屏</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "lesson-row lesson-done" in html
    assert "lesson-row lesson-not_started" in html
    assert "50% done" in html
    assert "Lessons: 1 of 2" in html


def test_course_page_shows_quiz_and_practice_status(app, client_as, streamer, make_course):
    course_id = make_course(quiz_on=(0,), practice_on=(1,))
    html = client_as(streamer).get(f"/courses/{course_id}").get_data(as_text=True)

    assert "Quiz to pass" in html
    assert "Practice: not sent yet" in html


# The lesson page ---------------------------------------------------------------------------------


def test_lesson_page_has_player_captions_transcript_speed_and_neighbours(
    app, client_as, streamer, video_course
):
    _, first, second = video_course
    vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\nHi\n"
    with app.app_context():
        db.session.add(LessonCaption(lesson_id=first, language="en", vtt=vtt))
        db.session.commit()
    client = client_as(streamer)

    html = client.get(f"/courses/lessons/{first}").get_data(as_text=True)

    assert "data-player data-lesson-player" in html
    assert f'src="/courses/lessons/{first}/video"' in html
    assert f'src="/courses/lessons/{first}/captions.vtt" srclang="zh"' in html
    assert 'srclang="en" label="English"' in html
    assert 'data-follow-player="#player"' in html
    assert 'data-seek="2.5"' in html
    assert "主灯放在侧前方。" in html
    for speed in ("0.75", "1", "1.25", "1.5", "2"):
        assert f'data-speed="{speed}"' in html
    assert f'href="/courses/lessons/{second}"' in html
    assert "<h2>拍摄与布光</h2>" in html
    assert "js/lesson-player.js" in html
    assert f'data-progress-url="/courses/lessons/{first}/progress"' in html


def test_lesson_without_video_says_so_and_refuses_progress(client_as, streamer, video_course):
    _, _, second = video_course
    client = client_as(streamer)

    html = client.get(f"/courses/lessons/{second}").get_data(as_text=True)

    assert "video is not ready yet" in html
    assert "<video" not in html
    assert client.get(f"/courses/lessons/{second}/video").status_code == 404
    assert _post(client, second, 1, 1).status_code == 409


def test_lesson_video_answers_range_requests(client_as, streamer, video_course, lesson_video_file):
    _, first, _ = video_course
    client = client_as(streamer)

    whole = client.get(f"/courses/lessons/{first}/video")
    part = client.get(f"/courses/lessons/{first}/video", headers={"Range": "bytes=0-99"})

    assert whole.status_code == 200
    assert whole.data == lesson_video_file.read_bytes()
    assert is_private(whole)
    assert part.status_code == 206
    assert len(part.data) == 100
    assert part.headers["Content-Range"].startswith("bytes 0-99/")


def test_captions_routes_serve_webvtt(app, client_as, streamer, video_course):
    _, first, second = video_course
    with app.app_context():
        caption = LessonCaption(lesson_id=first, language="en", vtt="WEBVTT\n\nen cue\n")
        db.session.add(caption)
        db.session.commit()
        caption_id = caption.id
    client = client_as(streamer)

    transcript = client.get(f"/courses/lessons/{first}/captions.vtt")
    extra = client.get(f"/courses/lessons/{first}/captions/{caption_id}.vtt")

    assert transcript.status_code == 200
    assert transcript.mimetype == "text/vtt"
    assert transcript.get_data(as_text=True).startswith("WEBVTT")
    assert "主灯放在侧前方。" in transcript.get_data(as_text=True)
    assert extra.get_data(as_text=True) == "WEBVTT\n\nen cue\n"
    assert client.get(f"/courses/lessons/{second}/captions/{caption_id}.vtt").status_code == 404
    assert client.get(f"/courses/lessons/{second}/captions.vtt").status_code == 404


def test_attachment_downloads_under_its_name_and_not_from_another_lesson(
    app, client_as, streamer, video_course
):
    _, first, second = video_course
    folder = Path(app.config["MEDIA_ROOT"]) / "courses" / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "abc123.txt").write_text("布光清单", encoding="utf-8")
    with app.app_context():
        row = LessonAttachment(
            lesson_id=first, filename="布光清单.txt", stored_name="abc123.txt",
            content_type="text/plain", size_bytes=12,
        )  # fmt: skip
        db.session.add(row)
        db.session.commit()
        attachment_id = row.id
    client = client_as(streamer)

    page = client.get(f"/courses/lessons/{first}").get_data(as_text=True)
    response = client.get(f"/courses/lessons/{first}/attachments/{attachment_id}")

    assert f"/courses/lessons/{first}/attachments/{attachment_id}" in page
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "布光清单"
    assert "attachment" in response.headers["Content-Disposition"]
    assert client.get(f"/courses/lessons/{second}/attachments/{attachment_id}").status_code == 404


# Progress and resume -----------------------------------------------------------------------------


def test_progress_post_enrols_saves_position_and_resumes_there(
    app, client_as, streamer, video_course
):
    course_id, first, _ = video_course
    client = client_as(streamer)

    response = _post(client, first, 4.2, 1, duration_s=10.0)

    assert response.status_code == 200
    assert response.json == {
        "position_s": 4.2, "furthest_s": 4.2, "completed": False, "accepted": True, "seq": 1,
        "watched_percent": 42, "can_mark_done": False,
        "watch_note": "Watch 0:05 more of the video to finish this lesson: you have watched 42%, "
                      "90% is needed (skipped parts do not count).",
    }  # fmt: skip
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        assert (enrolment.user_id, enrolment.course_id) == (streamer.id, course_id)
        assert enrolment.last_lesson_id == first
    html = client.get(f"/courses/lessons/{first}").get_data(as_text=True)
    assert 'data-resume-at="4.2"' in html
    assert 'data-progress-seq="1"' in html
    assert "You stopped at 0:04" in html


def test_stale_progress_post_never_moves_position_back(app, client_as, streamer, video_course):
    _, first, _ = video_course
    client = client_as(streamer)
    _post(client, first, 6.0, 5)

    stale = _post(client, first, 2.0, 4)
    repeated = _post(client, first, 1.0, 5)

    assert stale.json["accepted"] is False
    assert repeated.json["accepted"] is False
    assert stale.json["position_s"] == 6.0
    assert stale.json["seq"] == 5
    row = _progress(app, streamer, first)
    assert (row.position_s, row.furthest_s, row.client_seq) == (6.0, 6.0, 5)


def test_learner_rewinding_moves_position_back_but_keeps_furthest(
    app, client_as, streamer, video_course
):
    _, first, _ = video_course
    client = client_as(streamer)
    _post(client, first, 7.0, 1)

    response = _post(client, first, 3.0, 2)

    assert response.json["accepted"] is True
    row = _progress(app, streamer, first)
    assert (row.position_s, row.furthest_s) == (3.0, 7.0)


def test_progress_is_clamped_to_the_probed_duration_not_the_client_duration(
    app, client_as, streamer, video_course
):
    _, first, _ = video_course
    client = client_as(streamer)

    response = _post(client, first, 5000, 1, duration_s=9000)

    assert response.json["position_s"] == pytest.approx(VIDEO_SECONDS, abs=0.2)
    assert response.json["furthest_s"] == pytest.approx(VIDEO_SECONDS, abs=0.2)


def test_watching_ninety_percent_completes_the_lesson(app, client_as, streamer, video_course):
    _, first, _ = video_course
    client = client_as(streamer)
    with app.app_context():
        duration = videos.get_video_or_404(db.session.get(Lesson, first).recording_id).duration_s

    below = _post(client, first, duration * 0.85, 1)
    reached = _post(client, first, duration * 0.91, 2)
    rewound = _post(client, first, 1.0, 3)

    assert below.json["completed"] is False
    assert reached.json["completed"] is True
    assert rewound.json["completed"] is True
    assert _progress(app, streamer, first).completed_at is not None


@pytest.fixture(scope="module")
def long_video_file(tmp_path_factory) -> Path:
    """A real 40-second video: long enough that a seek is more than two posts could play."""
    return make_test_video(
        tmp_path_factory.mktemp("long-video") / "long.mp4", seconds=40.0, size="160x90"
    )


@pytest.fixture
def long_lesson(app, make_course, long_video_file):
    """The first lesson of a published course, with a 40 s video."""
    first, _ = _lesson_ids(app, make_course())
    _attach_video(app, first, long_video_file)
    return first


def test_seeking_to_the_end_neither_completes_nor_lets_mark_done(
    app, client_as, streamer, long_lesson
):
    client = client_as(streamer)
    _post(client, long_lesson, 3.0, 1)
    skipped = _post(client, long_lesson, 39.5, 2)  # a seek: not playable between two posts

    assert skipped.json["completed"] is False
    assert skipped.json["watched_percent"] == 7
    assert skipped.json["can_mark_done"] is False
    assert "you have watched 7%, 90% is needed" in skipped.json["watch_note"]
    page = client.get(f"/courses/lessons/{long_lesson}").text
    assert "data-mark-done-button disabled" in page
    assert "Watch 0:33 more of the video to finish this lesson" in page

    refused = client.post(f"/courses/lessons/{long_lesson}/done", follow_redirects=True)
    assert "Watch 0:33 more of the video to finish this lesson" in refused.text
    assert "Lesson marked as done." not in refused.text
    row = _progress(app, streamer, long_lesson)
    assert row.completed_at is None
    assert row.watched_ranges == [[0.0, 3.0]]


def test_watching_played_steps_completes_and_rewatching_counts_once(
    app, client_as, streamer, long_lesson
):
    client = client_as(streamer)
    for seq, position in enumerate((10.0, 20.0, 10.0, 20.0, 30.0), start=1):
        report = _post(client, long_lesson, position, seq).json
    assert report["watched_percent"] == 75  # 0–30 s, the rewatched 10–20 s once
    assert report["completed"] is False
    done = _post(client, long_lesson, 36.0, 6).json
    assert (done["watched_percent"], done["completed"], done["can_mark_done"]) == (90, True, True)
    page = client.get(f"/courses/lessons/{long_lesson}").text
    assert "data-mark-done-button disabled" not in page


def test_course_share_decides_when_a_video_lesson_may_be_marked_done(
    app, client_as, streamer, make_course, long_video_file
):
    course_id = make_course(watch_percent=20)
    first, second = _lesson_ids(app, course_id)
    _attach_video(app, first, long_video_file)
    client = client_as(streamer)
    _post(client, first, 6.0, 1)
    assert client.post(f"/courses/lessons/{first}/done").status_code == 302
    assert _progress(app, streamer, first).completed_at is None  # 15 % < 20 %
    assert _post(client, first, 8.0, 2).json["completed"] is True
    # A lesson without a video is unaffected.
    response = client.post(f"/courses/lessons/{second}/done", follow_redirects=True)
    assert "Lesson marked as done." in response.text


def test_watched_steps_are_judged_by_the_time_between_posts():
    assert played_step(10.0, 15.0, 5.0)
    assert played_step(10.0, 20.0, 5.0)  # 2× speed
    assert not played_step(10.0, 30.0, 5.0)  # a seek
    assert played_step(10.0, 70.0, 60.0)  # a background tab posts once a minute
    assert not played_step(10.0, 400.0, 3600.0)  # idle, then a seek
    assert not played_step(10.0, 5.0, 5.0)  # backwards
    assert add_range([[0.0, 5.0], [10.0, 12.0]], 4.0, 10.5) == [[0.0, 12.0]]


def test_completing_the_only_lesson_completes_the_course_and_issues_a_certificate(
    app, client_as, streamer, make_course, lesson_video_file
):
    course_id = make_course(lessons=("唯一一课",))
    (only,) = _lesson_ids(app, course_id)
    _attach_video(app, only, lesson_video_file)

    _post(client_as(streamer), only, VIDEO_SECONDS, 1)

    with app.app_context():
        assert db.session.scalar(select(Enrolment)).completed_at is not None
        assert db.session.scalar(select(Certificate)).user_id == streamer.id


def test_mark_as_done_completes_a_lesson_twice_harmlessly(app, client_as, streamer, video_course):
    _, _, second = video_course
    client = client_as(streamer)

    response = client.post(f"/courses/lessons/{second}/done", follow_redirects=True)
    done_at = _progress(app, streamer, second).completed_at
    client.post(f"/courses/lessons/{second}/done")

    assert "Lesson marked as done." in response.get_data(as_text=True)
    assert done_at is not None
    assert _progress(app, streamer, second).completed_at == done_at
    with app.app_context():
        assert db.session.scalar(select(Enrolment)).last_lesson_id == second


def test_progress_post_accepts_form_data_and_rejects_nonsense(client_as, streamer, video_course):
    _, first, _ = video_course
    client = client_as(streamer)

    form = client.post(f"/courses/lessons/{first}/progress", data={"position_s": "2.5", "seq": "1"})
    negative = _post(client, first, -3, 2)
    no_seq = client.post(f"/courses/lessons/{first}/progress", json={"position_s": 1})

    assert form.status_code == 200
    assert form.json["position_s"] == 2.5
    assert negative.status_code == 400
    assert no_seq.status_code == 400
    assert "seq" in json.loads(no_seq.data)["errors"]


def test_progress_posts_are_rate_limited_per_user(client_as, streamer, video_course):
    _, first, _ = video_course
    client = client_as(streamer)

    codes = [_post(client, first, 1.0, seq).status_code for seq in range(1, 32)]

    assert codes[:30] == [200] * 30
    assert codes[30] == 429


def test_home_page_offers_to_continue_where_the_learner_left_off(
    app, client_as, streamer, video_course
):
    _, first, second = video_course
    client = client_as(streamer)
    _post(client, first, 4.0, 1)

    html = client.get("/").get_data(as_text=True)

    assert "Continue where you left off" in html
    assert "拍摄与布光" in html
    assert "at 0:04.0 of 0:10" in html  # m:ss.s, as every timecode
    assert f'href="/courses/lessons/{first}"' in html

    assert _post(client, first, 9.5, 2).json["completed"] is True  # watched to the end
    html = client.get("/").get_data(as_text=True)
    assert "next lesson" in html
    assert f'href="/courses/lessons/{second}"' in html

    client.post(f"/courses/lessons/{second}/done")  # the course is complete now
    assert "Continue where you left off" not in client.get("/").get_data(as_text=True)


def test_home_page_of_a_new_streamer_has_no_continue_box_but_a_courses_link(client_as, streamer):
    html = client_as(streamer).get("/").get_data(as_text=True)

    assert "Continue where you left off" not in html
    assert 'href="/courses/"' in html


def test_other_learners_progress_is_their_own(app, client_as, streamer, make_user, video_course):
    _, first, _ = video_course
    other = make_user(streamer.role)
    _post(client_as(streamer), first, 8.0, 3)

    html = client_as(other).get(f"/courses/lessons/{first}").get_data(as_text=True)
    response = _post(client_as(other), first, 1.0, 1)

    assert 'data-resume-at="0"' in html
    assert response.json["accepted"] is True
    assert _progress(app, streamer, first).position_s == 8.0
    with app.app_context():
        assert db.session.get(User, other.id) is not None


def test_lesson_page_shows_the_quiz_and_practice_panels(app, client_as, streamer, make_course):
    course_id = make_course(quiz_on=(0,), practice_on=(1,))
    first, second = _lesson_ids(app, course_id)
    client = client_as(streamer)

    quiz_page = client.get(f"/courses/lessons/{first}")
    practice_page = client.get(f"/courses/lessons/{second}")

    assert quiz_page.status_code == 200
    assert f'href="/courses/lessons/{first}/quiz"' in quiz_page.get_data(as_text=True)
    assert practice_page.status_code == 200
    assert "录一段 60 秒的翡翠手镯介绍。" in practice_page.get_data(as_text=True)
