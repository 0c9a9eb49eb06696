"""Forms of the clip workshop."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import multi_line, one_line
from portal.timecodes import TimecodeField


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (linked items)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewClipForm(FlaskForm):
    """Start a clip from a selection of sentences."""

    first_sentence = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    last_sentence = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    item_ids = MultiCheckboxField(_l("Items"), coerce=int)
    title = StringField(
        _l("Title"), filters=[one_line], validators=[DataRequired(), Length(max=200)]
    )
    submit = SubmitField(_l("Create clip"))


class SuggestionClipForm(FlaskForm):
    """Make a suggested clip under the proposed title, as the merchant edited it."""

    title = StringField(
        _l("Clip title"), filters=[one_line], validators=[Optional(), Length(max=200)]
    )


class ClipDetailsForm(FlaskForm):
    """Title, description and linked items of a clip."""

    title = StringField(
        _l("Title"), filters=[one_line], validators=[DataRequired(), Length(max=200)]
    )
    description = TextAreaField(
        _l("Description"), filters=[multi_line], validators=[Length(max=2000)]
    )
    item_ids = MultiCheckboxField(_l("Linked items"), coerce=int)
    submit = SubmitField(_l("Save details"))


class RangeForm(FlaskForm):
    """Set in and out as m:ss.s (from a sentence selection, nudges or typed)."""

    start_s = TimecodeField(_l("In"), validators=[InputRequired(), NumberRange(min=0)])
    end_s = TimecodeField(_l("Out"), validators=[InputRequired(), NumberRange(min=0)])
    submit = SubmitField(_l("Set in and out"))


class CueForm(FlaskForm):
    """Correct or hide one subtitle line."""

    text = TextAreaField(_l("Subtitle"), filters=[multi_line], validators=[Length(max=500)])
    is_hidden = BooleanField(_l("Hide this line"))
    submit = SubmitField(_l("Save"))


class RenderForm(FlaskForm):
    """Render the clip as a new version."""

    profile = RadioField(
        _l("Shape"),
        choices=[
            ("vertical", _l("Vertical 9:16 (short-video apps)")),
            ("original", _l("Original shape")),
            ("square", _l("Square 1:1")),
        ],
        default="vertical",
    )
    fill = RadioField(
        _l("Fill a vertical or square frame with"),
        choices=[("blur", _l("A blurred copy behind the picture")), ("crop", _l("A centre crop"))],
        default="blur",
    )
    burn_subtitles = BooleanField(_l("Burn in subtitles"), default=True)
    poster_at_s = TimecodeField(
        _l("Poster frame at (into the clip)"),
        default=1.0,
        validators=[Optional(), NumberRange(min=0, max=600)],
    )
    submit = SubmitField(_l("Render"))


class KeyFactsForm(FlaskForm):
    """Pick the subtitle lines the publish kit's knowledge card lists."""

    cue_ids = MultiCheckboxField(
        _l("Key facts"),
        coerce=int,
        description=_l("Tick up to six subtitle lines for the knowledge card."),
    )
    submit = SubmitField(_l("Save key facts"))


class AliasForm(FlaskForm):
    """Add a misheard form as an item alias."""

    alias = StringField(
        _l("Alias"), filters=[one_line], validators=[DataRequired(), Length(max=100)]
    )
    submit = SubmitField(_l("Add alias"))


CUT_ACTIONS = ("sentence", "filler", "fillers", "pauses", "undo")
# Selected words (``start_ms``–``end_ms``): delete them, keep only them, put them back.
WORD_ACTIONS = ("cut_words", "keep_words", "restore_words")


class CutForm(FlaskForm):
    """One cut by text: delete a sentence, a filler word or selected words, keep only selected
    words or put them back, remove fillers, shorten pauses, undo."""

    action = HiddenField(validators=[InputRequired(), AnyOf([*CUT_ACTIONS, *WORD_ACTIONS])])
    position = IntegerField(validators=[Optional(), NumberRange(min=0)])
    start_ms = IntegerField(validators=[Optional(), NumberRange(min=0)])
    end_ms = IntegerField(validators=[Optional(), NumberRange(min=0)])  # selected words' end
    longer_than_s = DecimalField(
        _l("Shorten pauses longer than (s)"),
        places=1,
        default=1,
        validators=[Optional(), NumberRange(min=0.5, max=10)],
    )

    def validate(self, extra_validators: object = None) -> bool:
        """Each action needs its own value: a sentence, a filler's start or the pause length."""
        if not super().validate(extra_validators):  # type: ignore[arg-type]
            return False
        needed = {"sentence": self.position, "filler": self.start_ms, "pauses": self.longer_than_s}
        if self.action.data in WORD_ACTIONS and None in (self.start_ms.data, self.end_ms.data):
            self.action.errors.append(_l("Select one or more words first."))
            return False
        field = needed.get(self.action.data)
        if field is not None and field.data is None:
            field.errors.append(_l("Fill this in for this cut."))
            return False
        return True


class EdgeForm(FlaskForm):
    """Move one edge of a kept range (a timeline handle): the range's place, which edge, where."""

    range = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    edge = HiddenField(validators=[InputRequired(), AnyOf(["start", "end"])])
    at_ms = IntegerField(
        validators=[
            InputRequired(),
            NumberRange(min=0, message=_l("Edges must lie inside the recording.")),
        ]
    )
