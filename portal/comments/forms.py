"""Forms of the comment component."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.timecodes import TimecodeField


class CommentForm(FlaskForm):
    """A new comment at the player's current time (or a reply to ``parent_id``)."""

    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=2000)])
    at_s = TimecodeField(_l("At"), default=0.0, validators=[Optional(), NumberRange(min=0)])
    version_id = HiddenField()
    parent_id = HiddenField()
    submit = SubmitField(_l("Add comment"))
