"""The stream's item list on the recording page: search the catalog, tick to add, link numbers,
reorder, remove, and paste or import the platform's goods list (preview, then confirm).

Each change answers the list's section for htmx, else sends the browser back to the recording
page; a refused change shows its error beside the item (200).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import ngettext

from media.recordings import goods_list, names_again, stream_items
from media.recordings.forms import (
    AddItemsForm,
    FoundItemsForm,
    GoodsListForm,
    ItemSearchForm,
    LinkNumberForm,
    MoveForm,
)
from media.recordings.models import Recording
from media.recordings.signals import stream_items_changed
from portal.auth.access import acting_user, current_org_id, merchant_required
from portal.forms import ConfirmForm, form_action
from portal.organisations.scoping import get_owned_or_404
from portal.web import render_page_or_partial, wants_partial

bp = Blueprint(
    "stream_items", __name__, url_prefix="/media/recordings", template_folder="templates"
)


@bp.record_once
def _listen(_state: object) -> None:
    """Correct the transcript's names again when the stream's item list changes."""
    stream_items_changed.connect(names_again.queue_for_stream_items)


SECTION_PAGE, SECTION = "recordings/items.html", "recordings/_stream_items.html"


def _load(recording_id: int) -> Recording:
    return get_owned_or_404(Recording, recording_id, current_org_id())


def item_section(
    recording: Recording, *, query: str | None = None, is_open: bool = True, **forms: object
) -> dict[str, Any]:
    """The context of the list's section: its rows, forms, and catalog search results.

    ``forms`` may hold a failed ``add_form`` or ``found_form``, ``link_form`` with
    ``link_item_id`` (the item whose number was refused), or ``added_found`` (how many found
    items were just added). ``is_open``: the section starts unfolded. While the list is empty,
    ``found_items`` are the items found in the transcript, offered as the list in one click.
    """
    entries = stream_items.list_entries(recording)
    found = [] if entries else stream_items.found_items(recording)
    return {
        "items_open": is_open or not entries,
        "stream_entries": entries,
        "listed_ids": {entry.item_id for entry in entries},
        "search_form": ItemSearchForm(formdata=None, q=query or ""),
        "add_form": forms.get("add_form") or AddItemsForm(formdata=None, q=query or ""),
        "link_form": forms.get("link_form"),
        "link_item_id": forms.get("link_item_id"),
        "item_form": ConfirmForm(formdata=None),
        "found_items": found,
        "found_form": forms.get("found_form") or FoundItemsForm(formdata=None),
        "added_found": forms.get("added_found"),
        "query": query,
        "results": None if query is None else stream_items.search_catalog(recording, query),
    }


def _answer(recording: Recording, done: bool, **context: object) -> ResponseReturnValue:
    """The section for htmx (or the page while an error shows), else back to the recording."""
    if done and not wants_partial():
        return redirect(url_for("recordings.detail", recording_id=recording.id) + "#stream-items")
    context = item_section(recording, **context)
    return render_page_or_partial(SECTION_PAGE, SECTION, recording=recording, **context)


@bp.get("/<int:recording_id>/items/search")
@merchant_required
def search(recording_id: int) -> ResponseReturnValue:
    """Catalog items matching the query, with boxes to tick (the results, or the whole page)."""
    recording = _load(recording_id)
    form = ItemSearchForm(request.args)
    query = (form.q.data or "") if form.validate() else ""
    context = item_section(recording, query=query)
    return render_page_or_partial(
        SECTION_PAGE, "recordings/_stream_item_results.html", recording=recording, **context
    )


@bp.post("/<int:recording_id>/items/add")
@merchant_required
def add(recording_id: int) -> ResponseReturnValue:
    """Put the ticked items on the list."""
    recording = _load(recording_id)
    form = AddItemsForm()
    query = form.q.data if wants_partial() else None
    if form.validate_on_submit():
        with form_action(form):
            stream_items.add_items(recording, acting_user(), form.item_ids.data)
            return _answer(recording, True, query=query)
    return _answer(recording, False, query=query, add_form=form)


@bp.post("/<int:recording_id>/items/add-found")
@merchant_required
def add_found(recording_id: int) -> ResponseReturnValue:
    """Put the items found in the transcript (as offered) on the empty list."""
    recording = _load(recording_id)
    form = FoundItemsForm()
    if form.validate_on_submit():
        with form_action(form):
            added = stream_items.add_found_items(recording, acting_user(), form.item_ids.data)
            return _answer(recording, True, added_found=added)
    return _answer(recording, False, found_form=form)


@bp.post("/<int:recording_id>/items/<int:item_id>/number")
@merchant_required
def number(recording_id: int, item_id: int) -> ResponseReturnValue:
    """Set or clear one item's link number."""
    recording = _load(recording_id)
    entry = stream_items.get_entry_or_404(recording, item_id)
    form = LinkNumberForm()
    if form.validate_on_submit():
        with form_action(form):
            stream_items.set_link_number(entry, acting_user(), form.link_number.data)
            return _answer(recording, True, link_item_id=item_id)
    return _answer(recording, False, link_form=form, link_item_id=item_id)


