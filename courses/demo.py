"""The demo starter course "直播短视频制作入门" (part of ``flask beltcast demo-data``).

Six lessons in three modules, each with Chinese notes for a jade merchant new to video, quizzes on
most lessons, a practice assignment, and a short generated lesson video: an ffmpeg test pattern
under a title card drawn with the CJK font, with Mandarin speech by espeak-ng when it is installed
(else a quiet sine tone). Videos are made once and cached (``demo_video_cache``); each is added
with ``courses.videos.add_video_from_file``, which queues its transcription for the worker.
Loading is idempotent: a second run changes nothing; a run after a failed video fills it in.
Test apps get the course without videos unless they set ``DEMO_COURSE_VIDEOS`` (``wants_videos``).
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from courses import videos
from courses.covers import store_cover
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
MIN_VIDEO_S, MAX_VIDEO_S, TONE_VIDEO_S = 20.0, 40.0, 24.0
VIDEO_VERSION = "3"  # bump to make cached videos again after changing how they are drawn
TOOL_TIMEOUT_S = 180
FOOTER = "Beltcast 直播基地 · 新主播培训"
COVER_LINE = "6 节课 · 布光 收音 构图 讲解 剪辑 合规"
VOICES = ("cmn-latn-pinyin", "cmn")  # espeak-ng Mandarin voices, best first

COURSE_DESCRIPTION = """\
写给第一次拍视频的珠宝商家和新主播：六节短课，从布光、收音、竖屏构图，到讲解一件翡翠、\
剪辑加字幕和合规用语。

每节课有一段短视频和要点笔记，大部分课后有小测验；"讲解一件翡翠"需要交一段练习视频，\
由培训师点评。全部完成后获得结业证书。"""

S, M, TF = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE

# A question: (kind, prompt, choices as (text, is_correct), explanation). True/false questions
# list the one answer that is right: ((对|错, True),).
Question = tuple[QuestionKind, str, tuple[tuple[str, bool], ...], str]


@dataclass(frozen=True)
class DemoLesson:
    """One lesson of the demo course."""

    title: str
    notes: str
    script: str  # what the lesson video says
    questions: tuple[Question, ...] = ()
    practice: str = ""


LIGHTING = DemoLesson(
    "拍摄与布光",
    """## 光线决定翡翠好不好看

- **主光**放在侧前方约 45 度，用柔光箱或隔一层白布，避免硬光在镯子上留下刺眼的白点。
- **补光**放在另一侧，亮度约为主光的一半，让阴影变浅但不消失，玉的立体感才出来。
- 展示种水时，在翡翠**背后或下方**加一盏小灯透光，观众能看清透明度。
- 白平衡固定在 5000–5600K，关掉手机美颜和滤镜：颜色要和实物一致，否则容易引起退货和投诉。
- 手机放在稳定的支架上，开拍前把镜头擦干净。
""",
    "第一课，拍摄与布光。主光放在侧前方四十五度，用柔光。补光在另一侧，亮度大约一半。"
    "展示种水时，在翡翠后面加一盏小灯透光。关掉美颜和滤镜，颜色要和实物一致。",
    (
        (S, "主光放在什么位置比较合适？",
         (("侧前方约 45 度", True), ("翡翠正后方", False), ("头顶正上方直射", False)),
         "侧前方的柔光能照出翡翠的立体感，又不会在表面留下刺眼的光斑。"),
        (TF, "为了让翡翠看起来更绿，可以打开手机美颜和滤镜。", (("错", True),),
         "滤镜会让颜色和实物不一致，观众收到货会觉得货不对板。"),
        (M, "展示种水时，哪些做法有帮助？",
         (("在翡翠背后加灯透光", True), ("慢慢转动手镯", True), ("用硬光直射正面", False),
          ("开拍前擦干净镜头", True)),
         "透光和转动让观众看清透明度，干净的镜头保证清晰；硬光直射只会反光。"),
    ),
)  # fmt: skip

SOUND = DemoLesson(
    "收音",
    """## 声音清楚，观众才愿意听下去

