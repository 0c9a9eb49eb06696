"""Course authoring files over HTTP: cover images, lesson attachments, extra caption tracks."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from courses.models import Course, Lesson, LessonAttachment, LessonCaption
from portal.audit.models import AuditEvent
from portal.extensions import db
from tests.portal.helpers import is_private

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nWelcome to the jade stream.\n"


@pytest.fixture
def app_config():
    return {"BABEL_DEFAULT_LOCALE": "en"}


@pytest.fixture
def staff(client_as, trainer):
    return client_as(trainer)


def image_bytes(size=(2400, 1200), fmt="PNG", mode="RGBA") -> bytes:
    picture = Image.new(mode, size, (31, 122, 90, 128) if mode == "RGBA" else (31, 122, 90))
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    return buffer.getvalue()


def files_in(app, folder: str) -> list[Path]:
    root = Path(app.config["MEDIA_ROOT"]) / "courses" / folder
    return sorted(p for p in root.iterdir() if p.is_file()) if root.exists() else []


def course_of(app, course_id):
    with app.app_context():
        course = db.session.get(Course, course_id)
        db.session.expunge(course)
        return course


def first_lesson(app, course_id) -> int:
    with app.app_context():
        return db.session.get(Course, course_id).modules[0].lessons[0].id


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def office_file(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()


# Covers


def test_cover_is_reencoded_to_capped_jpeg_and_served(app, staff, client_as, streamer):
    response = staff.post(
        "/courses/manage/new",
        data={
            "title": "Covered",
            "level": "beginner",
            "cover": (io.BytesIO(image_bytes()), "c.png"),
        },
    )
    assert response.status_code == 302
    course_id = int(response.location.rsplit("/", 1)[-1])
    course = course_of(app, course_id)
    (stored,) = files_in(app, "covers")
    assert stored.name == course.cover_name
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", stored.name)
    with Image.open(stored) as picture:
        assert (picture.format, picture.size, picture.mode) == ("JPEG", (1600, 800), "RGB")
        # Half-transparent green is flattened onto white, not black.
        assert min(picture.getpixel((10, 10))) > 120

    page = staff.get(f"/courses/manage/{course_id}").text
    cover_url = re.search(r'src="(/courses/manage/\d+/cover\?v=[0-9a-f]{8})"', page).group(1)
    served = staff.get(cover_url)
    assert served.status_code == 200
    assert is_private(served)
    assert served.mimetype == "image/jpeg"
    assert served.data == stored.read_bytes()
    # Learners see a published course's cover only.
    learner = client_as(streamer)
    assert learner.get(cover_url).status_code == 404
    with app.app_context():
        db.session.get(Course, course_id).status = "published"
        db.session.commit()
    assert learner.get(cover_url).status_code == 200
    assert is_private(learner.get(cover_url))


def test_non_image_cover_is_refused_leaving_no_file_or_row(app, staff):
    for data, name in ((b"%PDF-1.4 not a picture", "cover.png"), (b"", "empty.jpg")):
        response = staff.post(
            "/courses/manage/new",
            data={"title": "Nope", "level": "beginner", "cover": (io.BytesIO(data), name)},
        )
        assert response.status_code == 200
        assert "This file is not a readable image." in response.text
        assert 'id="course-form"' in response.text
    assert count(app, Course) == 0
    assert files_in(app, "covers") == []


def test_tiff_and_oversized_covers_are_refused(app, staff, make_course):
    course_id = make_course(published=False)
    tiff = staff.post(
        f"/courses/manage/{course_id}/edit",
        data={
            "title": "T",
            "level": "beginner",
            "cover": (io.BytesIO(image_bytes((20, 20), fmt="TIFF")), "c.tif"),
        },
    )
    assert "Upload a JPEG, PNG, WebP or GIF image." in tiff.text
    app.config["MAX_IMAGE_BYTES"] = 1000
    big = staff.post(
        f"/courses/manage/{course_id}/edit",
        data={"title": "T", "level": "beginner", "cover": (io.BytesIO(image_bytes()), "c.png")},
    )
    assert "The image is larger than 0.0 MB." in big.text
    assert course_of(app, course_id).title != "T"
    assert files_in(app, "covers") == []


def test_new_cover_replaces_old_file_and_cover_can_be_removed(app, staff, make_course):
    course_id = make_course(published=False)
    for _ in range(2):
        staff.post(
            f"/courses/manage/{course_id}/edit",
            data={
                "title": "C",
                "level": "beginner",
                "cover": (io.BytesIO(image_bytes(fmt="PNG", mode="RGB")), "c.png"),
            },
        )
        (stored,) = files_in(app, "covers")
        assert stored.name == course_of(app, course_id).cover_name
    staff.post(
        f"/courses/manage/{course_id}/edit",
        data={"title": "C", "level": "beginner", "remove_cover": "y"},
    )
    assert course_of(app, course_id).cover_name == ""
    assert files_in(app, "covers") == []
    assert staff.get(f"/courses/manage/{course_id}/cover").status_code == 404


# Attachments


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("讲义.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("light.PNG", None, "image/png"),
        ("checklist.txt", "灯光 checklist\n".encode(), "text/plain"),
        ("plan.docx", office_file("word"), "wordprocessingml.document"),
        ("prices.xlsx", office_file("xl"), "spreadsheetml.sheet"),
        ("deck.pptx", office_file("ppt"), "presentationml.presentation"),
        ("assets.zip", office_file("anything"), "application/zip"),
    ],
)
def test_trainer_adds_allowed_attachment_and_downloads_it(
    app, staff, make_course, name, data, content_type
):
    data = data if data is not None else image_bytes((20, 20), mode="RGB")
    lesson_id = first_lesson(app, make_course(published=False))
    response = staff.post(
        f"/courses/manage/lessons/{lesson_id}/attachments",
        data={"file": (io.BytesIO(data), name)},
    )
    assert response.status_code == 302
    assert response.location.endswith("#attachments")
    (stored,) = files_in(app, "attachments")
    assert stored.read_bytes() == data
    with app.app_context():
        attachment = db.session.scalars(select(LessonAttachment)).one()
        assert (attachment.filename, attachment.size_bytes) == (name, len(data))
        assert content_type in attachment.content_type
        assert attachment.stored_name == stored.name != name
        attachment_id = attachment.id
    page = staff.get(f"/courses/manage/lessons/{lesson_id}").text
    assert name in page
    download = staff.get(f"/courses/manage/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.data == data
    assert is_private(download)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "This kind of file is not allowed. Allowed: pdf, jpg"),
        ("page.html", b"<script>alert(1)</script>", "This kind of file is not allowed."),
        (
            "fake.pdf",
            b"<html>not a pdf</html>",
            "The file&#39;s content does not match its kind (.pdf).",
        ),
        ("fake.docx", b"PK\x03\x04 broken", "does not match its kind (.docx)"),
        ("other.docx", office_file("xl"), "does not match its kind (.docx)"),
        ("binary.txt", b"\xff\xfe\x00\x01", "does not match its kind (.txt)"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_refused_attachment_leaves_no_file_or_row(app, staff, make_course, name, data, message):
    lesson_id = first_lesson(app, make_course(published=False))
    response = staff.post(
        f"/courses/manage/lessons/{lesson_id}/attachments",
        data={"file": (io.BytesIO(data), name)},
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'id="attachment-form"' in response.text
    assert count(app, LessonAttachment) == 0
    assert files_in(app, "attachments") == []
    assert not any(
        p.name.endswith(".part")
        for p in (Path(app.config["MEDIA_ROOT"]) / "courses" / "attachments").glob(".*")
    )


def test_attachment_over_20_mb_is_refused(app, staff, make_course):
    lesson_id = first_lesson(app, make_course(published=False))
    data = b"%PDF-1.7\n" + b"0" * (20 * 1024**2)
    response = staff.post(
        f"/courses/manage/lessons/{lesson_id}/attachments",
        data={"file": (io.BytesIO(data), "big.pdf")},
    )
    assert "The file is larger than 20.0 MB." in response.text
    assert count(app, LessonAttachment) == 0
    assert files_in(app, "attachments") == []


def test_missing_file_shows_error_in_place(app, staff, make_course):
    lesson_id = first_lesson(app, make_course(published=False))
    response = staff.post(f"/courses/manage/lessons/{lesson_id}/attachments", data={})
    assert response.status_code == 200
    assert "Choose a file." in response.text


def test_trainer_deletes_attachment_and_its_file(app, staff, make_course):
    lesson_id = first_lesson(app, make_course(published=False))
    staff.post(
        f"/courses/manage/lessons/{lesson_id}/attachments",
        data={"file": (io.BytesIO(b"%PDF-1.7"), "a.pdf")},
    )
    with app.app_context():
        attachment_id = db.session.scalars(select(LessonAttachment.id)).one()
    response = staff.post(f"/courses/manage/attachments/{attachment_id}/delete")
    assert response.location == f"/courses/manage/lessons/{lesson_id}#attachments"
    assert count(app, LessonAttachment) == 0
    assert files_in(app, "attachments") == []
    assert staff.get(f"/courses/manage/attachments/{attachment_id}").status_code == 404
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"course.attachment_added", "course.attachment_deleted"} <= set(actions)


def test_deleting_a_lesson_or_course_removes_attachment_files(app, staff, make_course):
    course_id = make_course(lessons=("一", "二"), published=False)
    with app.app_context():
        first, second = (
            lesson.id for lesson in db.session.get(Course, course_id).modules[0].lessons
        )
    for lesson_id in (first, second):
        staff.post(
            f"/courses/manage/lessons/{lesson_id}/attachments",
            data={"file": (io.BytesIO(b"hello"), "a.txt")},
        )
    assert len(files_in(app, "attachments")) == 2
    staff.post(f"/courses/manage/lessons/{first}/delete")
    assert len(files_in(app, "attachments")) == 1
    staff.post(f"/courses/manage/{course_id}/delete", data={"submit": "1"})
    assert files_in(app, "attachments") == []
    assert count(app, Lesson) == 0


# Extra caption tracks


def test_trainer_uploads_english_track_then_replaces_and_removes_it(app, staff, make_course):
    lesson_id = first_lesson(app, make_course(published=False))
    url = f"/courses/manage/lessons/{lesson_id}/tracks"
    response = staff.post(
        url, data={"language": "en", "file": (io.BytesIO(("\ufeff" + VTT).encode()), "en.vtt")}
    )
    assert response.status_code == 302
    assert response.location.endswith("#captions")
    served = staff.get(f"{url}/en.vtt")
    assert served.mimetype == "text/vtt"
    assert served.text == VTT
    replaced = VTT.replace("Welcome", "Hello")
    staff.post(url, data={"language": "en", "file": (io.BytesIO(replaced.encode()), "en2.vtt")})
    with app.app_context():
        tracks = db.session.scalars(select(LessonCaption)).all()
        assert [(t.language, t.vtt) for t in tracks] == [("en", replaced)]
    page = staff.get(f"/courses/manage/lessons/{lesson_id}").text
    assert f'href="{url}/en.vtt"' in page
    staff.post(f"{url}/en/delete")
    assert count(app, LessonCaption) == 0
    assert staff.get(f"{url}/en.vtt").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"1\n00:00:00,000 --> 00:00:02,000\nSRT, not VTT\n", "the first line must be WEBVTT"),
        (b"WEBVTTX\n\n00:00:00.000 --> 00:00:01.000\nx\n", "the first line must be WEBVTT"),
        ("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n翡翠\n".encode("gb18030"), "must be UTF-8"),
        (b"WEBVTT\n\nno cues here\n", "The caption file has no timed captions."),
        (b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n" + b"a" * 1024**2, "larger than 1024 KB"),
    ],
)
def test_bad_caption_track_is_refused_in_place(app, staff, make_course, data, message):
    lesson_id = first_lesson(app, make_course(published=False))
    response = staff.post(
        f"/courses/manage/lessons/{lesson_id}/tracks",
        data={"language": "en", "file": (io.BytesIO(data), "en.vtt")},
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'id="track-form"' in response.text
    assert count(app, LessonCaption) == 0


def test_caption_track_language_must_be_offered(app, staff, make_course):
    lesson_id = first_lesson(app, make_course(published=False))
    response = staff.post(
        f"/courses/manage/lessons/{lesson_id}/tracks",
        data={"language": "fr", "file": (io.BytesIO(VTT.encode()), "fr.vtt")},
    )
    assert "Not a valid choice." in response.text
    assert count(app, LessonCaption) == 0
    assert staff.get(f"/courses/manage/lessons/{lesson_id}/tracks/fr.vtt").status_code == 404
