"""The demo starter course "直播短视频制作入门" (part of ``flask beltcast demo-data``).

Six lessons in three modules (content in ``courses.demo_content``): Chinese notes for a jade
merchant new to video, quizzes on most lessons, a practice assignment, and a short generated lesson
video: an ffmpeg test pattern under a title card drawn with the CJK font, with the lesson's Mandarin
narration (``demo_narration/<key>.ogg``, real speech that Whisper recognises; a quiet sine tone if
the file is missing). Videos are made once and cached (``demo_video_cache``); each is added
with ``courses.videos.add_video_from_file`` and captioned from its narration script with its
known sentence times (``courses.videos.caption_from_script``): recognising the synthetic speech
gives near misses (煮光 for 主光) that a course about checking captions must not show.
Loading is idempotent: a second run changes nothing; a run after a failed video fills it in.
Test apps get the course without videos unless they set ``DEMO_COURSE_VIDEOS`` (``wants_videos``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from courses import videos
from courses.covers import store_cover
from courses.demo_content import COURSE_DESCRIPTION, LESSONS, MODULES, DemoLesson, Question
from courses.models import (
    Course,
    CourseLevel,
    CourseModule,
    CourseStatus,
    Lesson,
    QuestionKind,
    Quiz,
    QuizChoice,
    QuizQuestion,
)
from courses.signals import course_changed
from media.ffmpeg import PROTOCOL_WHITELIST, find_ffmpeg
from media.render.fonts import FontNotFoundError, find_subtitle_font
from portal.auth.services import find_user_by_email
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db

COURSE_TITLE = "直播短视频制作入门"
TRAINER_EMAIL = "trainer@beltcast.example"
VIDEO_SIZE, VIDEO_FPS = "640x360", 15
LEAD_S, TAIL_S = 1.0, 1.5  # the title card alone before the narration starts and after it ends
TONE_VIDEO_S = 24.0  # a lesson whose narration file is missing
VIDEO_VERSION = "4"  # bump to make cached videos again after changing how they are drawn
TOOL_TIMEOUT_S = 180
FOOTER = "Beltcast 直播基地 · 新主播培训"
COVER_LINE = "6 节课 · 布光 收音 构图 讲解 剪辑 合规"
NARRATION_DIR = Path(__file__).resolve().parent / "demo_narration"
NARRATION_INDEX = NARRATION_DIR / "narration.json"

PASS_PERCENT = 60
MAX_ATTEMPTS = 3


def _question(position: int, spec: Question) -> QuizQuestion:
    kind, prompt, rows, explanation = spec
    if kind == QuestionKind.TRUE_FALSE:
        is_true = rows[0][0] == "对"
        rows = (("对", is_true), ("错", not is_true))
    else:  # the content lists the right answer first; learners should not see it there
        turn = len(prompt) % len(rows)
        rows = rows[turn:] + rows[:turn]
    choices = [
        QuizChoice(position=index, text=text, is_correct=correct)
        for index, (text, correct) in enumerate(rows)
    ]
    return QuizQuestion(
        position=position, kind=kind, prompt=prompt, explanation=explanation, choices=choices
    )


def _lesson(position: int, spec: DemoLesson) -> Lesson:
    quiz = None
    if spec.questions:
        questions = [_question(index, q) for index, q in enumerate(spec.questions)]
        quiz = Quiz(pass_percent=PASS_PERCENT, max_attempts=MAX_ATTEMPTS, questions=questions)
    return Lesson(
        position=position,
        title=spec.title,
        notes_md=spec.notes,
        practice_prompt=spec.practice,
        quiz=quiz,
    )


def find_demo_course() -> Course | None:
    """Return the demo course if it was loaded."""
    return db.session.scalar(select(Course).where(Course.title == COURSE_TITLE).limit(1))


def _ensure_course() -> Iterator[str]:
    if find_demo_course() is not None:
        return
    trainer = find_user_by_email(TRAINER_EMAIL)
    modules = [
        CourseModule(
            position=index,
            title=title,
            lessons=[_lesson(n, spec) for n, spec in enumerate(lessons)],
        )
        for index, (title, lessons) in enumerate(MODULES)
    ]
    course = Course(
        title=COURSE_TITLE,
        description=COURSE_DESCRIPTION,
        level=CourseLevel.BEGINNER,
        status=CourseStatus.PUBLISHED,
        published_at=utcnow(),
        created_by_id=trainer.id if trainer else None,
        modules=modules,
    )
    db.session.add(course)
    db.session.commit()
    course_changed.send(current_app._get_current_object(), course_id=course.id)
    quizzes = sum(1 for spec in LESSONS if spec.questions)
    yield (
        f"course {COURSE_TITLE} created: {len(MODULES)} modules, {len(LESSONS)} lessons, "
        f"{quizzes} quizzes, 1 practice assignment"
    )


def demo_video_cache() -> Path:
    """Return the folder generated lesson videos are kept in.

    The instance folder normally; test apps get a fresh instance folder each time, so they share
    one folder in the temporary directory instead and make the videos once.
    """
    if current_app.testing:
        return Path(tempfile.gettempdir()) / "beltcast-demo-videos"
    return Path(current_app.instance_path) / "demo" / "course-videos"


def _filter_path(path: Path) -> str:
    """Escape a path for an ffmpeg filter option value."""
    return str(path).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


@dataclass(frozen=True)
class Narration:
    """A lesson video's narration: the Ogg Opus file, its length and what it says."""

    path: Path
    duration_s: float
    sentences: tuple[str, ...]
    times: tuple[tuple[float, float], ...]  # each sentence's start and end in the file, seconds

    @property
    def text(self) -> str:
        """Everything the narration says, in order."""
        return "".join(self.sentences)

    def caption_lines(self) -> list[tuple[float, float, str]]:
        """Return the script as captions of the lesson video (which starts ``LEAD_S`` earlier)."""
        return [
            (LEAD_S + start, LEAD_S + end, text)
            for (start, end), text in zip(self.times, self.sentences, strict=True)
        ]


