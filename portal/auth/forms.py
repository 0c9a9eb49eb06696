"""Forms for signing in, registering, applying, and managing passwords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp

from portal.forms import one_line

PASSWORD_MIN = 8

LANGUAGE_CHOICES = [("zh_CN", "中文"), ("en", "English")]


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=PASSWORD_MIN, max=128)],
        description=_l("At least 8 characters."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Email()], render_kw={"autocomplete": "email"}
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"))


class RegisterForm(FlaskForm):
    """A new streamer's account."""

    name = StringField(
        _l("Your name"), filters=[one_line], validators=[DataRequired(), Length(max=100)]
    )
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Create account"))


class ApplyForm(FlaskForm):
    """A merchant's application: the organisation and its first member."""

    org_name = StringField(
        _l("Shop or company name"),
        filters=[one_line],
        validators=[DataRequired(), Length(max=200)],
    )
    contact_phone = StringField(
        _l("Contact phone"),
        validators=[DataRequired(), Regexp(r"^[0-9+\- ]{5,40}$", message=_l("Digits only."))],
    )
    name = StringField(
        _l("Your name"), filters=[one_line], validators=[DataRequired(), Length(max=100)]
    )
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Apply"))


class ForgotForm(FlaskForm):
    """Ask for a reset link."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    submit = SubmitField(_l("Send reset link"))


class SetPasswordForm(FlaskForm):
    """Choose a password (reset or invitation)."""

    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Save password"))


class AccountForm(FlaskForm):
    """Name and interface language."""

    name = StringField(
        _l("Your name"), filters=[one_line], validators=[DataRequired(), Length(max=100)]
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(FlaskForm):
    """Change the password while signed in."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    """The language switch in the page footer."""

    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Switch"))
