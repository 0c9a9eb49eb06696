"""Forms of course authoring: course, module, lesson, ordering, lesson video, captions, files."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from courses.models import DEFAULT_WATCH_PERCENT, CourseLevel
from media.uploads.forms import upload_id_field
from portal.forms import multi_line, one_line

MAX_MARKDOWN_CHARS = 50_000


def level_choices() -> list[tuple[str, str]]:
    """Return the course levels with their labels."""
    return [
        (CourseLevel.BEGINNER, _l("Beginner")),
        (CourseLevel.INTERMEDIATE, _l("Intermediate")),
        (CourseLevel.ADVANCED, _l("Advanced")),
    ]


def video_language_choices() -> list[tuple[str, str]]:
    """Return the spoken languages a lesson video can be transcribed in."""
    return [
        ("zh", _l("Chinese (Mandarin)")),
        ("en", _l("English")),
        ("auto", _l("Detect automatically")),
    ]


def caption_language_choices() -> list[tuple[str, str]]:
    """Return the languages of extra caption tracks."""
    return [("en", _l("English")), ("zh", _l("Chinese (Mandarin)"))]


class CourseForm(FlaskForm):
    """A course's title, description, level and cover."""

    title = StringField(
        _l("Title"), filters=[one_line], validators=[DataRequired(), Length(max=200)]
    )
    description = TextAreaField(
        _l("Description"),
        filters=[multi_line],
        validators=[Length(max=MAX_MARKDOWN_CHARS)],
        description=_l("Markdown: **bold**, lists, links, tables."),
    )
    level = SelectField(_l("Level"), choices=level_choices(), default=CourseLevel.BEGINNER)
    watch_percent = IntegerField(
        _l("Share of a lesson video to watch (%)"),
        default=DEFAULT_WATCH_PERCENT,
        validators=[Optional(), NumberRange(min=0, max=100)],
        description=_l(
            "A lesson with a video counts as done once the learner has watched this much of it; "
            "skipped parts do not count. 0: any viewing counts; empty: 90."
        ),
    )
    cover = FileField(
        _l("Cover image"),
        description=_l("A JPEG, PNG or WebP picture; we store a copy at most 1600 px wide."),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )
    remove_cover = BooleanField(_l("Remove the cover"))
    submit = SubmitField(_l("Save"))


class TitleForm(FlaskForm):
    """A single title: add or rename a module, add a lesson."""

    title = StringField(
        _l("Title"), filters=[one_line], validators=[DataRequired(), Length(max=200)]
    )
    submit = SubmitField(_l("Add"))


class MoveForm(FlaskForm):
    """Move a module or lesson one place up or down."""

    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class LessonForm(FlaskForm):
    """A lesson's title, notes and practice prompt."""

    title = StringField(
        _l("Title"), filters=[one_line], validators=[DataRequired(), Length(max=200)]
    )
    notes_md = TextAreaField(
        _l("Notes"),
        filters=[multi_line],
        validators=[Length(max=MAX_MARKDOWN_CHARS)],
        description=_l("Markdown: headings, **bold**, lists, links, tables."),
        render_kw={"rows": 12},
    )
    practice_prompt = TextAreaField(
        _l("Practice assignment"),
        filters=[multi_line],
        validators=[Length(max=5000)],
        description=_l("What learners should record and send in. Leave empty for no practice."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Save lesson"))
    preview = SubmitField(_l("Preview notes"))


class LessonModuleForm(FlaskForm):
    """Move a lesson to another module of the same course."""

    module_id = SelectField(_l("Module"), coerce=int)
    submit = SubmitField(_l("Move"))


class LessonVideoForm(FlaskForm):
    """A lesson video uploaded by the resumable widget, and its spoken language."""

    upload_id = upload_id_field()
    language = SelectField(_l("Spoken language"), choices=video_language_choices(), default="zh")
    submit = SubmitField(_l("Use this video"))


class CaptionTrackForm(FlaskForm):
    """An extra caption track (WebVTT) in one language."""

    language = SelectField(_l("Language"), choices=caption_language_choices(), default="en")
    file = FileField(
        _l("WebVTT file"),
        validators=[FileRequired(message=_l("Choose a .vtt file."))],
        render_kw={"accept": ".vtt,text/vtt"},
    )
    submit = SubmitField(_l("Upload captions"))


class AttachmentForm(FlaskForm):
    """A file handed out with a lesson."""

    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))])
    submit = SubmitField(_l("Upload file"))


class CaptionForm(FlaskForm):
    """Correct one caption sentence."""

    text = TextAreaField(
        _l("Sentence"), filters=[multi_line], validators=[DataRequired(), Length(max=1000)]
    )
    submit = SubmitField(_l("Save"))


class PreviewForm(FlaskForm):
    """Markdown being typed, sent for a preview (a course description or lesson notes)."""

    description = TextAreaField(validators=[Length(max=MAX_MARKDOWN_CHARS)])
    notes_md = TextAreaField(validators=[Length(max=MAX_MARKDOWN_CHARS)])