def lesson_narration(spec: DemoLesson) -> Narration | None:
    """Return the lesson's narration, or None when its file (or the index) is missing."""
    try:
        index = json.loads(NARRATION_INDEX.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    entry = index.get(spec.narration)
    if entry is None or not (NARRATION_DIR / entry["file"]).is_file():
        return None
    sentences = tuple(sentence["text"] for sentence in entry["sentences"])
    times = tuple((float(line["start"]), float(line["end"])) for line in entry["sentences"])
    return Narration(NARRATION_DIR / entry["file"], float(entry["duration"]), sentences, times)


# A title card: per text, (the text, its drawtext size and position).
Card = dict[str, tuple[str, str]]


def _lesson_card(number: int, spec: DemoLesson) -> Card:
    return {
        "course": (COURSE_TITLE, "fontsize=22:x=(w-text_w)/2:y=44"),
        "number": (f"第 {number} 课", "fontsize=30:x=(w-text_w)/2:y=h/2-70"),
        "title": (spec.title, "fontsize=56:x=(w-text_w)/2:y=h/2-20"),
        "footer": (FOOTER, "fontsize=18:x=(w-text_w)/2:y=h-44"),
    }


def _cover_card() -> Card:
    return {
        "title": (COURSE_TITLE, "fontsize=96:x=(w-text_w)/2:y=h/2-110"),
        "lessons": (COVER_LINE, "fontsize=40:x=(w-text_w)/2:y=h/2+40"),
        "footer": (FOOTER, "fontsize=30:x=(w-text_w)/2:y=h-80"),
    }


def _card_filters(card: Card, font: Path, work: Path) -> str:
    """The drawtext chain of a title card (texts read from files: no escaping of Chinese)."""
    chain = ["drawbox=x=0:y=0:w=iw:h=ih:color=black@0.6:t=fill"]
    for key, (text, layout) in card.items():
        (work / f"{key}.txt").write_text(text, encoding="utf-8")
        source = _filter_path(work / f"{key}.txt")
        chain.append(
            f"drawtext=fontfile={_filter_path(font)}:textfile={source}:fontcolor=white:{layout}"
        )
    return ",".join(chain)


def _tools() -> tuple[str, Path]:
    """Return the ffmpeg binary and the CJK font file."""
    font = find_subtitle_font(current_app.config["SUBTITLE_FONT"] or None).font_file
    return find_ffmpeg(current_app.config["FFMPEG_BINARY"] or None), font


def _ffmpeg(ffmpeg_bin: str, *args: str) -> None:
    """Run ffmpeg quietly (no shell, no stdin, a timeout); raise if it fails."""
    subprocess.run(
        [ffmpeg_bin, "-nostdin", "-hide_banner", "-loglevel", "error", *args],
        check=True,
        capture_output=True,
        timeout=TOOL_TIMEOUT_S,
    )


def _keep(made: Path, dest: Path) -> None:
    """Move a finished file into the cache (another process may make the same one at once)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    temporary = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")
    shutil.move(made, temporary)
    temporary.replace(dest)


def make_lesson_video(number: int, spec: DemoLesson, dest: Path) -> bool:
    """Render the lesson's video into ``dest``; return whether it speaks (else a tone).

    The video lasts as long as the narration, with ``LEAD_S`` before it and ``TAIL_S`` after.
    """
    ffmpeg_bin, font = _tools()
    narration = lesson_narration(spec)
    with tempfile.TemporaryDirectory(prefix="beltcast-demo-") as folder:
        work = Path(folder)
        if narration is None:
            seconds = TONE_VIDEO_S
            inputs, audio = [], f"sine=frequency=440:duration={seconds},volume=0.05[a]"
        else:
            seconds = LEAD_S + narration.duration_s + TAIL_S
            inputs = ["-protocol_whitelist", PROTOCOL_WHITELIST, "-i", f"file:{narration.path}"]
            audio = f"[0:a]adelay={int(LEAD_S * 1000)}:all=1,apad,aresample=44100[a]"
        video = (
            f"testsrc2=size={VIDEO_SIZE}:rate={VIDEO_FPS}:duration={seconds},"
            f"{_card_filters(_lesson_card(number, spec), font, work)}[v]"
        )
        _ffmpeg(
            ffmpeg_bin,
            *inputs,
            "-filter_complex",
            f"{video};{audio}",
            "-map",
            "[v]",
            "-map",
            "[a]",
            "-t",
            f"{seconds:.2f}",
            "-ac",
            "1",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "30",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "64k",
            "-movflags",
            "+faststart",
            f"file:{work / 'video.mp4'}",
        )
        _keep(work / "video.mp4", dest)
    return narration is not None


def make_cover(dest: Path) -> None:
    """Draw the course cover (1280 x 720 JPEG) into ``dest``."""
    ffmpeg_bin, font = _tools()
    with tempfile.TemporaryDirectory(prefix="beltcast-demo-") as folder:
        work = Path(folder)
        card = _card_filters(_cover_card(), font, work)
        picture = f"testsrc2=size=1280x720:rate=1:duration=1,{card}[v]"
        _ffmpeg(
            ffmpeg_bin,
            "-filter_complex",
            picture,
            "-map",
            "[v]",
            "-frames:v",
            "1",
            "-q:v",
            "3",
            f"file:{work / 'cover.jpg'}",
        )
        _keep(work / "cover.jpg", dest)


def cached_lesson_video(number: int, spec: DemoLesson) -> tuple[Path, str]:
    """Return the lesson's video file (made now unless cached) and how it was obtained."""
    narration = lesson_narration(spec)
    sound = hashlib.sha256(narration.path.read_bytes()).hexdigest() if narration else "tone"
    key = "\n".join((VIDEO_VERSION, str(number), spec.title, sound))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    path = demo_video_cache() / f"lesson-{number}-{digest}.mp4"
    if path.is_file():
        return path, "cached"
    make_lesson_video(number, spec, path)
    return path, "made"


def _ensure_videos(course: Course) -> Iterator[str]:
    specs = {spec.title: (number, spec) for number, spec in enumerate(LESSONS, start=1)}
    missing = [
        lesson
        for module in course.modules
        for lesson in module.lessons
        if lesson.recording_id is None and lesson.title in specs
    ]
    trainer = find_user_by_email(TRAINER_EMAIL)
    for lesson in missing:
        number, spec = specs[lesson.title]
        if lesson_narration(spec) is None:
            yield f"narration {spec.narration} not found: lesson {number} gets a quiet tone"
        try:
            path, how = cached_lesson_video(number, spec)
            recording = videos.add_video_from_file(
                trainer, path, f"{COURSE_TITLE} · {lesson.title}", "zh"
            )
        except (OSError, subprocess.SubprocessError, FontNotFoundError, ServiceError) as exc:
            db.session.rollback()
            yield f"lesson video {number} {lesson.title} not made: {exc}"
            continue
        lesson.recording_id = recording.id
        db.session.commit()
        yield f"lesson video {number} {lesson.title} added ({how})"


def _ensure_captions(course: Course) -> Iterator[str]:
    """Caption each narrated lesson video with its script (recognition mishears it).

    The course teaches checking captions word by word, and search shows them to visitors: its
    own must be right. Videos already captioned from the script are left alone.
    """
    specs = {spec.title: (number, spec) for number, spec in enumerate(LESSONS, start=1)}
    for module in course.modules:
        for lesson in module.lessons:
            number, spec = specs.get(lesson.title, (0, None))
            narration = lesson_narration(spec) if spec else None
            if narration is None or lesson.recording_id is None:
                continue
            recording = videos.get_video_or_404(lesson.recording_id)
            if videos.captions_model(recording) == videos.SCRIPT_MODEL:
                continue
            if videos.caption_from_script(recording, narration.caption_lines()):
                yield f"lesson {number} {lesson.title}: captions written from its narration script"
            else:
                yield f"lesson {number} {lesson.title}: being transcribed, captions not written"


def _ensure_cover(course: Course) -> Iterator[str]:
    if course.cover_name:
        return
    path = demo_video_cache() / f"cover-{VIDEO_VERSION}.jpg"
    try:
        if not path.is_file():
            make_cover(path)
        with path.open("rb") as stream:
            course.cover_name = store_cover(stream, current_app.config["MAX_IMAGE_BYTES"])
    except (OSError, subprocess.SubprocessError, FontNotFoundError, ServiceError) as exc:
        yield f"course cover not made: {exc}"
        return
    db.session.commit()
    yield "course cover added"


def wants_videos() -> bool:
    """Tell whether to make lesson videos: always, except in test apps unless they ask.

    Many tests load the demo base as a fixture; a video each would queue six transcriptions
    that their job runs would then work through. ``DEMO_COURSE_VIDEOS=True`` asks for them.
    """
    return bool(current_app.config.get("DEMO_COURSE_VIDEOS", not current_app.testing))


def load_demo_course() -> Iterator[str]:
    """Create the demo course and whatever cover or video is missing; yield a line per change."""
    yield from _ensure_course()
    course = find_demo_course()
    if course is not None:
        yield from _ensure_cover(course)
        if wants_videos():
            yield from _ensure_videos(course)
            yield from _ensure_captions(course)
