"""The form a merchant uses to submit a render despite its QA findings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class QaOverrideForm(FlaskForm):
    """One written reason lets every finding of a render stand (the trainer reads it)."""

    reason = TextAreaField(
        _l("Why can these findings stay?"),
        validators=[
            DataRequired(_l("Say why the findings can stay: the trainer reads it.")),
            Length(max=500),
        ],
    )
