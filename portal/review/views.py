"""Review pages: the trainers' queue and review page, submitting, comments on versions."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from media.clips import rendering
from media.clips.editor_data import EditorData
from media.clips.editor_extras import Part, add_editor_context
from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.rendering import MIME_TYPES, list_versions, version_items
from media.clips.rendering import version_file as version_file_path
from media.clips.states import allowed_targets
from media.qa import services as qa
from portal.auth.access import acting_user, merchant_required, staff_required
from portal.catalog.signals import item_archived, item_certificate_changed, recalls_counted
from portal.comments import services as comments
from portal.comments.forms import CommentForm
from portal.compliance.published import check_version
from portal.errors import ConflictError, ServiceError
from portal.forms import ConfirmForm, form_action
from portal.library import publishing
from portal.library.forms import OverrideFlagsForm, flag_value
from portal.library.services import approved_photos, kept_items
from portal.organisations.scoping import get_any_or_404, get_owned_or_404
from portal.review import clip_lists, services
from portal.review import dashboard as board
from portal.review.forms import DecisionForm, SubmitVersionForm
from portal.web import render_page_or_partial, send_private_file

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")


@bp.record_once
def _listen(state: BlueprintSetupState) -> None:
    """Send clips back to review when a linked item is archived or its certificate changes;
    show the clip's review in its editor."""
    add_editor_context(state.app, Part.PAGE, _editor_review)
    item_archived.connect(publishing.recall_archived)
    item_certificate_changed.connect(publishing.recall_recertified)
    recalls_counted.connect(publishing.count_recalls)


def _editor_review(data: EditorData) -> dict[str, object]:
    """The clip editor's review part: the trainer's decisions, what a submission would send."""
    clip, newest = data.clip, data.latest_ready
    changes = rendering.changes_since(clip, newest) if newest else []
    return {
        "can_submit": services.can_submit(clip, acting_user()),
        "pending": services.pending_changes(clip),
        "decisions": services.decisions(clip),
        "newest_ready": newest,
        "unrendered": [change for change in changes if change != "text"],
        "submit_form": SubmitVersionForm(version_id=newest.id if newest else None),
    }


def clip_for_viewer(clip_id: int) -> Clip:
    """Staff may open any clip; a merchant only its own (others, and streamers of its
    organisation, answer 404)."""
    user = acting_user()
    if user.is_staff:
        return get_any_or_404(Clip, clip_id)
    return get_owned_or_404(Clip, clip_id, user.org_id if user.is_merchant else None)


@bp.get("/")
@staff_required
def queue() -> ResponseReturnValue:
    """Clips waiting for review, oldest first."""
    clips = clip_lists.clips_in_group(clip_lists.ClipGroup.IN_REVIEW, oldest_first=True)
    notes = {clip.id: services.recall_reason(clip) for clip in clips}
    return render_page_or_partial(
        "review/queue.html",
        "review/_queue.html",
        clips=clips,
        notes=notes,
        counts=clip_lists.count_clips(),
    )


@bp.get("/approved")
@staff_required
def approved() -> ResponseReturnValue:
    """Approved clips not yet published, longest waiting first, each with its publish button."""
    return render_page_or_partial(
        "review/approved.html",
        "review/_approved.html",
        approved=clip_lists.approved_queue(),
        counts=clip_lists.count_clips(),
        confirm_form=ConfirmForm(),
    )


@bp.get("/dashboard")
@staff_required
def dashboard() -> ResponseReturnValue:
    """Merchants by state, waiting clips, published clips holding a banned term, recent
    overrides, clips published per week."""
    return render_template(
        "review/dashboard.html",
        merchants=board.merchants_by_state(),
        waiting=board.waiting_clips(),
        overrides=board.recent_overrides(),
        held=board.held_clips(),
        publishing=board.published_per_week(),
    )


