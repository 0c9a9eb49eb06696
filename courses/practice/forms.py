"""Forms for sending a practice video and for the trainer's decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Regexp

from media.recordings.forms import language_choices


class SubmitPracticeForm(FlaskForm):
    """A practice video uploaded by the widget, and its spoken language."""

    upload_id = HiddenField(
        validators=[
            DataRequired(message=_l("Choose a video file and wait for the upload to finish.")),
            Regexp(
                r"^[0-9a-f]{32}$", message=_l("The upload is not valid; choose the file again.")
            ),
        ]
    )
    language = SelectField(_l("Spoken language"), choices=language_choices(), default="zh")
    submit = SubmitField(_l("Send for review"))
