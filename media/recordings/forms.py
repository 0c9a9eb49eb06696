"""Forms for adding a recording, correcting transcript sentences and the stream's item list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import SearchInput

from media.mentions.links import MAX_LINK_NUMBER
from media.recordings.models import Language
from media.uploads.forms import upload_id_field
from portal.forms import multi_line, one_line
from portal.team.models import LiveAccount
from portal.timecodes import TimecodeField


def language_choices() -> list[tuple[str, str]]:
    """Return the spoken-language choices."""
    return [
        (Language.ZH, _l("Chinese (Mandarin)")),
        (Language.EN, _l("English")),
        (Language.AUTO, _l("Detect automatically")),
    ]


def live_account_choices(accounts: list[LiveAccount]) -> list[tuple[int, str]]:
    """The organisation's live accounts as choices, after "not said" (0)."""
    return [(0, str(_l("Not said"))), *((account.id, account.label) for account in accounts)]


class _LiveAccountChoice:
    live_account_id = SelectField(
        _l("Live account"),
        coerce=int,
        default=0,
        description=_l("Which account streamed it: its streamer can then open the recording."),
    )


class RecordingAccountForm(_LiveAccountChoice, FlaskForm):
    """Say which live account streamed a recording."""

    submit = SubmitField(_l("Save account"))


class RecordingForm(_LiveAccountChoice, FlaskForm):
    """Title, language and live account of a recording whose file was uploaded by the widget."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Spoken language"), choices=language_choices(), default="zh")
    upload_id = upload_id_field()
    submit = SubmitField(_l("Add recording"))


class SentenceForm(FlaskForm):
    """Correct one sentence of a transcript."""

    text = TextAreaField(
        _l("Sentence"), filters=[multi_line], validators=[DataRequired(), Length(max=1000)]
    )
    submit = SubmitField(_l("Save"))


class JumpForm(FlaskForm):
    """Jump to a time of the recording (GET, no CSRF)."""

    class Meta:
        csrf = False

    at = TimecodeField(
        _l("Jump to time"),
        id="transcript-at",
        widget=SearchInput(),
        render_kw={"placeholder": "1:05:00", "enterkeyhint": "go"},
        validators=[InputRequired(message=_l("Write a time, e.g. 12:30 or 1:05:00."))],
    )

    @property
    def seconds(self) -> float:
        """The time asked for, in seconds (after validation)."""
        return self.at.data or 0.0


class FindForm(FlaskForm):
    """Find words in this recording's transcript (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Find in transcript"),
        id="transcript-q",
        filters=[one_line],
        render_kw={"autocomplete": "off", "enterkeyhint": "search"},
        validators=[
            DataRequired(message=_l("Write a word or a few to find.")),
            Length(max=100, message=_l("Write at most 100 characters.")),
        ],
    )


class ItemSearchForm(FlaskForm):
    """Search the catalog for the stream's items (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search your catalog"), filters=[one_line], validators=[Optional(), Length(max=100)]
    )


class AddItemsForm(FlaskForm):
    """Put the ticked catalog items on the stream's list."""

    item_ids = SelectMultipleField(
        coerce=int,
        validate_choice=False,  # the service accepts only the organisation's active items
        validators=[DataRequired(message=_l("Tick the items to add."))],
    )
    q = HiddenField(filters=[one_line], validators=[Length(max=100)])


class FoundItemsForm(FlaskForm):
    """Put the items found in the transcript on the (empty) list, as they were offered."""

    item_ids = SelectMultipleField(
        coerce=int,
        validate_choice=False,  # the service accepts only the items found, active, the org's own
        validators=[DataRequired(message=_l("No items were found in this stream."))],
    )


class LinkNumberForm(FlaskForm):
    """Set or clear one item's link number."""

    link_number = IntegerField(
        _l("Link number"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_LINK_NUMBER,
                message=_l("The link number must be a whole number from 1 to 999."),
            ),
        ],
    )


class MoveForm(FlaskForm):
    """Move one item up or down the list."""

    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class GoodsListForm(FlaskForm):
    """Paste the platform's goods list or choose its CSV file."""

    text = TextAreaField(
        _l("Goods list"),
        filters=[multi_line],
        validators=[Length(max=200_000)],
        description=_l("One line per link: the link number, then the SKU or the item's name."),
    )
    file = FileField(
        _l("Or a CSV file"), validators=[FileAllowed(["csv", "txt"], _l("Choose a .csv file."))]
    )
    submit = SubmitField(_l("Preview"))

    def validate(self, extra_validators: object = None) -> bool:
        """Require the pasted text or a file."""
        if not super().validate(extra_validators):  # type: ignore[arg-type]
            return False
        if not (self.text.data or "").strip() and not (self.file.data and self.file.data.filename):
            self.text.errors.append(_l("Paste the list or choose a CSV file."))
            return False
        return True
