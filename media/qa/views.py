"""The merchant's override of a render's QA findings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from media.clips.editor_data import EditorData
from media.clips.editor_extras import Part, add_editor_context
from media.clips.models import Clip, ClipVersion
from media.clips.signals import render_finished
from media.qa import services
from media.qa.forms import QaOverrideForm
from media.qa.presenters import check_label, finding_detail
from portal.auth.access import acting_user, current_org_id, merchant_required
from portal.forms import form_action
from portal.organisations.scoping import get_owned_or_404
from portal.web import htmx_refresh, render_page_or_partial, wants_partial

bp = Blueprint("qa", __name__, url_prefix="/clips", template_folder="templates")


@bp.record_once
def _listen(state: BlueprintSetupState) -> None:
    """Check every finished render; show the renders' QA reports in the clip editor, and whether
    they block a submission."""
    render_finished.connect(services.check_render)
    add_editor_context(state.app, Part.PAGE, _editor_blocked)
    add_editor_context(state.app, Part.VERSIONS, _editor_reports)


def _editor_blocked(data: EditorData) -> dict[str, object]:
    """Whether the newest ready version's QA findings keep it from being submitted."""
    newest = data.latest_ready
    return {"qa_blocked": newest is not None and services.is_blocked(newest)}


def _editor_reports(data: EditorData) -> dict[str, object]:
    """Each rendered version's QA report and the override form, for the editor's versions list
    (none is looked for while the only version is still rendering: the poll stays small)."""
    return {
        "qa_reports": services.reports_for(v for v in data.versions if v.is_ready),
        "qa_form": QaOverrideForm(),
    }


@bp.app_context_processor
def _qa_helpers() -> dict[str, object]:
    return {"qa_check_label": check_label, "qa_finding_detail": finding_detail}


@bp.post("/<int:clip_id>/versions/<int:version_id>/qa-override")
@merchant_required
def override(clip_id: int, version_id: int) -> ResponseReturnValue:
    """Let a version's QA findings stand, with one written reason."""
    clip = get_owned_or_404(Clip, clip_id, current_org_id())
    version = get_owned_or_404(ClipVersion, version_id, current_org_id())
    if version.clip_id != clip.id:
        return redirect(url_for("clips.editor", clip_id=clip.id))
    form = QaOverrideForm()
    editor_url = url_for("clips.editor", clip_id=clip.id) + f"#qa-{version.id}"
    if form.validate_on_submit():
        with form_action(form):
            services.override_findings(version, acting_user(), form.reason.data or "")
            flash(_("Override saved: the trainer will read your reason."), "success")
            # The whole page again: its submit button comes back.
            return htmx_refresh() if wants_partial() else redirect(editor_url)
    if not wants_partial():
        for error in form.reason.errors:
            flash(error, "error")
        return redirect(editor_url)
    report = services.report_for(version)
    return render_page_or_partial(
        "qa/_report.html",
        "qa/_report.html",
        clip=clip,
        version=version,
        report=report,
        qa_form=form,
        can_override=True,
    )