- 用**领夹麦**，夹在领口下方一拳处，离嘴 15–20 厘米；手机自带麦离得远，容易收进回声和杂音。
- 开播前关掉空调、风扇，关好门窗；有窗帘、地毯的房间回声更小。
- 先录 10 秒试听：音量不要忽大忽小，人声要清楚地盖过背景音乐。
- 背景音乐压低到人声的三分之一以下，讲到重点时可以暂停音乐。
- 手镯轻碰的声音可以保留一点，显得真实，但不要一直敲。
""",
    "第二课，收音。用领夹麦，离嘴十五到二十厘米。开播前关掉空调和风扇，拉上窗帘。"
    "先录十秒试听。背景音乐要比人声小很多，讲重点时可以暂停音乐。",
    (
        (S, "领夹麦离嘴多远比较合适？",
         (("15–20 厘米", True), ("1 米以外", False), ("贴着嘴唇", False)),
         "太远会收进回声和杂音，太近会有喷麦声；一拳左右最稳。"),
        (M, "开播前怎样减少噪音和回声？",
         (("关掉空调和风扇", True), ("拉上窗帘、铺上地毯", True),
          ("把背景音乐开大，盖住杂音", False), ("先录 10 秒试听", True)),
         "先去掉噪音来源，再用软装吸收回声；音乐开大只会让人声听不清。"),
        (TF, "背景音乐应该比人声更响，气氛更好。", (("错", True),),
         "观众是来听讲解的，音乐只做陪衬，要明显小于人声。"),
    ),
)  # fmt: skip

FRAMING = DemoLesson(
    "竖屏构图",
    """## 为手机屏幕拍：9:16 竖屏

- 画面比例设为 **9:16**，分辨率 1080×1920；观众在手机上看，不用把手机横过来。
- 人物和商品放在画面**中间偏上**，底部三分之一会被标题、字幕和购物车挡住。
- 拍特写时翡翠占画面一半以上，手要稳，慢慢转动，让观众看清颜色和水头。
- 背景简单干净：深色绒布衬托浅色翡翠，浅色背景衬托深色和田玉。
- 每个镜头先给全景，再推近到细节，观众知道自己在看什么。
""",
    "第三课，竖屏构图。画面比例用九比十六。人物和商品放在画面中间偏上，"
    "底部会被字幕和购物车挡住。拍特写时，翡翠占画面一半以上，手要稳。",
    (
        (S, "短视频用哪种画面比例？",
         (("9:16 竖屏", True), ("16:9 横屏", False), ("4:3", False)),
         "观众竖着拿手机看，9:16 能占满整个屏幕。"),
        (S, "为什么商品不要放在画面最下方？",
         (("底部会被标题、字幕和购物车挡住", True), ("底部的画质更差", False),
          ("平台不允许", False)),
         "画面底部三分之一常被界面元素遮住，重要内容放在中间偏上。"),
        (TF, "拍特写时，翡翠最好占画面一半以上。", (("对", True),),
         "特写就是让观众看清细节，商品太小就看不出种水和颜色。"),
        (M, "哪些背景搭配合适？",
         (("深色绒布衬托浅色翡翠", True), ("浅色背景衬托深色和田玉", True),
          ("花色很多的桌布", False)),
         "背景和商品要有明暗对比，花哨的背景会抢走注意力。"),
    ),
)  # fmt: skip

PRESENTING = DemoLesson(
    "讲解一件翡翠",
    """## 一分钟讲清一只手镯

按这个顺序讲，观众容易听懂、记住：

1. **是什么**：品种、颜色、圈口，例如"冰种飘花手镯，圈口 56"。
2. **看种水**：打光透过去，说明透明度和质地。
3. **看瑕疵**：主动指出石纹、棉絮，讲清楚为什么不影响佩戴。
4. **有证书**：把证书编号拍清楚，告诉观众可以在检测机构官网查询。
5. **适合谁**：日常佩戴还是送长辈，给出具体的场景。

不要只说"好看、漂亮"，要让观众自己看到、听懂。
""",
    "第四课，讲解一件翡翠。按顺序讲：是什么，看种水，看瑕疵，有证书，适合谁。"
    "主动说出瑕疵，观众更信任你。不要只说好看，要让观众看到、听懂。",
    practice=(
        "录一段 60 秒的翡翠手镯介绍：按\u201c是什么、看种水、看瑕疵、有证书、适合谁\u201d的顺序讲，"
        "竖屏拍摄，用领夹麦收音，开头 3 秒给手镯特写。不要使用\u201c最、第一\u201d等绝对化用语。"
    ),
)

EDITING = DemoLesson(
    "剪辑与字幕",
    """## 剪短、剪准，再加字幕

