"""The form staff use to revoke a certificate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class RevokeForm(FlaskForm):
    """Withdraw a certificate, saying why (the reason stays on record)."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Say why the certificate is revoked.")),
                    Length(max=1000)],
    )  # fmt: skip
    submit = SubmitField(_l("Revoke certificate"))
