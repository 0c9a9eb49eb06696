"""Search pages: the full results page and the header's as-you-type list (for everyone)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import DateField, SelectField

import portal.search.sources  # noqa: F401 - importing registers every source
from portal.search import services
from portal.search.forms import SearchForm
from portal.search.registry import Viewer, all_sources
from portal.web import render_page_or_partial, wants_partial

bp = Blueprint("search", __name__, template_folder="templates")

MAX_QUERY_CHARS = 200


@bp.record_once
def _listen(_state: object) -> None:
    """Keep the index current: every source connects its signal listeners."""
    for source in all_sources():
        source.connect()


def _offer(field: SelectField, value: int, label: str) -> None:
    """Keep a chosen id that is not among the viewer's own choices (a link from a result)."""
    if all(value != choice for choice, _label in field.choices):
        field.choices.append((value, label or _("Chosen")))


def _form(viewer: Viewer) -> tuple[SearchForm, services.Filters]:
    """Read the search form from the query string, its choices fitted to the viewer."""
    form = SearchForm(request.args)
    choices = services.filter_choices(viewer)
    form.kind.choices = [("", _("Everything")), *choices.kinds]
    form.recording.choices = [(None, _("All recordings")), *choices.recordings]
    form.item.choices = [(None, _("All items")), *choices.items]
    if form.recording.data is not None:
        label = services.filter_label(viewer, recording_id=form.recording.data)
        _offer(form.recording, form.recording.data, label)
    if form.item.data is not None:
        _offer(form.item, form.item.data, services.filter_label(viewer, item_id=form.item.data))
    form.validate()
    chosen = services.Filters(
        kind=form.kind.data or "",
        recording_id=form.recording.data,
        item_id=form.item.data,
        date_from=_day(form.date_from),
        date_to=_day(form.date_to),
    )
    return form, chosen


def _day(field: DateField) -> date | None:
    """The field's day, if it passed validation (a day out of range would fail the query)."""
    return None if field.errors else field.data


@bp.get("/search")
def index() -> ResponseReturnValue:
    """Search everything the viewer may see; results grouped by kind, or one kind paginated."""
    viewer = Viewer.of(current_user)
    form, chosen = _form(viewer)
    text = (form.q.data or "").strip()[:MAX_QUERY_CHARS]
    page = form.page.data if not form.page.errors and form.page.data else 1
    date_errors = [*form.date_from.errors, *form.date_to.errors]
    outcome = services.search(viewer, text, chosen, page) if text and not date_errors else None
    return render_page_or_partial(
        "search/index.html",
        "search/_results.html",
        form=form,
        outcome=outcome,
        chosen=chosen,
        date_errors=date_errors,
    )


@bp.get("/search/quick")
def quick() -> ResponseReturnValue:
    """The header's as-you-type list (a full search page when asked without htmx)."""
    text = request.args.get("q", "").strip()[:MAX_QUERY_CHARS]
    if not wants_partial():
        return redirect(url_for(".index", q=text or None))
    outcome = services.quick_search(Viewer.of(current_user), text) if text else None
    return render_page_or_partial("search/index.html", "search/_quick.html", outcome=outcome)