def _page(clip: Clip, **forms: object) -> ResponseReturnValue:
    shown, older = services.version_pair(clip, request.args.get("version", type=int))
    reviewed = services.review_version(clip)
    context = {
        "clip": clip,
        "shown": shown,
        "older": older,
        "versions": list_versions(clip),
        "reviewed": reviewed,
        "items": version_items(shown) if shown else [],
        **_kept_context(shown),
        "diff": services.subtitle_diff(older, shown) if shown and older else [],
        "text_diff": services.text_changes(older, shown) if shown and older else [],
        "new_photos": services.photos_added(older, shown) if shown and older else set(),
        "decisions": services.decisions(clip),
        "comments": comments.list_comments(clip),
        "comment_form": CommentForm(version_id=shown.id if shown else ""),
        "decision_form": forms.get("decision_form")
        or DecisionForm(version_id=reviewed.id if reviewed else None),
        **_flags_context(clip, shown, reviewed, forms.get("flags_form")),
        "blockers": publishing.publish_blockers(clip) if clip.state == ClipState.APPROVED else [],
        "archived_items": publishing.archived_items(clip),
        "confirm_form": ConfirmForm(),
        "recall_reason": services.recall_reason(clip),
        "approved_id": services.last_approved_version_id(clip),
        "can_publish": ClipState.PUBLISHED in allowed_targets(clip, acting_user()),
        "can_unpublish": clip.state == ClipState.PUBLISHED
        and ClipState.APPROVED in allowed_targets(clip, acting_user()),
        "version_labels": {v.id: _("Version %(n)s", n=v.number) for v in list_versions(clip)},
        "qa_report": qa.report_for(shown) if shown else None,
    }
    return render_page_or_partial("review/clip.html", "review/_decision.html", **context)


def _kept_context(shown: ClipVersion | None) -> dict[str, object]:
    """What approving the shown version lets the library show of its items besides the card:
    their spoken aliases (public search) and photos (public pages), as the version kept them."""
    kept = kept_items(shown) if shown else {}
    return {"kept": kept, "kept_photos": {i: approved_photos(a) for i, a in kept.items()}}


def _flags_context(
    clip: Clip, shown: ClipVersion | None, reviewed: ClipVersion | None, posted: object
) -> dict[str, object]:
    """The submitted version's flags, open (with a checkbox value each) and resolved.

    Another version on screen shows its own hits, read only: overrides belong to the
    submitted version.
    """
    flagged = publishing.flagged_hits(clip)
    form = posted if isinstance(posted, OverrideFlagsForm) else None
    return {
        "open_flags": [(f, flag_value(f.hit.key)) for f in flagged if f.is_open],
        "resolved_flags": [f for f in flagged if not f.is_open],
        "flags_form": form or OverrideFlagsForm(formdata=None, version_id=clip.review_version_id),
        "other_hits": check_version(shown) if shown and shown is not reviewed else None,
    }


@bp.get("/clips/<int:clip_id>")
@staff_required
def clip_page(clip_id: int) -> ResponseReturnValue:
    """The review page: player with versions, items and certificates, subtitles, comments."""
    return _page(get_any_or_404(Clip, clip_id))


@bp.post("/clips/<int:clip_id>/decision")
@staff_required
def decide(clip_id: int) -> ResponseReturnValue:
    """Approve, request changes, or reject."""
    clip = get_any_or_404(Clip, clip_id)
    form = DecisionForm()
    if form.validate_on_submit():
        actor, message = acting_user(), form.message.data or ""
        decisions = {
            "approve": lambda: services.approve(clip, actor),
            "changes": lambda: services.request_changes(clip, actor, message),
            "reject": lambda: services.reject(clip, actor, message),
        }
        with form_action(form):
            services.require_reviewed_version(clip, form.version_id.data)
            decisions[form.decision.data]()
            flash(_("Decision sent to the merchant."), "success")
            # After approving, the next step is publishing: the approved list offers it.
            next_page = ".approved" if form.decision.data == "approve" else ".queue"
            return redirect(url_for(next_page))
    return _page(clip, decision_form=form)


@bp.post("/clips/<int:clip_id>/submit")
@merchant_required
def submit(clip_id: int) -> ResponseReturnValue:
    """A merchant sends its clip to review."""
    clip = clip_for_viewer(clip_id)
    form = SubmitVersionForm()
    if form.validate_on_submit():
        version = services.submit_for_review(clip, acting_user(), form.version_id.data)
        flash(
            _(
                "Version %(n)s submitted for review. A trainer will look at it soon.",
                n=version.number,
            ),
            "success",
        )
    return redirect(url_for("clips.editor", clip_id=clip.id))


