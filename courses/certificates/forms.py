"""The certificates' forms: staff revoke one, anyone types a number to verify one."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp


class RevokeForm(FlaskForm):
    """Withdraw a certificate, saying why (the reason stays on record)."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Say why the certificate is revoked.")),
            Length(max=1000),
        ],
    )
    submit = SubmitField(_l("Revoke certificate"))


def _compact(value: str | None) -> str | None:
    """Drop the spaces and dashes people type into a certificate number."""
    return re.sub(r"[\s\-]", "", value) if value else value


class VerifyForm(FlaskForm):
    """Type a certificate number to check it (GET, no CSRF: anyone may ask)."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Certificate number"),
        description=_l("The number printed on the certificate, under its QR code."),
        filters=[_compact],
        validators=[
            DataRequired(message=_l("Type the certificate's number.")),
            Regexp(
                r"^[0-9A-Za-z]{1,32}$",
                message=_l("A certificate number has only letters and digits."),
            ),
        ],
    )
