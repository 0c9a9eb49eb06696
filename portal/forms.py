"""Forms shared by every feature."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from portal.errors import ConflictError, ServiceError
from portal.web import show_service_error


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
