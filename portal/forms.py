"""Forms shared by every feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """A bare, CSRF-protected post: archive, suspend, cancel, retry, confirm."""

    submit = SubmitField(_l("Confirm"))
