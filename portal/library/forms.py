"""Forms of publishing: a trainer's override of one compliance flag."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput


class OverrideForm(FlaskForm):
    """Let one flagged term in one line of the review version stand, saying why."""

    term = HiddenField(validators=[InputRequired(), Length(max=100)])
    source = HiddenField(validators=[InputRequired(), Length(max=20)])
    cue_index = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reason = TextAreaField(
        _l("Why this line may stay"),
        validators=[Length(max=2000)],
        description=_l("Required. The merchant and other trainers see it."),
    )
    submit = SubmitField(_l("Override"))


def override_prefix(position: int) -> str:
    """The field prefix of the override form of the ``position``-th flag on a page."""
    return f"hit{position}-"