@bp.post("/<int:recording_id>/items/<int:item_id>/move")
@merchant_required
def move(recording_id: int, item_id: int) -> ResponseReturnValue:
    """Move one item up or down the list."""
    recording = _load(recording_id)
    entry = stream_items.get_entry_or_404(recording, item_id)
    form = MoveForm()
    if form.validate_on_submit():
        step = -1 if form.direction.data == "up" else 1
        stream_items.move_item(entry, acting_user(), step)
    return _answer(recording, True)


@bp.post("/<int:recording_id>/items/<int:item_id>/remove")
@merchant_required
def remove(recording_id: int, item_id: int) -> ResponseReturnValue:
    """Take one item off the list."""
    recording = _load(recording_id)
    entry = stream_items.get_entry_or_404(recording, item_id)
    if ConfirmForm().validate_on_submit():
        stream_items.remove_item(entry, acting_user())
    return _answer(recording, True)


@bp.post("/<int:recording_id>/items/renumber")
@merchant_required
def renumber(recording_id: int) -> ResponseReturnValue:
    """Number the list 1, 2, 3 … in its order."""
    recording = _load(recording_id)
    if ConfirmForm().validate_on_submit():
        stream_items.number_in_order(recording, acting_user())
    return _answer(recording, True)


def _preview(form: GoodsListForm, recording: Recording, save: bool) -> goods_list.GoodsPreview:
    """Read the form's list and preview it (or save it); a refusal is shown on the form."""
    text = goods_list.list_text(form.text.data, form.file.data)
    form.text.data = text
    if save:
        return goods_list.save_list(recording, acting_user(), text)
    return goods_list.preview_list(recording, text)


@bp.route("/<int:recording_id>/items/import", methods=["GET", "POST"])
@merchant_required
def import_list(recording_id: int) -> ResponseReturnValue:
    """Paste or upload the goods list; show a preview of every row, save nothing."""
    return _import(_load(recording_id), save=False)


@bp.post("/<int:recording_id>/items/import/confirm")
@merchant_required
def import_confirm(recording_id: int) -> ResponseReturnValue:
    """Save the previewed list when every row is matched; else show the preview again."""
    return _import(_load(recording_id), save=True)


def _import(recording: Recording, save: bool) -> ResponseReturnValue:
    form, preview = GoodsListForm(), None
    if form.validate_on_submit():
        with form_action(form):
            preview = _preview(form, recording, save)
    if preview is not None and preview.saved:
        count = len(preview.rows)
        flash(
            ngettext("The list now has %(num)d item.", "The list now has %(num)d items.", count),
            "success",
        )
        return redirect(url_for("recordings.detail", recording_id=recording.id) + "#stream-items")
    return render_template(
        "recordings/items_import.html", recording=recording, form=form, preview=preview
    )
