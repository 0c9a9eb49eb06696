"""Quiz forms: settings, a question with its choice rows, and the learner's answer sheet."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from courses.models import AnswerReveal, QuestionKind, Quiz, QuizQuestion
from courses.quizzes.authoring import MAX_CHOICES, ChoiceData, QuestionData, QuizSettings
from portal.forms import multi_line, one_line

KIND_LABELS = {
    QuestionKind.SINGLE: _l("Single choice"),
    QuestionKind.MULTIPLE: _l("Multiple choice"),
    QuestionKind.TRUE_FALSE: _l("True or false"),
}


def kind_label(kind: str) -> str:
    """Return the translated name of a question kind."""
    return str(KIND_LABELS.get(QuestionKind(kind), kind))


REVEAL_LABELS = {
    AnswerReveal.AFTER_PASS: _l("After passing or after the last attempt"),
    AnswerReveal.ALWAYS: _l("After every attempt"),
    AnswerReveal.NEVER: _l("Never (only which questions were wrong)"),
}


class QuizSettingsForm(FlaskForm):
    """A quiz's pass mark, attempts limit and when learners see the correct answers."""

    pass_percent = IntegerField(
        _l("Pass mark (%)"),
        default=60,
        validators=[InputRequired(), NumberRange(min=0, max=100)],
        description=_l("The share of questions a learner must get right."),
    )
    max_attempts = IntegerField(
        _l("Attempts allowed"),
        default=3,
        validators=[InputRequired(), NumberRange(min=0, max=100)],
        description=_l("0 means unlimited."),
    )
    answer_reveal = SelectField(
        _l("Show the correct answers"),
        choices=[(reveal.value, label) for reveal, label in REVEAL_LABELS.items()],
        default=AnswerReveal.AFTER_PASS.value,
        description=_l(
            "After a failed attempt learners always see which questions were wrong; this says "
            "when they also see the right answers and explanations."
        ),
    )
    submit = SubmitField(_l("Save quiz settings"))

    def to_settings(self) -> QuizSettings:
        """Return the entered settings."""
        return QuizSettings(
            int(self.pass_percent.data),
            int(self.max_attempts.data),
            AnswerReveal(self.answer_reveal.data),
        )


class ChoiceRowForm(Form):
    """One choice row: its text and whether it is correct."""

    choice_id = HiddenField()
    text = StringField(_l("Choice"), filters=[one_line], validators=[Optional(), Length(max=500)])
    is_correct = BooleanField(_l("Correct"))


class QuestionForm(FlaskForm):
    """A question: kind, prompt, explanation and up to six choices (or true/false)."""

    kind = SelectField(
        _l("Kind"),
        choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=QuestionKind.SINGLE.value,
    )
    prompt = TextAreaField(_l("Question"), filters=[multi_line], validators=[Length(max=2000)])
    statement_is_true = RadioField(
        _l("For a true/false question: the statement is"),
        choices=[("true", _l("True")), ("false", _l("False"))],
        validators=[Optional()],
    )
    choices = FieldList(FormField(ChoiceRowForm), min_entries=MAX_CHOICES, max_entries=MAX_CHOICES)
    explanation = TextAreaField(
        _l("Explanation"),
        filters=[multi_line],
        validators=[Length(max=4000)],
        description=_l("Shown to learners after they submit, right or wrong."),
    )
    submit = SubmitField(_l("Save question"))

    def fill_from(self, question: QuizQuestion) -> None:
        """Show an existing question (on GET)."""
        self.kind.data = question.kind
        self.prompt.data = question.prompt
        self.explanation.data = question.explanation
        if question.kind == QuestionKind.TRUE_FALSE:
            is_true = bool(question.choices) and question.choices[0].is_correct
            self.statement_is_true.data = "true" if is_true else "false"
            return
        for row, choice in zip(self.choices.entries, question.choices, strict=False):
            row.form.choice_id.data = str(choice.id)
            row.form.text.data = choice.text
            row.form.is_correct.data = choice.is_correct

    def to_data(self) -> QuestionData:
        """Return the question as entered."""
        rows = tuple(
            ChoiceData(
                text=row.form.text.data or "",
                is_correct=bool(row.form.is_correct.data),
                choice_id=int(row.form.choice_id.data) if row.form.choice_id.data else None,
            )
            for row in self.choices.entries
        )
        answer = self.statement_is_true.data
        return QuestionData(
            kind=QuestionKind(self.kind.data),
            prompt=self.prompt.data or "",
            explanation=self.explanation.data or "",
            choices=rows,
            statement_is_true=None if answer not in {"true", "false"} else answer == "true",
        )

    def validate_choices(self, field: Any) -> None:
        """Reject a tampered hidden id (it must be a number)."""
        for row in field.entries:
            if row.form.choice_id.data and not str(row.form.choice_id.data).isdigit():
                raise ValidationError(_("Reload the page and try again."))


class MoveForm(FlaskForm):
    """Move a question up or down."""

    direction = HiddenField(validators=[InputRequired()])

    def validate_direction(self, field: Any) -> None:
        """Accept only up or down."""
        if field.data not in {"up", "down"}:
            raise ValidationError(_("Move a question up or down."))


class _OwnChoiceMixin:
    """A choice field that names tampering plainly instead of "Not a valid choice"."""

    def pre_validate(self, form: Any) -> None:
        """Accept only this question's choice ids."""
        allowed = {value for value, _label in self.choices}  # type: ignore[attr-defined]
        data = self.data  # type: ignore[attr-defined]
        values = data if isinstance(data, list) else ([data] if data is not None else [])
        if any(value not in allowed for value in values):
            raise ValidationError(_("That answer is not one of this question's choices."))


class OwnChoiceRadio(_OwnChoiceMixin, RadioField):
    """One answer: radio buttons."""


class OwnChoiceCheckboxes(_OwnChoiceMixin, SelectMultipleField):
    """Several answers: check boxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AnswerSheet(FlaskForm):
    """The learner's answers; one field ``q<id>`` per question is added by ``answer_sheet``."""

    quiz_id = HiddenField()
    submit = SubmitField(_l("Submit answers"))

    def question_fields(self) -> list[Any]:
        """Return the answer fields in question order."""
        return [field for field in self if field.name.startswith("q") and field.name[1:].isdigit()]

    def answers(self) -> dict[int, list[int]]:
        """Return the chosen choice ids per question id."""
        result: dict[int, list[int]] = {}
        for field in self.question_fields():
            data = field.data
            values = data if isinstance(data, list) else ([] if data is None else [data])
            result[int(field.name[1:])] = [int(value) for value in values]
        return result

    def submitted_quiz_id(self) -> int:
        """Return the quiz the form was built for (0 if it was tampered with)."""
        value = str(self.quiz_id.data or "")
        return int(value) if value.isdigit() else 0


def answer_sheet(quiz: Quiz, **kwargs: Any) -> AnswerSheet:
    """Build the answer form of ``quiz``: radios for one answer, check boxes for several."""

    class Sheet(AnswerSheet):
        pass

    required = _l("Answer this question.")
    for question in quiz.questions:
        options = [(choice.id, choice.text) for choice in question.choices]
        field_class = (
            OwnChoiceCheckboxes if question.kind == QuestionKind.MULTIPLE else OwnChoiceRadio
        )
        field = field_class(
            question.prompt, choices=options, coerce=int, validators=[InputRequired(required)]
        )
        setattr(Sheet, f"q{question.id}", field)
    form = Sheet(**kwargs)
    if not form.is_submitted():
        form.quiz_id.data = str(quiz.id)
    return form
