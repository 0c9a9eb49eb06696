"""Compliance forms: add or edit a banned term and its exceptions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.catalog.services import split_aliases
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
    exceptions = TextAreaField(
        _l("Exceptions"),
        validators=[Length(max=2000)],
        description=_l(
            "Ordinary words that contain the term but make no claim, such as 最后 for 最: "
            "the term is not flagged inside them. One per line or separated by commas."
        ),
    )
    submit = SubmitField(_l("Add term"))

    def exception_words(self) -> list[str]:
        """Return the exceptions entered, one per line or comma, without repeats."""
        return split_aliases(self.exceptions.data or "")

    def show_exceptions(self, words: list[str]) -> None:
        """Fill the exceptions box with a term's words, one per line (unless posted)."""
        if not self.is_submitted():
            self.exceptions.data = "\n".join(words)


class EditTermForm(TermForm):
    """Change a banned term."""

    submit = SubmitField(_l("Save term"))
