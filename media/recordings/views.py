"""Recording pages: list and add, processing status, player with transcript, downloads, delete."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from media.clips.aliases import alias_offers_for
from media.recordings import services
from media.recordings.forms import RecordingForm, SentenceForm, language_choices
from media.recordings.models import Language, Recording
from media.recordings.stream_views import item_section
from media.transcripts import corrections, exports
from media.transcripts import services as transcripts
from media.uploads.services import get_completed_upload_or_404
from portal.auth.access import acting_user, current_org_id, merchant_required
from portal.errors import ServiceError
from portal.forms import ConfirmForm
from portal.jobs import services as jobs
from portal.organisations.scoping import get_owned_or_404
from portal.web import render_page_or_partial, send_private_file, wants_partial

bp = Blueprint("recordings", __name__, url_prefix="/media/recordings", template_folder="templates")


@bp.context_processor
def _display_helpers() -> dict[str, object]:
    labels = dict(language_choices())
    return {
        "language_label": lambda code: labels.get(code, code),
        "text_pieces": corrections.sentence_pieces,
    }


def _load(recording_id: int) -> Recording:
    return get_owned_or_404(Recording, recording_id, current_org_id())


@bp.route("/", methods=["GET", "POST"])
@merchant_required
def index() -> ResponseReturnValue:
    """List recordings; upload a new one."""
    form = RecordingForm()
    if form.validate_on_submit():
        upload = get_completed_upload_or_404(form.upload_id.data, acting_user().id)
        details = services.NewRecording(
            title=form.title.data, language=Language(form.language.data),
            original_filename=upload.filename,
        )  # fmt: skip
        try:
            recording = services.add_recording_from_upload(
                current_org_id(), acting_user(), upload, details
            )
        except ServiceError as exc:
            form.upload_id.errors.append(exc.message)
        else:
            flash(_("Recording added. Transcription has started."), "success")
            return redirect(url_for(".detail", recording_id=recording.id))
    recordings = services.list_recordings(current_org_id())
    return render_page_or_partial(
        "recordings/index.html", "recordings/_list.html", form=form, recordings=recordings,
        jobs=services.jobs_by_recording(recordings),
    )  # fmt: skip


@bp.get("/<int:recording_id>")
@merchant_required
def detail(recording_id: int) -> ResponseReturnValue:
    """The recording: its processing status, or its player and transcript."""
    recording = _load(recording_id)
    transcript = transcripts.get_transcript(recording)
    sentences = transcripts.list_sentences(transcript) if transcript else []
    return render_page_or_partial(
        "recordings/detail.html", "recordings/_status.html", recording=recording,
        job=services.transcription_job(recording), transcript=transcript, sentences=sentences,
        unclear=transcripts.unclear_ranges_label(transcript), action_form=ConfirmForm(),
        **item_section(recording, is_open=transcript is None),
    )  # fmt: skip


@bp.get("/<int:recording_id>/status")
@merchant_required
def status(recording_id: int) -> ResponseReturnValue:
    """The polled status partial; asks the page to reload when processing ends."""
    recording = _load(recording_id)
    job = services.transcription_job(recording)
    response = render_page_or_partial(
        "recordings/detail.html", "recordings/_status.html", recording=recording, job=job,
        action_form=ConfirmForm(), transcript=None, sentences=[], **item_section(recording),
    )  # fmt: skip
    if request.args.get("polling") and not services.is_processing(job):
        response.headers["HX-Refresh"] = "true"
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
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".detail", recording_id=recording.id))
    title = recording.title
    try:
        services.delete_recording(recording, acting_user())
    except ServiceError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".detail", recording_id=recording.id))
    flash(_("Recording “%(title)s” deleted.", title=title), "success")
    return redirect(url_for(".index"))


def _job_action(recording_id: int, action: object, message: str) -> ResponseReturnValue:
    recording = _load(recording_id)
    job = services.transcription_job(recording)
    if job is not None and ConfirmForm().validate_on_submit():
        action(job, acting_user())  # type: ignore[operator]
        flash(message, "info")
    return redirect(url_for(".detail", recording_id=recording.id))


@bp.get("/<int:recording_id>/video")
@merchant_required
def video(recording_id: int) -> ResponseReturnValue:
    """Stream the source video (HTTP Range supported, so seeking works)."""
    recording = _load(recording_id)
    return send_private_file(
        services.source_path(recording), mimetype=services.mime_type(recording)
    )


@bp.get("/<int:recording_id>/transcript.<any(srt, vtt, txt, json):fmt>")
@merchant_required
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
        try:
            transcripts.edit_sentence(item, acting_user(), form.text.data)
        except ServiceError as exc:
            form.text.errors.append(exc.message)
            editing = True
        else:
            editing = False
    elif form.is_submitted():
        editing = True
    offers = [] if editing else alias_offers_for(recording.org_id, item.text, item.shown_text)
    return render_page_or_partial(
        "recordings/sentence.html", "recordings/_sentence.html", recording=recording,
        sentence=item, form=form, editing=editing, alias_offers=offers,
    )  # fmt: skip


@bp.post("/<int:recording_id>/sentences/<int:sentence_id>/corrections/<int:correction_id>/undo")
@merchant_required
def undo_correction(recording_id: int, sentence_id: int, correction_id: int) -> ResponseReturnValue:
    """Put back the words heard where a name was corrected automatically."""
    recording = _load(recording_id)
    transcript = transcripts.get_transcript(recording)
    if transcript is None:
        abort(404)
    item = transcripts.get_sentence_or_404(transcript, sentence_id)
    correction = corrections.get_correction_or_404(item, correction_id)
    if ConfirmForm().validate_on_submit():
        corrections.undo_correction(correction, item, acting_user())
    if not wants_partial():
        return redirect(
            url_for(".detail", recording_id=recording.id, _anchor=f"sentence-{item.id}")
        )
    return render_page_or_partial(
        "recordings/sentence.html", "recordings/_sentence.html", recording=recording,
        sentence=item, form=SentenceForm(text=item.shown_text), editing=False, alias_offers=[],
    )  # fmt: skip
