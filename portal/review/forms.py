"""Forms of the review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput


class DecisionForm(FlaskForm):
    """A trainer's decision on a clip in review."""

    decision = RadioField(
        _l("Decision"),
        choices=[
            ("approve", _l("Approve")),
            ("changes", _l("Request changes")),
            ("reject", _l("Reject")),
        ],
        default="approve",
    )
    message = TextAreaField(
        _l("Message to the merchant"),
        validators=[Length(max=2000)],
        description=_l("Required when you request changes or reject."),
    )
    # The version the trainer looked at: a decision on another one is refused.
    version_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Send decision"))


class SubmitVersionForm(FlaskForm):
    """A merchant sends the version they watched to review."""

    version_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
