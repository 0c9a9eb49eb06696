"""Team forms: invite a member, change a member's role, add or change a live account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from portal.auth.models import OrgRole, User
from portal.forms import one_line
from portal.team.models import PLATFORM_LABELS

ORG_ROLE_LABELS = {
    OrgRole.OWNER: _l("Owner"),
    OrgRole.STAFF: _l("Staff"),
    OrgRole.STREAMER: _l("Streamer"),
}


def org_role_choices() -> list[tuple[str, str]]:
    """The roles inside an organisation, with translated labels."""
    return [(role.value, label) for role, label in ORG_ROLE_LABELS.items()]


class InviteMemberForm(FlaskForm):
    """Invite a person to the organisation: an account and a mailed set-password link."""

    name = StringField(_l("Name"), filters=[one_line], validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    org_role = SelectField(_l("Role"), choices=org_role_choices(), default=OrgRole.STAFF.value)
    submit = SubmitField(_l("Send invitation"))


class MemberRoleForm(FlaskForm):
    """Give a member another role inside the organisation."""

    org_role = SelectField(_l("Role"), choices=org_role_choices())
    submit = SubmitField(_l("Change role"))


class LiveAccountForm(FlaskForm):
    """A live account: platform, account name, studio, and its usual streamer."""

    platform = SelectField(
        _l("Platform"), choices=[(key.value, label) for key, label in PLATFORM_LABELS.items()]
    )
    name = StringField(
        _l("Account name"), filters=[one_line], validators=[DataRequired(), Length(max=100)]
    )
    studio = StringField(
        _l("Studio"),
        filters=[one_line],
        validators=[Length(max=100)],
        description=_l("Which studio or room streams on this account, e.g. 2号直播间."),
    )
    streamer_id = SelectField(_l("Streamer"), coerce=int, default=0)
    submit = SubmitField(_l("Save account"))

    def offer_streamers(self, streamers: list[User]) -> LiveAccountForm:
        """Offer the organisation's streamers (and nobody in particular)."""
        none = (0, str(_l("Nobody in particular")))
        self.streamer_id.choices = [none, *((user.id, user.name) for user in streamers)]
        return self
