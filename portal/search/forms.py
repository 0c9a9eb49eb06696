"""The search form (GET, no CSRF): words, kind, recording, item and a date range."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional


def optional_int(value: Any) -> int | None:
    """Coerce a select's value to an id, or None for "all"."""
    return int(value) if value not in (None, "", "None") and str(value).isdigit() else None


class SearchForm(FlaskForm):
    """Search and narrow the results."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    recording = SelectField(_l("Recording"), coerce=optional_int, validators=[Optional()])
    item = SelectField(_l("Item"), coerce=optional_int, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1000)])
