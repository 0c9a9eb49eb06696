"""Forms shared by every feature."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from portal.errors import ConflictError, ServiceError
from portal.text_cleaning import clean_line, clean_text
from portal.web import show_service_error


def one_line(value: object) -> object:
    """Field filter for one-line text: ``clean_line`` what was submitted (None stays None).

    Every field whose text is published or printed (titles, names, SKUs) carries it:
    ``StringField(..., filters=[one_line])``; validators then see the cleaned text, so a title of
    invisible characters alone is empty and refused.
    """
    return clean_line(value) if isinstance(value, str) else value


def multi_line(value: object) -> object:
    """Field filter for multi-line text (descriptions, subtitles): ``clean_text`` it."""
    return clean_text(value) if isinstance(value, str) else value


class ConfirmForm(FlaskForm):
    """A bare, CSRF-protected post: archive, suspend, cancel, retry, confirm."""

    submit = SubmitField(_l("Confirm"))


def apply_form_action(form: FlaskForm, action: Callable[[], object]) -> bool:
    """Run a service call for a valid form; return whether it succeeded.

    A ``ServiceError`` is shown in place on the form; a ``ConflictError`` (the object is not in a
    state that allows the action) propagates to the 409 page.
    """
    try:
        action()
    except ConflictError:
        raise
    except ServiceError as exc:
        show_service_error(form, exc)
        return False
    return True
