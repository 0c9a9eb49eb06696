"""Glossary forms: add or edit a trade term."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class GlossaryTermForm(FlaskForm):
    """Add a trade term."""

    term = StringField(
        _l("Term"),
        validators=[DataRequired(), Length(max=100)],
        description=_l(
            "Written exactly as the trade writes it. Words in transcripts that sound like it "
            "are written this way."
        ),
    )
    note = TextAreaField(
        _l("Note"), validators=[Length(max=500)], description=_l("What the term means.")
    )
    submit = SubmitField(_l("Add term"))


class EditGlossaryTermForm(GlossaryTermForm):
    """Change a trade term."""

    submit = SubmitField(_l("Save term"))
