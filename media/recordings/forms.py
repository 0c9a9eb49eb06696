"""Forms for adding a recording and correcting transcript sentences."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from media.recordings.models import Language
from portal.forms import multi_line


def language_choices() -> list[tuple[str, str]]:
    """Return the spoken-language choices."""
    return [
        (Language.ZH, _l("Chinese (Mandarin)")),
        (Language.EN, _l("English")),
        (Language.AUTO, _l("Detect automatically")),
    ]


class RecordingForm(FlaskForm):
    """Title and language of a recording whose file was uploaded by the widget."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Spoken language"), choices=language_choices(), default="zh")
    upload_id = HiddenField(
        validators=[
            DataRequired(message=_l("Choose a video file and wait for the upload to finish.")),
            Regexp(
                r"^[0-9a-f]{32}$", message=_l("The upload is not valid; choose the file again.")
            ),
        ]
    )
    submit = SubmitField(_l("Add recording"))


class SentenceForm(FlaskForm):
    """Correct one sentence of a transcript."""

    text = TextAreaField(
        _l("Sentence"), filters=[multi_line], validators=[DataRequired(), Length(max=1000)]
    )
    submit = SubmitField(_l("Save"))
