"""Administration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from portal.auth.models import Role
from portal.forms import one_line


def role_choices() -> list[tuple[str, str]]:
    """Return the roles with translated labels."""
    return [
        (Role.ADMIN, _l("Administrator")),
        (Role.TRAINER, _l("Trainer")),
        (Role.MERCHANT, _l("Merchant")),
        (Role.STREAMER, _l("Streamer")),
    ]


class _RoleAndOrg:
    role = SelectField(_l("Role"), choices=role_choices())
    org = SelectField(
        _l("Organisation"),
        coerce=int,
        validators=[Optional()],
        description=_l("Merchants, and streamers of a merchant organisation."),
    )


class InviteForm(_RoleAndOrg, FlaskForm):
    """Invite a person: an account without a password and a mailed link."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), filters=[one_line], validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Send invitation"))


class RoleForm(_RoleAndOrg, FlaskForm):
    """Change a user's role."""

    submit = SubmitField(_l("Change role"))


class OrganisationForm(FlaskForm):
    """Create an organisation."""

    slug = StringField(
        _l("Short name (slug)"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Lower-case letters, digits and -.")),
        ],
    )
    name = StringField(_l("Name"), filters=[one_line], validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create organisation"))


class CategoryForm(FlaskForm):
    """Add or rename a category."""

    name_zh = StringField(
        _l("Chinese name"), filters=[one_line], validators=[DataRequired(), Length(max=50)]
    )
    name_en = StringField(
        _l("English name"), filters=[one_line], validators=[DataRequired(), Length(max=50)]
    )
    position = IntegerField(_l("Order"), default=0, validators=[NumberRange(min=0, max=1000)])
    submit = SubmitField(_l("Save category"))
