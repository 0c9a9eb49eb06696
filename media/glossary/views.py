"""Glossary pages: administrators list, add, edit and switch off jade-trade terms."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from media.glossary import services
from media.glossary.forms import EditGlossaryTermForm, GlossaryTermForm
from portal.auth.access import acting_user, admin_required
from portal.forms import form_action
from portal.term_lists import switch_posted_term

bp = Blueprint("glossary", __name__, url_prefix="/admin/glossary", template_folder="templates")


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index() -> ResponseReturnValue:
    """List the glossary and add a term."""
    form = GlossaryTermForm()
    if form.validate_on_submit():
        with form_action(form):
            row = services.add_term(acting_user(), term=form.term.data, note=form.note.data)
            flash(_("Term “%(term)s” added.", term=row.term), "success")
            return redirect(url_for(".index"))
    return render_template("glossary/terms.html", form=form, terms=services.list_terms())


@bp.route("/<int:term_id>", methods=["GET", "POST"])
@admin_required
def edit(term_id: int) -> ResponseReturnValue:
    """Change one term."""
    row = services.get_term_or_404(term_id)
    form = EditGlossaryTermForm(obj=row)
    if form.validate_on_submit():
        with form_action(form):
            services.edit_term(acting_user(), row, term=form.term.data, note=form.note.data)
            flash(_("Term “%(term)s” saved.", term=row.term), "success")
            return redirect(url_for(".index"))
    return render_template("glossary/edit.html", form=form, term=row)


@bp.post("/<int:term_id>/active")
@admin_required
def activation(term_id: int) -> ResponseReturnValue:
    """Switch a term off or on again (``active=0`` or ``1``)."""
    row = services.get_term_or_404(term_id)
    switch_posted_term(row, lambda active: services.set_term_active(acting_user(), row, active))
    return redirect(url_for(".index"))
