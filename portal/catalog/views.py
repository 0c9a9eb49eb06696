"""Catalog pages: a merchant's own items, and a read-only view of all catalogs for staff."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from portal.auth.access import acting_user, current_org_id, merchant_required, staff_required
from portal.catalog import certificates, csv_io, photos, services
from portal.catalog.forms import FilterForm, ImportForm, ItemForm, PhotoForm, PhotoMoveForm
from portal.catalog.models import CatalogImport, Item, ItemPhoto
from portal.errors import ServiceError
from portal.forms import ConfirmForm, form_action
from portal.organisations.scoping import get_any_or_404, get_owned_or_404
from portal.organisations.services import list_organisations
from portal.routing import query_id, query_page
from portal.web import render_page_or_partial, send_private_file

bp = Blueprint("catalog", __name__, url_prefix="/catalog", template_folder="templates")


def _category_choices() -> list[tuple[int, str]]:
    locale = str(get_locale())
    return [(c.id, c.label(locale)) for c in services.list_categories()]


def _filter_from_request(form: FilterForm, org_id: int | None = None) -> services.ItemFilter:
    form.category.choices = [(0, _("All categories")), *_category_choices()]
    form.validate()
    return services.ItemFilter(
        query=form.q.data or "",
        category_id=form.category.data or None,
        show_archived=bool(form.archived.data),
        org_id=org_id,
    )


@bp.get("/")
@merchant_required
def index() -> ResponseReturnValue:
    """List, search and filter the merchant's items."""
    form = FilterForm(request.args)
    page = services.list_items(current_org_id(), _filter_from_request(form), query_page())
    return render_page_or_partial(
        "catalog/index.html", "catalog/_items.html", form=form, page=page, staff=False
    )


def _item_form(item: Item | None = None) -> ItemForm:
    form = ItemForm(obj=item)
    form.set_category_choices(_category_choices())
    if item is not None and not form.is_submitted():
        form.aliases.data = "\n".join(item.aliases)
        form.price.data = item.price_cents / 100 if item.price_cents is not None else None
        form.category_id.data = item.category_id or 0
    return form


def _save_item_form(form: ItemForm, item: Item | None) -> Item | None:
    """Validate and save; return the saved item, or None with errors on the form."""
    if not form.validate_on_submit():
        return None
    actor, org_id = acting_user(), current_org_id()
    upload, stored = form.cert_image.data, None
    if not isinstance(upload, FileStorage):  # ItemForm(obj=item) holds the stored file's name
        upload = None
    with form_action(form):
        try:
            # The image first: an unreadable file must leave the item unsaved.
            if upload:
                stored = certificates.store_certificate_image(
                    upload.stream, org_id, current_app.config["MAX_IMAGE_BYTES"]
                )
            if item is None:
                item = services.create_item(org_id, actor, form.to_data())
            else:
                services.update_item(item, actor, form.to_data())
        except ServiceError:
            certificates.delete_certificate_image(org_id, stored)
            raise
        if stored:
            replaced = item.cert_image
            services.set_certificate_image(item, actor, stored)
            certificates.delete_certificate_image(org_id, replaced)
        return item
    return None


@bp.route("/items/new", methods=["GET", "POST"])
@merchant_required
def create() -> ResponseReturnValue:
    """Add an item."""
    form = _item_form()
    item = _save_item_form(form, None)
    if item is not None:
        flash(_("Item %(sku)s saved.", sku=item.sku), "success")
        return redirect(url_for(".detail", item_id=item.id))
    return render_page_or_partial("catalog/edit.html", "catalog/_form.html", form=form, item=None)


@bp.get("/items/<int:item_id>")
@merchant_required
def detail(item_id: int) -> ResponseReturnValue:
    """Show one item."""
    return _detail_page(get_owned_or_404(Item, item_id, current_org_id()), PhotoForm(formdata=None))


def _detail_page(item: Item, photo_form: PhotoForm) -> ResponseReturnValue:
    return render_page_or_partial(
        "catalog/detail.html",
        "catalog/_detail.html",
        item=item,
        staff=False,
        form=ConfirmForm(),
        photo_form=photo_form,
    )


@bp.post("/items/<int:item_id>/photos")
@merchant_required
def add_photos(item_id: int) -> ResponseReturnValue:
    """Upload photos of an item; a bad file adds none and is named beside the field."""
    item = get_owned_or_404(Item, item_id, current_org_id())
    form = PhotoForm()
    if form.validate_on_submit():
        limit = current_app.config["MAX_IMAGE_BYTES"] + 1
        uploads = [(upload.filename or "", upload.read(limit)) for upload in form.photos.data]
        with form_action(form):
            count = photos.add_photos(item, acting_user(), uploads)
            flash(ngettext("%(num)s photo added.", "%(num)s photos added.", count), "success")
            return redirect(url_for(".detail", item_id=item.id, _anchor="item-photos"))
    return _detail_page(item, form)


def _owned_photo_or_404(item_id: int, photo_id: int) -> ItemPhoto:
    return photos.get_photo_or_404(item_id, photo_id, current_org_id())


@bp.get("/items/<int:item_id>/photos/<int:photo_id>/<any(full, thumb):size>")
@merchant_required
def photo(item_id: int, photo_id: int, size: photos.Size) -> ResponseReturnValue:
    """Serve one of the item's photos to its organisation."""
    return _send_photo(_owned_photo_or_404(item_id, photo_id), size)


def _send_photo(shown: ItemPhoto, size: photos.Size) -> Response:
    return send_private_file(photos.photo_path(shown, size), mimetype="image/jpeg", max_age=300)


