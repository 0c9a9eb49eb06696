"""Learner forms: the lesson player's progress post."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

MAX_SECONDS = 24 * 3600.0
MAX_SEQ = 2**31 - 1


class ProgressForm(FlaskForm):
    """Where the player is (JSON or form data); CSRF comes in the ``X-CSRFToken`` header."""

    class Meta:
        """The app-wide CSRF check reads the header; the JSON body carries no token."""

        csrf = False

    position_s = FloatField(validators=[InputRequired(), NumberRange(min=0, max=MAX_SECONDS)])
    duration_s = FloatField(validators=[Optional(), NumberRange(min=0, max=MAX_SECONDS)])
    seq = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_SEQ)])