- 开头 3 秒直接给最好看的画面，不要从"大家好"开始。
- 剪掉停顿、口误和重复的话，一条讲解短视频控制在 30–60 秒。
- **一定要加字幕**：很多观众静音刷视频。字幕放在画面中下部，避开购物车区域，每行不超过 15 个字。
- 字幕里的品种、价格、证书编号要逐字核对，写错了会被当作虚假宣传。
- 导出 1080×1920、30 帧，发布前在手机上从头到尾看一遍。
""",
    "第五课，剪辑与字幕。开头三秒给最好看的画面。剪掉停顿和口误，控制在三十到六十秒。"
    "一定要加字幕，品种、价格和证书编号要逐字核对。",
    (
        (S, "一条讲解短视频一般控制在多长？",
         (("30–60 秒", True), ("5 分钟以上", False), ("10 秒以内", False)),
         "太短讲不清，太长观众会划走；一分钟左右最合适。"),
        (TF, "很多观众静音刷视频，所以字幕一定要加。", (("对", True),),
         "没有字幕，静音的观众完全不知道你在讲什么。"),
        (M, "字幕里哪些内容要逐字核对？",
         (("品种", True), ("价格", True), ("证书编号", True), ("背景音乐的名字", False)),
         "品种、价格和证书写错会误导观众，可能被判定为虚假宣传。"),
        (S, "开头 3 秒应该放什么？",
         (("最好看的商品画面", True), ("“大家好”的问候", False), ("很长的片头动画", False)),
         "观众在前 3 秒决定要不要继续看，先给最吸引人的画面。"),
    ),
)  # fmt: skip

COMPLIANCE = DemoLesson(
    "合规用语",
    """## 说真话，不夸大

- 不用**绝对化用语**：最、第一、顶级、国家级、全网最低价。
- 不做**功效承诺**：翡翠不能"治病""保健""转运"。
- 不引导**站外交易**：不说"加微信""私下转账"，订单都在直播间完成。
- 说"A货""天然"时，必须有对应的检测证书，并把证书展示给观众。
- 价格以购物车为准，不说"原价十万，今天一千"这类无法证明的对比价。

拿不准的说法，先问培训师，或者在审核页面看合规提示。
""",
    "第六课，合规用语。不说最、第一、顶级、全网最低价。不说翡翠能治病、保健。"
    "不引导观众加微信。说A货的时候，要把检测证书展示给观众。",
    (
        (M, "下面哪些是不能说的绝对化用语？",
         (("全网最低价", True), ("顶级", True), ("国家级", True), ("颜色均匀", False)),
         "绝对化用语无法证明，广告法明令禁止；描述颜色、种水是可以的。"),
        (TF, "可以告诉观众，戴翡翠能治病、保健。", (("错", True),),
         "珠宝不是药品，功效承诺属于虚假宣传。"),
        (S, "观众说想加微信私下买，应该怎么回答？",
         (("请在直播间下单，有售后保障", True), ("直接报出微信号", False),
          ("私信发收款码", False)),
         "站外交易平台不保障，也违反平台规则；订单都在直播间完成。"),
        (TF, "说\u201cA货\u201d时，需要有对应的检测证书。", (("对", True),),
         "\u201cA货\u201d是对天然翡翠的鉴定结论，要有证书支持，并展示给观众。"),
    ),
)  # fmt: skip

MODULES: tuple[tuple[str, tuple[DemoLesson, ...]], ...] = (
    ("第一单元 拍摄基础", (LIGHTING, SOUND)),
    ("第二单元 画面与讲解", (FRAMING, PRESENTING)),
    ("第三单元 剪辑与合规", (EDITING, COMPLIANCE)),
)
LESSONS = tuple(lesson for _title, lessons in MODULES for lesson in lessons)
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
        position=position, title=spec.title, notes_md=spec.notes,
        practice_prompt=spec.practice, quiz=quiz,
    )  # fmt: skip


def find_demo_course() -> Course | None:
    """Return the demo course if it was loaded."""
    return db.session.scalar(select(Course).where(Course.title == COURSE_TITLE).limit(1))


def _ensure_course() -> Iterator[str]:
    if find_demo_course() is not None:
        return
    trainer = find_user_by_email(TRAINER_EMAIL)
    modules = [
        CourseModule(position=index, title=title,
                     lessons=[_lesson(n, spec) for n, spec in enumerate(lessons)])
        for index, (title, lessons) in enumerate(MODULES)
    ]  # fmt: skip
    course = Course(
        title=COURSE_TITLE, description=COURSE_DESCRIPTION, level=CourseLevel.BEGINNER,
        status=CourseStatus.PUBLISHED, published_at=utcnow(),
        created_by_id=trainer.id if trainer else None, modules=modules,
    )  # fmt: skip
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


def _speak(text: str, wav: Path) -> float | None:
    """Speak ``text`` in Mandarin into ``wav``; return its length in seconds, None without TTS.

    espeak-ng's ``cmn-latn-pinyin`` voice pronounces characters its ``cmn`` voice spells out in
    English (第, 音 ...); older espeak-ng without it falls back to ``cmn``.
    """
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return None
    for voice in VOICES:
        command = [espeak, "-v", voice, "-s", "140", "-w", str(wav), text]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TOOL_TIMEOUT_S)
        except subprocess.CalledProcessError:
            if voice == VOICES[-1]:
                raise
            continue
        break
    with wave.open(str(wav), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


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
    subprocess.run([ffmpeg_bin, "-nostdin", "-hide_banner", "-loglevel", "error", *args],
                   check=True, capture_output=True, timeout=TOOL_TIMEOUT_S)  # fmt: skip


def _keep(made: Path, dest: Path) -> None:
    """Move a finished file into the cache (another process may make the same one at once)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    temporary = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.part")
    shutil.move(made, temporary)
    temporary.replace(dest)


