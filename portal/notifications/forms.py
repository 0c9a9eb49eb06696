"""The mail digest setting form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from portal.notifications.models import Digest

DIGEST_CHOICES = [
    (Digest.HOURLY.value, _l("At most one mail an hour")),
    (Digest.DAILY.value, _l("At most one mail a day")),
    (Digest.NONE.value, _l("No mail")),
]


class DigestForm(FlaskForm):
    """How often unread notifications are mailed."""

    digest = SelectField(
        _l("Mail me unread notifications"), choices=DIGEST_CHOICES, validators=[InputRequired()]
    )
    save = SubmitField(_l("Save"))
