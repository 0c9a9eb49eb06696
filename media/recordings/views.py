"""Recording pages: list and add, processing status, player with transcript, downloads, delete.

The transcript beside the player comes in pieces of a few minutes (``media.transcripts.pieces``):
the page holds the first ones, ``transcript_piece`` answers the rest, ``transcript_jump`` and
``transcript_find`` take the merchant to a time or to the sentences holding a word.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from media.recordings import services, usage
from media.recordings.forms import (
    FindForm,
    JumpForm,
    RecordingAccountForm,
    RecordingForm,
    SentenceForm,
    language_choices,
    live_account_choices,
)
from media.recordings.models import Language, Recording
from media.recordings.stream_views import item_section
from media.transcripts import corrections, exports, pieces
from media.transcripts import services as transcripts
from media.transcripts.aliases import alias_offers_for
from media.transcripts.models import Transcript
from media.uploads.services import get_completed_upload_or_404
from media.usage import add_usage_source
from portal.auth.access import (
    acting_user,
    current_org_id,
    merchant_required,
    org_reader_required,
)
from portal.forms import ConfirmForm, form_action
from portal.jobs import services as jobs
from portal.organisations.scoping import get_owned_or_404
from portal.team import accounts
from portal.team.signals import live_account_deleted
from portal.web import htmx_refresh, render_page_or_partial, send_private_file, wants_partial

bp = Blueprint("recordings", __name__, url_prefix="/media/recordings", template_folder="templates")


@bp.context_processor
def _display_helpers() -> dict[str, object]:
    labels = dict(language_choices())
    return {
        "language_label": lambda code: labels.get(code, code),
        "text_pieces": corrections.sentence_pieces,
        # A streamer of the organisation reads (their own accounts' recordings); merchants manage.
        "can_manage": current_user.is_authenticated and current_user.is_merchant,
    }


@bp.record_once
def _listen(state: BlueprintSetupState) -> None:
    """A deleted live account's recordings stream on no account; recordings count against the
    storage quotas."""
    live_account_deleted.connect(services.forget_live_account)
    add_usage_source(state.app, usage.RECORDINGS)


def _load(recording_id: int) -> Recording:
    """The recording: the merchant's organisation's, or a streamer's own account's; else 404."""
    user = acting_user()
    if user.is_org_streamer:
        recording = get_owned_or_404(Recording, recording_id, user.org_id)
        if recording.live_account_id not in accounts.accounts_of_streamer(user):
            abort(404)
        return recording
    return get_owned_or_404(Recording, recording_id, current_org_id())


def _load_transcribed(recording_id: int) -> tuple[Recording, Transcript]:
    """The recording and its transcript; none yet is a 404."""
    recording = _load(recording_id)
    transcript = transcripts.get_transcript(recording)
    if transcript is None:
        abort(404)
    return recording, transcript


def _seconds_arg(name: str) -> float | None:
    """The query argument ``name`` as seconds; None when missing or not a finite number."""
    try:
        value = float(request.args.get(name, "nan"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _detail_context(recording: Recording, at_s: float = 0.0, **tools: Any) -> dict[str, Any]:
    """The recording page: status, items, and the transcript opened at ``at_s`` seconds.

    ``tools`` fill in the jump and find forms (``jump_form``, ``find_form``, ``found``).
    """
    transcript = transcripts.get_transcript(recording)
    opened = pieces.open_pieces(transcript, at_s) if transcript else []
    return {
        "recording": recording,
        "job": services.transcription_job(recording),
        "transcript": transcript,
        "pieces": opened,
        "sentence_count": sum(piece.count for piece in opened),
        "unclear": transcripts.unclear_ranges_label(transcript),
        "action_form": ConfirmForm(),
        "jump_form": JumpForm(formdata=None),
        "find_form": FindForm(formdata=None),
        "found": None,
        "goto_s": None,
        **_provenance(recording),
        **item_section(recording, is_open=transcript is None),
        **tools,
    }


def _provenance(recording: Recording, form: RecordingAccountForm | None = None) -> dict[str, Any]:
    """Which live account streamed the recording (and the form to change it), who added it and
    who changed it last."""
    if form is None:
        form = RecordingAccountForm(formdata=None, live_account_id=recording.live_account_id or 0)
    form.live_account_id.choices = live_account_choices(accounts.list_accounts(recording.org_id))
    return {
        "provenance": accounts.provenance(
            recording.org_id,
            recording.live_account_id,
            recording.created_by_id,
            recording.updated_by_id,
        ),
        "account_form": form,
    }


@bp.post("/<int:recording_id>/account")
@merchant_required
def live_account(recording_id: int) -> ResponseReturnValue:
    """Say which live account streamed the recording."""
    recording = _load(recording_id)
    form = RecordingAccountForm()
    form.live_account_id.choices = live_account_choices(accounts.list_accounts(recording.org_id))
    if form.validate_on_submit():
        with form_action(form):
            services.set_live_account(recording, acting_user(), form.live_account_id.data)
            flash(_("Live account saved."), "success")
            return redirect(url_for(".detail", recording_id=recording.id))
    return _page_or_tool(recording, "recordings/_provenance.html", **_provenance(recording, form))


def _page_or_tool(recording: Recording, partial: str, **tool: Any) -> ResponseReturnValue:
    """The tool's partial for htmx, else the recording page with the tool filled in."""
    context = (
        {"recording": recording, **tool} if wants_partial() else _detail_context(recording, **tool)
    )
    return render_page_or_partial("recordings/detail.html", partial, **context)


