"""Forms of publishing: a trainer's override of ticked compliance flags, with one reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from portal.forms import multi_line
from portal.library.publishing import FlagKey


class FlagsField(SelectMultipleField):
    """A checkbox per open flag (drawn by the template); the values are ``flag_value`` strings."""

    def pre_validate(self, form: object) -> None:
        """Accept any flag: the service tells which are no longer open, naming them."""


class OverrideFlagsForm(FlaskForm):
    """Let the ticked flags of the submitted version stand, saying why once."""

    flags = FlagsField(_l("Flags to override"))
    reason = TextAreaField(
        _l("Why these lines may stay"),
        filters=[multi_line],
        validators=[Length(max=2000)],
        description=_l("Required. The merchant and other trainers see it, on each ticked flag."),
    )
    # The version the trainer looked at: flags of another one are refused.
    version_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Override the ticked flags"))

    def flag_keys(self) -> list[FlagKey]:
        """The ticked flags as (source, line index, term); malformed values are dropped."""
        return [key for value in self.flags.data or [] if (key := parse_flag_value(value))]


def flag_value(key: FlagKey) -> str:
    """Encode a flag's key as one checkbox value."""
    source, cue_index, term = key
    return f"{source}:{cue_index}:{term}"


def parse_flag_value(value: str) -> FlagKey | None:
    """Decode ``flag_value``; None if it is not one."""
    source, _, rest = value.partition(":")
    index, _, term = rest.partition(":")
    return (source, int(index), term) if index.isdigit() and source and term else None