@bp.post("/clips/<int:clip_id>/overrides")
@staff_required
def override(clip_id: int) -> ResponseReturnValue:
    """A trainer lets the ticked compliance flags stand, with one written reason."""
    clip = get_any_or_404(Clip, clip_id)
    form = OverrideFlagsForm()
    if form.validate_on_submit():
        with form_action(form):
            publishing.override_hits(
                clip,
                acting_user(),
                version_id=form.version_id.data,
                keys=form.flag_keys(),
                reason=form.reason.data or "",
            )
            flash(_("Override saved."), "success")
            return redirect(url_for(".clip_page", clip_id=clip.id) + "#compliance-hits")
    return _page(clip, flags_form=form)


PUBLICATION = {
    "publish": (publishing.publish, lambda: _("Published to the library.")),
    "unpublish": (publishing.unpublish, lambda: _("Taken out of the library.")),
}


def _may_publish() -> None:
    if acting_user().is_merchant and not current_app.config["MERCHANT_CAN_PUBLISH"]:
        abort(403)


@bp.post("/clips/<int:clip_id>/<any(publish, unpublish):action>")
@login_required
def publication(clip_id: int, action: str) -> ResponseReturnValue:
    """Publish an approved clip to the library, or take it out again."""
    clip = clip_for_viewer(clip_id)
    _may_publish()
    if ConfirmForm().validate_on_submit():
        move, done = PUBLICATION[action]
        try:
            move(clip, acting_user())
        except ConflictError as exc:  # a stale page or a race: say why, back on the page
            flash(exc.message, "error")
        else:
            flash(done(), "success")
    if acting_user().is_staff:
        return redirect(url_for(".clip_page", clip_id=clip.id) + "#publishing")
    return redirect(url_for("clips.editor", clip_id=clip.id))


def _back_to(clip: Clip) -> str:
    if acting_user().is_staff:
        return url_for(".clip_page", clip_id=clip.id) + "#comments"
    return url_for("clips.editor", clip_id=clip.id) + "#comments"


@bp.post("/clips/<int:clip_id>/comments")
@login_required
def add_comment(clip_id: int) -> ResponseReturnValue:
    """Pin a comment (or a reply) to the current time of a version."""
    clip = clip_for_viewer(clip_id)
    form = CommentForm()
    if form.validate_on_submit():
        parent = (
            comments.get_comment_or_404(clip, int(form.parent_id.data))
            if (form.parent_id.data or "").isdigit()
            else None
        )
        version_ids = {v.id for v in list_versions(clip)}
        version_id = int(form.version_id.data) if (form.version_id.data or "").isdigit() else None
        try:
            comments.add_comment(
                clip,
                acting_user(),
                body=form.body.data,
                at_s=float(form.at_s.data or 0),
                version_id=version_id if version_id in version_ids else None,
                parent=parent,
            )
        except ServiceError as exc:
            flash(exc.message, "error")
    else:
        flash(_("Write a comment first."), "error")
    return redirect(_back_to(clip))


@bp.post("/clips/<int:clip_id>/comments/<int:comment_id>/resolve")
@login_required
def resolve_comment(clip_id: int, comment_id: int) -> ResponseReturnValue:
    """Mark a comment dealt with (or open it again)."""
    clip = clip_for_viewer(clip_id)
    comment = comments.get_comment_or_404(clip, comment_id)
    if ConfirmForm().validate_on_submit():
        comments.set_resolved(comment, acting_user(), request.form.get("resolved") == "1")
    return redirect(_back_to(clip))


@bp.get("/clips/<int:clip_id>/versions/<int:version_id>/<any(video, poster, vtt):kind>")
@staff_required
def version_file(clip_id: int, version_id: int, kind: str) -> ResponseReturnValue:
    """Serve any clip version's file to staff (Range supported)."""
    clip = get_any_or_404(Clip, clip_id)
    version = get_any_or_404(ClipVersion, version_id)
    if version.clip_id != clip.id or not version.is_ready:
        abort(404)
    return send_private_file(version_file_path(version, kind), mimetype=MIME_TYPES[kind])