def _list_page(form: RecordingForm | None) -> ResponseReturnValue:
    """The recordings the user may open, narrowed to ``?account=`` (a live account id)."""
    user = acting_user()
    offered = accounts.list_accounts(user.org_id or 0)
    if user.is_org_streamer:
        own = accounts.accounts_of_streamer(user)
        offered = [account for account in offered if account.id in own]
    by_account = accounts.account_filter(offered, request.args.get("account", type=int))
    shown = [by_account.chosen] if by_account.chosen else None
    if user.is_org_streamer and shown is None:
        shown = list(by_account.names)
    recordings = services.list_recordings(user.org_id or 0, shown)
    return render_page_or_partial(
        "recordings/index.html",
        "recordings/_list.html",
        form=form,
        recordings=recordings,
        jobs=services.jobs_by_recording(recordings),
        by_account=by_account,
    )


@bp.route("/", methods=["GET", "POST"])
@org_reader_required
def index() -> ResponseReturnValue:
    """List recordings (by live account); merchants add a new one (streamers only read)."""
    if acting_user().is_org_streamer:
        if request.method == "POST":
            abort(403)
        return _list_page(None)
    form = RecordingForm()
    form.live_account_id.choices = live_account_choices(accounts.list_accounts(current_org_id()))
    if form.validate_on_submit():
        upload = get_completed_upload_or_404(form.upload_id.data, acting_user().id)
        details = services.NewRecording(
            title=form.title.data,
            language=Language(form.language.data),
            original_filename=upload.filename,
            live_account_id=form.live_account_id.data or None,
        )
        with form_action(form, field="upload_id"):
            recording = services.add_recording_from_upload(
                current_org_id(), acting_user(), upload, details
            )
            flash(_("Recording added. Transcription has started."), "success")
            return redirect(url_for(".detail", recording_id=recording.id))
    return _list_page(form)


@bp.get("/<int:recording_id>")
@org_reader_required
def detail(recording_id: int) -> ResponseReturnValue:
    """The recording: its processing status, or its player and transcript."""
    recording = _load(recording_id)
    context = _detail_context(recording, _seconds_arg("t") or 0.0)
    return render_page_or_partial("recordings/detail.html", "recordings/_status.html", **context)


@bp.get("/<int:recording_id>/transcript")
@org_reader_required
def transcript_piece(recording_id: int) -> ResponseReturnValue:
    """A piece of the transcript: the sentences that start from ``from`` to ``to`` seconds."""
    recording, transcript = _load_transcribed(recording_id)
    start_s = _seconds_arg("from")
    if start_s is None:
        abort(400)
    end_s = _seconds_arg("to") or start_s + pieces.PIECE_MS / 1000
    piece = pieces.load_piece(transcript, start_s, end_s)
    if not wants_partial():
        return redirect(url_for(".detail", recording_id=recording.id, t=piece.start_s))
    return render_page_or_partial(
        "recordings/detail.html", "recordings/_piece.html", recording=recording, piece=piece
    )


@bp.get("/<int:recording_id>/transcript/jump")
@org_reader_required
def transcript_jump(recording_id: int) -> ResponseReturnValue:
    """Check a time to jump to; the page then seeks there and opens its piece of transcript."""
    recording, transcript = _load_transcribed(recording_id)
    form, goto_s = JumpForm(request.args), None
    if form.validate():
        with form_action(form):
            pieces.check_time(recording, transcript, form.seconds)
            if not wants_partial():
                return redirect(url_for(".detail", recording_id=recording.id, t=form.seconds))
            goto_s = form.seconds
    return _page_or_tool(recording, "recordings/_jump.html", jump_form=form, goto_s=goto_s)


@bp.get("/<int:recording_id>/transcript/find")
@org_reader_required
def transcript_find(recording_id: int) -> ResponseReturnValue:
    """Find words in the transcript: the sentences that hold them, with their times."""
    recording, transcript = _load_transcribed(recording_id)
    if "q" not in request.args:  # "Clear": the empty form
        return _page_or_tool(recording, "recordings/_find.html", find_form=FindForm(formdata=None))
    form = FindForm(request.args)
    found = pieces.find_sentences(transcript, form.q.data) if form.validate() else None
    return _page_or_tool(recording, "recordings/_find.html", find_form=form, found=found)


