"""The search form (GET, no CSRF): words, kind, recording, item and a date range."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, SearchField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from portal.routing import database_id


def optional_int(value: Any) -> int | None:
    """Coerce a select's value to an id, or None for "all" (and for junk or a huge number)."""
    return database_id(None if value is None else str(value))


# Days anything on the portal can have happened on; a day outside would only fail the query.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
DAY_LIMITS = {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}


def within_days(_form: FlaskForm, field: Field) -> None:
    """Refuse a day before ``FIRST_DAY`` or after ``LAST_DAY``."""
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        first, last = DAY_LIMITS["min"], DAY_LIMITS["max"]
        raise ValidationError(_("Choose a day from %(first)s to %(last)s.", first=first, last=last))


class SearchForm(FlaskForm):
    """Search and narrow the results."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    recording = SelectField(_l("Recording"), coerce=optional_int, validators=[Optional()])
    item = SelectField(_l("Item"), coerce=optional_int, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional(), within_days], render_kw=DAY_LIMITS)
    date_to = DateField(_l("Until"), validators=[Optional(), within_days], render_kw=DAY_LIMITS)
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=1000)])
