"""Forms for sending a practice video and for the trainer's decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from courses.models import RUBRIC_CRITERIA
from courses.practice.review import RUBRIC_LABELS, RUBRIC_MAX, RUBRIC_MIN
from media.recordings.forms import language_choices
from media.uploads.forms import upload_id_field


class SubmitPracticeForm(FlaskForm):
    """A practice video uploaded by the widget, and its spoken language."""

    upload_id = upload_id_field()
    language = SelectField(_l("Spoken language"), choices=language_choices(), default="zh")
    submit = SubmitField(_l("Send for review"))


class DecisionForm(FlaskForm):
    """Pass or try again, a score from 1 to 5 per rubric criterion, feedback for the learner.

    The score fields are ``score_<criterion>``, one per ``RUBRIC_CRITERIA``.
    """

    decision = RadioField(
        _l("Decision"),
        choices=[("pass", _l("Pass")), ("try_again", _l("Try again"))],
        validators=[InputRequired(message=_l("Choose pass or try again."))],
    )
    feedback = TextAreaField(
        _l("Feedback for the learner"),
        validators=[Length(max=4000)],
        description=_l("Required for “try again”: say what to improve."),
    )
    submit = SubmitField(_l("Send decision"))

    def score_fields(self) -> list[RadioField]:
        """Return the score fields in rubric order."""
        return [self[f"score_{criterion}"] for criterion in RUBRIC_CRITERIA]

    def scores(self) -> dict[str, int]:
        """Return the chosen score per criterion."""
        return {criterion: self[f"score_{criterion}"].data for criterion in RUBRIC_CRITERIA}


for _criterion in RUBRIC_CRITERIA:
    setattr(
        DecisionForm,
        f"score_{_criterion}",
        RadioField(
            RUBRIC_LABELS[_criterion],
            choices=[(n, str(n)) for n in range(RUBRIC_MIN, RUBRIC_MAX + 1)],
            coerce=int,
            validators=[InputRequired(message=_l("Give a score from 1 to 5."))],
        ),
    )