@bp.get("/<int:recording_id>/status")
@org_reader_required
def status(recording_id: int) -> ResponseReturnValue:
    """The polled status partial; asks the page to reload when processing ends."""
    recording = _load(recording_id)
    job = services.transcription_job(recording)
    response = render_page_or_partial(
        "recordings/detail.html",
        "recordings/_status.html",
        recording=recording,
        job=job,
        action_form=ConfirmForm(),
        transcript=None,
        **item_section(recording),
        **_provenance(recording),
    )
    if request.args.get("polling") and not services.is_processing(job):
        return htmx_refresh(response)
    return response


@bp.post("/<int:recording_id>/cancel")
@merchant_required
def cancel(recording_id: int) -> ResponseReturnValue:
    """Cancel the running transcription."""
    return _job_action(recording_id, jobs.cancel_job, _("Cancelling…"))


@bp.post("/<int:recording_id>/retry")
@merchant_required
def retry(recording_id: int) -> ResponseReturnValue:
    """Run a failed or cancelled transcription again."""
    return _job_action(recording_id, jobs.retry_job, _("Transcription restarted."))


@bp.post("/<int:recording_id>/delete")
@merchant_required
def delete(recording_id: int) -> ResponseReturnValue:
    """Delete the recording and its transcript (refused while transcribing or with clips)."""
    recording = _load(recording_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with form_action(form):
            title = recording.title
            services.delete_recording(recording, acting_user())
            flash(_("Recording “%(title)s” deleted.", title=title), "success")
            return redirect(url_for(".index"))
    return redirect(url_for(".detail", recording_id=recording.id))


def _job_action(recording_id: int, action: object, message: str) -> ResponseReturnValue:
    recording = _load(recording_id)
    job = services.transcription_job(recording)
    if job is not None and ConfirmForm().validate_on_submit():
        action(job, acting_user())  # type: ignore[operator]
        flash(message, "info")
    return redirect(url_for(".detail", recording_id=recording.id))


@bp.get("/<int:recording_id>/video")
@org_reader_required
def video(recording_id: int) -> ResponseReturnValue:
    """Stream the source video (HTTP Range supported, so seeking works)."""
    recording = _load(recording_id)
    return send_private_file(
        services.source_path(recording), mimetype=services.mime_type(recording)
    )


@bp.get("/<int:recording_id>/transcript.<any(srt, vtt, txt, json):fmt>")
@org_reader_required
def transcript_file(recording_id: int, fmt: str) -> ResponseReturnValue:
    """Download the transcript as SRT, WebVTT, plain text or JSON (edited text where edited)."""
    recording = _load(recording_id)
    body = services.transcript_export(recording, fmt)
    filename = f"recording-{recording.id}.{fmt}"
    disposition = "inline" if fmt == "vtt" else f"attachment; filename={filename}"
    return Response(
        body, mimetype=exports.MIME_TYPES[fmt], headers={"Content-Disposition": disposition}
    )


@bp.route("/<int:recording_id>/sentences/<int:sentence_id>", methods=["GET", "POST"])
@merchant_required
def sentence(recording_id: int, sentence_id: int) -> ResponseReturnValue:
    """Show one sentence (``?edit=1`` for its form) or save its corrected text."""
    recording = _load(recording_id)
    transcript = transcripts.get_transcript(recording)
    if transcript is None:
        return redirect(url_for(".detail", recording_id=recording.id))
    item = transcripts.get_sentence_or_404(transcript, sentence_id)
    form = SentenceForm(text=item.shown_text)
    editing = request.args.get("edit") == "1"
    if form.validate_on_submit():
        editing = True
        with form_action(form, field="text"):
            transcripts.edit_sentence(item, acting_user(), form.text.data)
            editing = False
    elif form.is_submitted():
        editing = True
    offers = [] if editing else alias_offers_for(recording.org_id, item.text, item.shown_text)
    return render_page_or_partial(
        "recordings/sentence.html",
        "recordings/_sentence.html",
        recording=recording,
        sentence=item,
        form=form,
        editing=editing,
        alias_offers=offers,
    )


@bp.post("/<int:recording_id>/sentences/<int:sentence_id>/corrections/<int:correction_id>/undo")
@merchant_required
def undo_correction(recording_id: int, sentence_id: int, correction_id: int) -> ResponseReturnValue:
    """Put back the words heard where a name was corrected automatically."""
    recording, transcript = _load_transcribed(recording_id)
    item = transcripts.get_sentence_or_404(transcript, sentence_id)
    correction = corrections.get_correction_or_404(item, correction_id)
    if ConfirmForm().validate_on_submit():
        corrections.undo_correction(correction, item, acting_user())
    if not wants_partial():
        return redirect(
            url_for(
                ".detail", recording_id=recording.id, t=item.start_s, _anchor=f"sentence-{item.id}"
            )
        )
    return render_page_or_partial(
        "recordings/sentence.html",
        "recordings/_sentence.html",
        recording=recording,
        sentence=item,
        form=SentenceForm(text=item.shown_text),
        editing=False,
        alias_offers=[],
    )