@bp.post("/items/<int:item_id>/photos/<int:photo_id>/move")
@merchant_required
def move_photo(item_id: int, photo_id: int) -> ResponseReturnValue:
    """Make a photo primary, or move it one place earlier or later."""
    moved = _owned_photo_or_404(item_id, photo_id)
    form = PhotoMoveForm()
    if form.validate_on_submit():
        photos.move_photo(moved, acting_user(), form.action.data)
    return redirect(url_for(".detail", item_id=item_id, _anchor="item-photos"))


@bp.post("/items/<int:item_id>/photos/<int:photo_id>/delete")
@merchant_required
def delete_photo(item_id: int, photo_id: int) -> ResponseReturnValue:
    """Delete a photo and its files."""
    deleted = _owned_photo_or_404(item_id, photo_id)
    if ConfirmForm().validate_on_submit():
        photos.delete_photo(deleted, acting_user())
        flash(_("Photo deleted."), "success")
    return redirect(url_for(".detail", item_id=item_id, _anchor="item-photos"))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@merchant_required
def edit(item_id: int) -> ResponseReturnValue:
    """Edit an item."""
    item = get_owned_or_404(Item, item_id, current_org_id())
    form = _item_form(item)
    if _save_item_form(form, item) is not None:
        flash(_("Item %(sku)s saved.", sku=item.sku), "success")
        return redirect(url_for(".detail", item_id=item.id))
    return render_page_or_partial("catalog/edit.html", "catalog/_form.html", form=form, item=item)


@bp.post("/items/<int:item_id>/archive")
@merchant_required
def archive(item_id: int) -> ResponseReturnValue:
    """Archive or restore an item (``restore=1`` brings it back)."""
    item = get_owned_or_404(Item, item_id, current_org_id())
    if ConfirmForm().validate_on_submit():
        restoring = request.form.get("restore") == "1"
        services.set_archived(item, acting_user(), archived=not restoring)
        flash(_("Item restored.") if restoring else _("Item archived."), "success")
    return redirect(url_for(".detail", item_id=item.id))


@bp.get("/items/<int:item_id>/certificate")
@merchant_required
def certificate_image(item_id: int) -> ResponseReturnValue:
    """Serve the item's certificate image to its organisation."""
    return _send_certificate(get_owned_or_404(Item, item_id, current_org_id()))


def _send_certificate(item: Item) -> Response:
    if not item.cert_image:
        abort(404)
    path = certificates.certificate_path(item.org_id, item.cert_image)
    return send_private_file(path, mimetype="image/jpeg", max_age=300)


@bp.get("/export.csv")
@merchant_required
def export() -> ResponseReturnValue:
    """Download the catalog as CSV."""
    body = csv_io.export_csv(current_org_id())
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=catalog.csv"},
    )


@bp.route("/import", methods=["GET", "POST"])
@merchant_required
def import_upload() -> ResponseReturnValue:
    """Upload a CSV file; show a preview of every row before anything is written."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        with form_action(form, field="file"):
            rows = csv_io.parse_upload(upload.read(), current_org_id())
            pending = csv_io.save_preview(
                current_org_id(), acting_user(), upload.filename or "catalog.csv", rows
            )
            return redirect(url_for(".import_preview", import_id=pending.id))
    return render_page_or_partial("catalog/import.html", "catalog/_import_form.html", form=form)


@bp.route("/import/<int:import_id>", methods=["GET", "POST"])
@merchant_required
def import_preview(import_id: int) -> ResponseReturnValue:
    """Preview a parsed file; confirming writes every row or none."""
    pending = get_owned_or_404(CatalogImport, import_id, current_org_id())
    rows = csv_io.preview_rows(pending)
    form = ConfirmForm()
    if form.validate_on_submit():
        count = csv_io.commit_import(pending, acting_user())
        flash(_("%(count)s items imported.", count=count), "success")
        return redirect(url_for(".index"))
    has_errors = any(row.errors for row in rows)
    return render_page_or_partial(
        "catalog/import_preview.html",
        "catalog/_import_rows.html",
        pending=pending,
        rows=rows,
        form=form,
        has_errors=has_errors,
        recalls=0 if has_errors else csv_io.clips_to_recall(pending),
    )


@bp.get("/all")
@staff_required
def staff_index() -> ResponseReturnValue:
    """Every organisation's items, read-only, for base staff."""
    org_id = query_id("org") or None
    form = FilterForm(request.args)
    page = services.list_all_items(_filter_from_request(form, org_id), query_page())
    return render_page_or_partial(
        "catalog/index.html",
        "catalog/_items.html",
        form=form,
        page=page,
        staff=True,
        organisations=list_organisations(),
        selected_org=org_id,
    )


@bp.get("/all/items/<int:item_id>")
@staff_required
def staff_detail(item_id: int) -> ResponseReturnValue:
    """One item of any organisation, read-only."""
    item = get_any_or_404(Item, item_id)
    return render_page_or_partial(
        "catalog/detail.html", "catalog/_detail.html", item=item, staff=True, form=None
    )


@bp.get("/all/items/<int:item_id>/photos/<int:photo_id>/<any(full, thumb):size>")
@staff_required
def staff_photo(item_id: int, photo_id: int, size: photos.Size) -> ResponseReturnValue:
    """Serve any item's photo to staff."""
    return _send_photo(photos.get_photo_or_404(item_id, photo_id, org_id=None), size)


@bp.get("/all/items/<int:item_id>/certificate")
@staff_required
def staff_certificate_image(item_id: int) -> ResponseReturnValue:
    """Serve any item's certificate image to staff."""
    return _send_certificate(get_any_or_404(Item, item_id))
