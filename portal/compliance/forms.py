"""Compliance forms: add or edit a banned term."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.compliance.presenters import category_choices


class TermForm(FlaskForm):
    """Add a banned term."""

    category = SelectField(_l("Category"), choices=category_choices())
    term = StringField(
        _l("Term"),
        validators=[DataRequired(), Length(max=100)],
        description=_l(
            "Found in subtitles whatever the case, full-width or Traditional characters, "
            "and spaces or punctuation between its characters."
        ),
    )
    note = TextAreaField(
        _l("Note"),
        validators=[Length(max=500)],
        description=_l("Why it is banned and what to say instead."),
    )
    submit = SubmitField(_l("Add term"))


class EditTermForm(TermForm):
    """Change a banned term."""

    submit = SubmitField(_l("Save term"))
