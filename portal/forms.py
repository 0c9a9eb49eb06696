"""Forms shared by every feature."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField

from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.text_cleaning import clean_line, clean_text


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


@contextmanager
def form_action(form: FlaskForm, *, field: str | None = None) -> Iterator[None]:
    """Run the block as the action of ``form``: a ``ServiceError`` it raises is shown on the form.

    The one way views surface a service's refusal::

        if form.validate_on_submit():
            with form_action(form):
                row = services.add_term(actor, term=form.term.data)
                flash(_("Term added."), "success")
                return redirect(url_for(".index"))
        return render_template("terms.html", form=form)

    The message goes beside the form's field the error names (else beside ``field``, else into
    a flash message); the rest of the block is skipped, the transaction rolled back, and the
    view goes on after the block (re-rendering the form, or redirecting for a button without
    fields). A ``ConflictError`` (the object is not in a state that allows the action)
    propagates to the 409 page, as any error raised outside such a block goes to its page.
    """
    try:
        yield
    except ConflictError:
        raise
    except ServiceError as exc:
        db.session.rollback()
        _show_service_error(form, exc, field)


def _show_service_error(form: FlaskForm, exc: ServiceError, default: str | None) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is None and default:
        field = getattr(form, default)
    if field is not None:
        field.errors.append(exc.message)
    else:
        flash(exc.message, "error")
