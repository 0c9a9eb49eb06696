"""Compliance pages: administrators edit the list of banned terms."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from media.clips.editor_data import EditorData
from media.clips.editor_extras import Part, add_editor_context
from media.qa.services import collecting_findings
from portal.auth.access import acting_user, admin_required
from portal.claims.models import ComplianceTerm
from portal.compliance import services
from portal.compliance.forms import EditTermForm, TermForm
from portal.compliance.presenters import CATEGORY_LABELS, category_label, hit_source_label
from portal.compliance.published import banned_word_findings
from portal.extensions import db
from portal.forms import form_action
from portal.library.exposure import published_holding
from portal.term_lists import switch_posted_term

bp = Blueprint("compliance", __name__, url_prefix="/admin/compliance", template_folder="templates")


@bp.record_once
def _listen(state: BlueprintSetupState) -> None:
    """Add the banned words said or shown to every render's QA report, and a clip's compliance
    hits to its editor."""
    collecting_findings.connect(banned_word_findings)
    add_editor_context(state.app, Part.PAGE, _editor_hits)


def _editor_hits(data: EditorData) -> dict[str, object]:
    """The clip editor's compliance part: the banned terms in its texts."""
    return {"hits": services.check_clip(data.clip, data.kept_lines)}


@bp.app_context_processor
def _compliance_labels() -> dict[str, object]:
    return {"compliance_category_label": category_label, "hit_source_label": hit_source_label}


@dataclass(frozen=True)
class TermGroup:
    """The terms of one category, for the list page."""

    label: str
    terms: list[ComplianceTerm]


def _groups() -> list[TermGroup]:
    rows = services.list_terms()
    return [
        TermGroup(str(label), [row for row in rows if row.category == category])
        for category, label in CATEGORY_LABELS.items()
    ]


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index() -> ResponseReturnValue:
    """List the banned terms by category and add one."""
    form = TermForm()
    if form.validate_on_submit():
        with form_action(form):
            row = services.add_term(
                acting_user(),
                category=form.category.data,
                term=form.term.data,
                note=form.note.data,
                exceptions=form.exception_words(),
            )
            flash(_("Term “%(term)s” added.", term=row.term), "success")
            return _answer(row)
    return render_template("compliance/terms.html", form=form, groups=_groups(), **_held_answer())


def _answer(row: ComplianceTerm) -> ResponseReturnValue:
    """After a term was added, edited or switched on: the list page, which says which published
    clips now hold it without an override (they stay published: a trainer decides)."""
    return redirect(url_for(".index", held=row.id))


def _held_answer() -> dict[str, object]:
    """The ``held`` term of the address (active) and the published clips holding it."""
    row = db.session.get(ComplianceTerm, request.args.get("held", type=int) or 0)
    if row is None or not row.is_active:
        return {}
    return {"checked": row, "held": published_holding(row.id)}


@bp.route("/<int:term_id>", methods=["GET", "POST"])
@admin_required
def edit(term_id: int) -> ResponseReturnValue:
    """Change one term."""
    row = services.get_term_or_404(term_id)
    form = EditTermForm(obj=row)
    form.show_exceptions(row.exceptions)
    if form.validate_on_submit():
        with form_action(form):
            services.edit_term(
                acting_user(),
                row,
                category=form.category.data,
                term=form.term.data,
                note=form.note.data,
                exceptions=form.exception_words(),
            )
            flash(_("Term “%(term)s” saved.", term=row.term), "success")
            return _answer(row)
    return render_template("compliance/edit.html", form=form, term=row)


@bp.post("/<int:term_id>/active")
@admin_required
def activation(term_id: int) -> ResponseReturnValue:
    """Switch a term off or on again (``active=0`` or ``1``)."""
    row = services.get_term_or_404(term_id)
    was_active = row.is_active
    switch_posted_term(row, lambda active: services.set_term_active(acting_user(), row, active))
    if row.is_active and not was_active:
        return _answer(row)
    return redirect(url_for(".index"))