def make_lesson_video(number: int, spec: DemoLesson, dest: Path) -> bool:
    """Render the lesson's video into ``dest``; return whether it has speech (else a tone)."""
    ffmpeg_bin, font = _tools()
    with tempfile.TemporaryDirectory(prefix="beltcast-demo-") as folder:
        work = Path(folder)
        speech_s = _speak(spec.script, work / "speech.wav")
        if speech_s is None:
            seconds = TONE_VIDEO_S
            inputs, audio = [], f"sine=frequency=440:duration={seconds},volume=0.05[a]"
        else:
            seconds = min(max(speech_s + 1.5, MIN_VIDEO_S), MAX_VIDEO_S)
            inputs = ["-protocol_whitelist", PROTOCOL_WHITELIST,
                      "-i", f"file:{(work / 'speech.wav').resolve()}"]  # fmt: skip
            audio = "[0:a]apad[a]"
        video = (
            f"testsrc2=size={VIDEO_SIZE}:rate={VIDEO_FPS}:duration={seconds},"
            f"{_card_filters(_lesson_card(number, spec), font, work)}[v]"
        )
        _ffmpeg(
            ffmpeg_bin, *inputs, "-filter_complex", f"{video};{audio}",
            "-map", "[v]", "-map", "[a]", "-t", f"{seconds:.2f}",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", f"file:{work / 'video.mp4'}",
        )  # fmt: skip
        _keep(work / "video.mp4", dest)
    return speech_s is not None


def make_cover(dest: Path) -> None:
    """Draw the course cover (1280 x 720 JPEG) into ``dest``."""
    ffmpeg_bin, font = _tools()
    with tempfile.TemporaryDirectory(prefix="beltcast-demo-") as folder:
        work = Path(folder)
        card = _card_filters(_cover_card(), font, work)
        picture = f"testsrc2=size=1280x720:rate=1:duration=1,{card}[v]"
        _ffmpeg(ffmpeg_bin, "-filter_complex", picture, "-map", "[v]", "-frames:v", "1",
                "-q:v", "3", f"file:{work / 'cover.jpg'}")  # fmt: skip
        _keep(work / "cover.jpg", dest)


def _cached_video(number: int, spec: DemoLesson) -> tuple[Path, str]:
    """Return the lesson's video file (made now unless cached) and how it was obtained."""
    speaks = shutil.which("espeak-ng") is not None
    key = "\n".join((VIDEO_VERSION, str(number), spec.title, spec.script, str(speaks)))
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
    if missing and shutil.which("espeak-ng") is None:
        yield "espeak-ng not found: lesson videos get a quiet sine tone instead of speech"
    trainer = find_user_by_email(TRAINER_EMAIL)
    for lesson in missing:
        number, spec = specs[lesson.title]
        try:
            path, how = _cached_video(number, spec)
            recording = videos.add_video_from_file(
                trainer, path, f"{COURSE_TITLE} · {lesson.title}", "zh"
            )
        except (OSError, subprocess.SubprocessError, FontNotFoundError, ServiceError) as exc:
            db.session.rollback()
            yield f"lesson video {number} {lesson.title} not made: {exc}"
            continue
        lesson.recording_id = recording.id
        db.session.commit()
        yield f"lesson video {number} {lesson.title} added ({how}), transcription queued"


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
