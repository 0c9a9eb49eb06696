"""Forms of the review."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import Length


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
    submit = SubmitField(_l("Send decision"))
