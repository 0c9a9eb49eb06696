"""Clip workshop pages: a recording's items and suggestions, the clip editor, renders."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from media.clips import cutting, discovery, kit, rendering, services, timeline
from media.clips.editor_data import EditorData
from media.clips.editor_extras import Part, extra_context
from media.clips.forms import (
    AliasForm,
    ClipDetailsForm,
    CueForm,
    CutForm,
    EdgeForm,
    KeyFactsForm,
    NewClipForm,
    RangeForm,
    RenderForm,
    SuggestionClipForm,
)
from media.clips.models import Clip, ClipState, ClipVersion, RenderProfile, Suggestion
from media.clips.presenters import profile_label, state_label
from media.clips.states import allowed_targets
from media.clips.style_views import style_context
from media.clips.workshop import (
    PICK_PIECES,
    sprite_file,
    suggestions_context,
    transcript_piece,
    workshop_context,
)
from media.recordings import stream_items
from media.recordings.models import Recording
from media.recordings.signals import items_found, names_unchanged
from media.transcripts.aliases import add_alias
from media.transcripts.pieces import PIECE_MS
from media.transcripts.signals import transcript_edited
from portal.auth.access import acting_user, current_org_id, merchant_required
from portal.catalog.models import Item
from portal.catalog.services import active_items
from portal.catalog.signals import catalog_changed
from portal.comments.forms import CommentForm
from portal.errors import ServiceError
from portal.forms import ConfirmForm, form_action
from portal.organisations.scoping import get_owned_or_404
from portal.team import accounts
from portal.web import (
    htmx_redirect,
    htmx_refresh,
    render_page_or_partial,
    safe_next,
    send_private_file,
    wants_partial,
)

bp = Blueprint("clips", __name__, url_prefix="/media", template_folder="templates")


@bp.record_once
def _listen(_state: object) -> None:
    """Refresh mentions when the catalog, a transcript or a stream's item list changes (once the
    names job corrected the names with it: it edits the transcript or says nothing changed);
    answer what was found of a recording's items."""
    catalog_changed.connect(discovery.queue_refresh_for_org)
    transcript_edited.connect(discovery.queue_refresh_for_recording)
    names_unchanged.connect(discovery.queue_refresh_for_recording)
    items_found.connect(discovery.mentions_by_item)  # offered as the stream's list while empty


@bp.app_context_processor
def _clip_labels() -> dict[str, object]:
    return {"clip_state_label": state_label, "profile_label": profile_label}


def _recording(recording_id: int) -> Recording:
    return get_owned_or_404(Recording, recording_id, current_org_id())


def _clip(clip_id: int) -> Clip:
    return get_owned_or_404(Clip, clip_id, current_org_id())


def _item_choices(first: Sequence[int] = ()) -> list[tuple[int, str]]:
    """Every active catalog item as a choice; the items of ``first`` lead, in that order."""
    rank = {item_id: n for n, item_id in enumerate(dict.fromkeys(first))}
    items = sorted(active_items(current_org_id()), key=lambda item: rank.get(item.id, len(rank)))
    return [(item.id, f"{item.name} ({item.sku})") for item in items]


@bp.get("/recordings/<int:recording_id>/workshop")
@merchant_required
def workshop(recording_id: int) -> ResponseReturnValue:
    """The whole stream at a glance, suggested clips per item, and the recording's clips.

    ``item``: show every suggestion of that item (for htmx: that item's group alone).
    """
    recording = _recording(recording_id)
    item_id = request.args.get("item", type=int)
    if wants_partial():
        context = suggestions_context(recording, item_id)
    else:
        context = _workshop_page(recording, item_id=item_id)
    partial = "clips/_suggestion_group.html" if item_id else "clips/_suggestions.html"
    return render_page_or_partial("clips/workshop.html", partial, **context)


def _workshop_page(
    recording: Recording,
    posted: dict[int, SuggestionClipForm] | None = None,
    item_id: int | None = None,
) -> dict[str, object]:
    """The whole workshop page's context (``posted``: a suggestion's form with errors)."""
    form = NewClipForm()
    listed = stream_items.listed_item_ids(recording)
    form.item_ids.choices = _item_choices(listed)
    at_s = request.args.get("t", 0.0, type=float)
    context = workshop_context(recording, item_id, at_s, posted)
    return {**context, "form": form, "leading_item_ids": set(listed)}


@bp.get("/recordings/<int:recording_id>/workshop/transcript")
@merchant_required
def workshop_piece(recording_id: int) -> ResponseReturnValue:
    """A piece of the selectable transcript: the sentences that start from ``from`` to ``to`` s."""
    recording = _recording(recording_id)
    start_s = request.args.get("from", type=float)
    if start_s is None:
        abort(400)
    end_s = request.args.get("to", start_s + PIECE_MS / 1000, type=float)
    piece = transcript_piece(recording, start_s, end_s)
    if not wants_partial():
        return redirect(url_for(".workshop", recording_id=recording.id, t=piece.start_s))
    return render_page_or_partial(
        "clips/workshop.html",
        "recordings/_piece.html",
        recording=recording,
        piece=piece,
        **PICK_PIECES,
    )


@bp.get("/recordings/<int:recording_id>/overview.jpg")
@merchant_required
def overview_sprite(recording_id: int) -> ResponseReturnValue:
    """The row of thumbnails of the whole stream (made by the transcription job)."""
    sprite = sprite_file(_recording(recording_id))
    if sprite is None:
        abort(404)
    return send_private_file(sprite, mimetype="image/jpeg")


@bp.post("/recordings/<int:recording_id>/clips")
@merchant_required
def create(recording_id: int) -> ResponseReturnValue:
    """Start a clip from the selected sentences."""
    recording = _recording(recording_id)
    form = NewClipForm()
    form.item_ids.choices = _item_choices()
    if form.validate_on_submit():
        try:
            clip = services.create_clip(
                recording,
                acting_user(),
                first_sentence=form.first_sentence.data,
                last_sentence=form.last_sentence.data,
                item_ids=form.item_ids.data,
                title=form.title.data,
            )
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            return redirect(url_for(".editor", clip_id=clip.id))
    elif form.item_ids.errors:
        flash(_("Choose items from your own catalog."), "error")
    else:
        flash(_("Select sentences and give the clip a title."), "error")
    return redirect(url_for(".workshop", recording_id=recording.id))


@bp.post("/recordings/<int:recording_id>/suggestions/<int:suggestion_id>/clip")
@merchant_required
def from_suggestion(recording_id: int, suggestion_id: int) -> ResponseReturnValue:
    """Start a clip as suggested, under its title as the merchant edited it."""
    recording = _recording(recording_id)
    suggestion = get_owned_or_404(Suggestion, suggestion_id, current_org_id())
    if suggestion.recording_id != recording.id:
        abort(404)
    form = SuggestionClipForm(prefix=f"s{suggestion.id}")
    if not form.validate_on_submit():
        context = _workshop_page(recording, {suggestion.id: form})
        return render_page_or_partial("clips/workshop.html", "clips/_suggestions.html", **context)
    clip = services.create_clip_from_suggestion(
        suggestion, recording, acting_user(), title=form.title.data or ""
    )
    return redirect(url_for(".editor", clip_id=clip.id))


@bp.post("/recordings/<int:recording_id>/mentions")
@merchant_required
def refresh(recording_id: int) -> ResponseReturnValue:
    """Find items again (after catalog or transcript changes)."""
    recording = _recording(recording_id)
    if ConfirmForm().validate_on_submit():
        mentions, suggestions = discovery.refresh_mentions(recording)
        flash(
            _("Items found again: %(m)s mentions, %(s)s suggestions.", m=mentions, s=suggestions),
            "success",
        )
    return redirect(url_for(".workshop", recording_id=recording.id))


def _provenance(clip: Clip, recording: Recording) -> accounts.Provenance:
    """The clip's live account (its recording's), who made it and who changed it last."""
    return accounts.provenance(
        clip.org_id, recording.live_account_id, clip.created_by_id, clip.updated_by_id
    )


def _editor_context(
    clip: Clip, around_s: int = services.NEARBY_S, **forms: object
) -> dict[str, object]:
    data = EditorData(clip, around_s)
    recording = data.recording
    details = forms.get("details_form") or ClipDetailsForm(data=services.editing_text(clip))
    leading = [item.id for item in clip.items] + stream_items.listed_item_ids(recording)
    details.item_ids.choices = _item_choices(leading)  # type: ignore[attr-defined]
    if "details_form" not in forms:
        details.item_ids.data = [item.id for item in clip.items]  # type: ignore[attr-defined]
    range_form = forms.get("range_form") or RangeForm(
        start_s=clip.start_ms / 1000, end_s=clip.end_ms / 1000
    )
    nearby = data.nearby
    return {
        "clip": clip,
        "recording": recording,
        "details_form": details,
        "leading_item_ids": set(leading),
        "range_form": range_form,
        "render_form": forms.get("render_form") or RenderForm(),
        "nearby": nearby,
        "is_editable": clip.state in services.EDITABLE_STATES,
        "alias_offers": services.alias_offers(clip, nearby.sentences),
        "is_text_editable": clip.state in services.TEXT_EDITABLE_STATES,
        "can_publish": ClipState.PUBLISHED in allowed_targets(clip, acting_user()),
        "is_published": clip.state == ClipState.PUBLISHED,
        "provenance": _provenance(clip, recording),
        "key_facts_form": forms.get("key_facts_form") or _key_facts_form(clip, data),
        "comments": data.comments,
        "comment_form": CommentForm(),
        "confirm_form": ConfirmForm(),
        "seek_offset_s": clip.start_ms / 1000,
        **_cuts_context(data, forms.get("cut_form")),
        **_timeline_context(data, forms.get("edge_form")),
        **_versions_context(data),
        **style_context(clip),
        **extra_context(data, Part.PAGE),
    }


def _cuts_context(data: EditorData, form: CutForm | None = None) -> dict[str, object]:
    """What the "cut by text" section shows: kept ranges, sentences, fillers, undo."""
    clip, recording, words = data.clip, data.recording, data.clip_words
    return {
        "clip": clip,
        "cut_lines": cutting.cut_lines(clip, recording, data.clip_sentences),
        "fillers": cutting.fillers(clip, recording, words),
        "cut_form": form or CutForm(formdata=None),
        "words": cutting.word_chips(clip, recording, words),
        "is_editable": clip.state in services.EDITABLE_STATES,
    }


def _timeline_context(data: EditorData, form: EdgeForm | None = None) -> dict[str, object]:
    """The timeline under the player: kept ranges, handles, comments on the current version."""
    version = rendering.review_version(data.clip) or data.latest_ready
    found = timeline.build_timeline(
        data.clip, data.recording, data.comments, version, data.span_words
    )
    return {"timeline": found, "edge_form": form or EdgeForm(formdata=None)}


def _versions_context(data: EditorData) -> dict[str, object]:
    """What the versions partial shows: all the render-status poll loads (a few small queries)."""
    clip, versions = data.clip, data.versions
    return {
        "clip": clip,
        "versions": versions,
        "job": rendering.active_render_job(clip, versions),
        "reviewed": rendering.review_version(clip),
        **extra_context(data, Part.VERSIONS),
    }


def _sentences_context(clip: Clip, around_s: int) -> dict[str, object]:
    """The transcript around the clip alone, and the "more" control to swap beside it."""
    return {"clip": clip, "nearby": EditorData(clip, around_s).nearby, "swap_more": True}


def _key_facts_form(clip: Clip, data: EditorData, *, posted: bool = False) -> KeyFactsForm:
    form = KeyFactsForm() if posted else KeyFactsForm(formdata=None)
    form.cue_ids.choices = kit.key_fact_choices(clip, data.kept_lines)
    if not posted:
        form.cue_ids.data = kit.chosen_cue_ids(clip, data.kept_lines)
    return form


@bp.get("/clips/<int:clip_id>")
@merchant_required
def editor(clip_id: int) -> ResponseReturnValue:
    """The clip editor: player, transcript selection, subtitles, details, renders."""
    clip = _clip(clip_id)
    return render_page_or_partial(
        "clips/editor.html", "clips/_versions.html", **_editor_context(clip)
    )


@bp.get("/clips/<int:clip_id>/sentences")
@merchant_required
def sentences(clip_id: int) -> ResponseReturnValue:
    """More of the transcript around the clip (``around``: seconds either side)."""
    clip = _clip(clip_id)
    around_s = request.args.get("around", services.NEARBY_S, type=int)
    context = (
        _sentences_context(clip, around_s) if wants_partial() else _editor_context(clip, around_s)
    )
    return render_page_or_partial("clips/editor.html", "clips/_sentences.html", **context)


@bp.post("/clips/<int:clip_id>/details")
@merchant_required
def details(clip_id: int) -> ResponseReturnValue:
    """Save title, description and linked items."""
    clip = _clip(clip_id)
    form = ClipDetailsForm()
    form.item_ids.choices = _item_choices()
    if form.validate_on_submit():
        with form_action(form):
            services.update_details(
                clip,
                acting_user(),
                title=form.title.data,
                description=form.description.data,
                item_ids=form.item_ids.data,
            )
            flash(_("Clip saved."), "success")
            return redirect(url_for(".editor", clip_id=clip.id))
    return render_page_or_partial(
        "clips/editor.html", "clips/_versions.html", **_editor_context(clip, details_form=form)
    )


@bp.post("/clips/<int:clip_id>/range")
@merchant_required
def set_range(clip_id: int) -> ResponseReturnValue:
    """Set in and out."""
    clip = _clip(clip_id)
    form = RangeForm()
    if form.validate_on_submit():
        with form_action(form, field="start_s"):
            services.set_range(
                clip,
                _recording(clip.recording_id),
                acting_user(),
                round(float(form.start_s.data) * 1000),
                round(float(form.end_s.data) * 1000),
            )
            flash(_("In and out set."), "success")
            return redirect(url_for(".editor", clip_id=clip.id))
    return render_page_or_partial(
        "clips/editor.html", "clips/_versions.html", **_editor_context(clip, range_form=form)
    )


@bp.post("/clips/<int:clip_id>/cuts")
@merchant_required
def cut(clip_id: int) -> ResponseReturnValue:
    """Cut by text: delete a sentence or a filler word, remove fillers, shorten pauses, undo."""
    clip = _clip(clip_id)
    recording = _recording(clip.recording_id)
    form, done, bounds = CutForm(), "", (clip.start_ms, clip.end_ms)
    if form.validate_on_submit():
        with form_action(form):
            done = _apply_cut(clip, recording, form)
    if done and (not wants_partial() or bounds != (clip.start_ms, clip.end_ms)):
        # A cut at either end moves in or out: the whole page shows them, so it reloads.
        flash(done, "success")
        editor_url = url_for(".editor", clip_id=clip.id) + "#cuts-heading"
        return htmx_redirect(editor_url) if wants_partial() else redirect(editor_url)
    if not wants_partial():
        return render_template("clips/editor.html", **_editor_context(clip, cut_form=form))
    return _cuts_answer(clip, None if done else form, done)


def _cuts_answer(clip: Clip, form: CutForm | None, done: str) -> str:
    """The "cut by text" section after a cut, and the timeline, which shows the ranges too
    (the section's forms take it out of the answer with hx-select-oob)."""
    data = EditorData(clip)
    context = _cuts_context(data, form)
    cuts = render_template("clips/_cuts.html", **context, cut_done=done)
    timeline = render_template("clips/_edit_timeline.html", **context, **_timeline_context(data))
    return cuts + timeline


def _words_done(action: str) -> str:
    """What a word edit tells the merchant."""
    return {
        "cut_words": _("Words cut."),
        "keep_words": _("Only the selected words are kept."),
        "restore_words": _("Words put back."),
    }[action]


def _apply_cut(clip: Clip, recording: Recording, form: CutForm) -> str:
    """Run the cut the form asks for; return what it did, to tell the merchant."""
    actor, action = acting_user(), form.action.data
    if action in cutting.WORD_EDITS:
        cutting.edit_words(clip, recording, actor, action, form.start_ms.data, form.end_ms.data)
        return _words_done(action)
    if action == "sentence":
        cutting.delete_sentence(clip, recording, actor, form.position.data)
        return _("Sentence cut.")
    if action == "filler":
        cutting.delete_filler(clip, recording, actor, form.start_ms.data)
        return _("Filler word cut.")
    if action == "fillers":
        return _("%(n)s filler words cut.", n=cutting.remove_fillers(clip, recording, actor))
    if action == "pauses":
        longer_than_s = float(form.longer_than_s.data)
        count = cutting.shorten_pauses(clip, recording, actor, longer_than_s)
        return _("%(n)s pauses shortened.", n=count)
    cutting.undo(clip, recording, actor)
    return _("Last cut undone.")


@bp.post("/clips/<int:clip_id>/edges")
@merchant_required
def move_edge(clip_id: int) -> ResponseReturnValue:
    """Move an edge of a kept range (a timeline handle), snapped to a word; errors in place.

    htmx takes the timeline and the "cut by text" section from the page; a move of in or out
    reloads it where it is (every section shows them; a redirect to the same page with a
    fragment would only scroll).
    """
    clip = _clip(clip_id)
    form, bounds = EdgeForm(), (clip.start_ms, clip.end_ms)
    if form.validate_on_submit():
        with form_action(form):
            cutting.move_edge(
                clip,
                _recording(clip.recording_id),
                acting_user(),
                form.range.data,
                form.edge.data,
                form.at_ms.data,
            )
            if not wants_partial():
                return redirect(url_for(".editor", clip_id=clip.id) + "#clip-timeline")
            if bounds != (clip.start_ms, clip.end_ms):
                return htmx_refresh()
    return render_template("clips/editor.html", **_editor_context(clip, edge_form=form))


@bp.route("/clips/<int:clip_id>/cues/<int:cue_id>", methods=["GET", "POST"])
@merchant_required
def cue(clip_id: int, cue_id: int) -> ResponseReturnValue:
    """Show one subtitle line (``?edit=1``: its form) or save it."""
    clip = _clip(clip_id)
    line = services.get_cue_or_404(clip, cue_id)
    form = CueForm(obj=line)
    is_editable = clip.state in services.EDITABLE_STATES
    editing = (request.args.get("edit") == "1" and is_editable) or form.is_submitted()
    if form.validate_on_submit():
        with form_action(form):
            services.edit_cue(
                clip, line, acting_user(), text=form.text.data, is_hidden=form.is_hidden.data
            )
            editing = False
    return render_page_or_partial(
        "clips/cue.html",
        "clips/_cue.html",
        clip=clip,
        cue=line,
        form=form,
        editing=editing,
        is_editable=clip.state in services.EDITABLE_STATES,
        alias_offers=services.alias_offers(clip),
        swap_offers=wants_partial(),
    )


@bp.get("/items/<int:item_id>")
@merchant_required
def item_clips(item_id: int) -> ResponseReturnValue:
    """Every clip and suggestion of one item, across recordings."""
    item = get_owned_or_404(Item, item_id, current_org_id())
    return render_page_or_partial(
        "clips/item.html",
        "clips/_item_clips.html",
        item=item,
        clips=services.clips_for_item(item),
        suggestions=discovery.suggestions_for_item(item),
    )


@bp.post("/clips/<int:clip_id>/render")
@merchant_required
def render(clip_id: int) -> ResponseReturnValue:
    """Render the clip as a new version."""
    clip = _clip(clip_id)
    form = RenderForm()
    if form.validate_on_submit():
        rendering.request_render(
            clip,
            acting_user(),
            profile=RenderProfile(form.profile.data),
            fill=form.fill.data,
            burn_subtitles=form.burn_subtitles.data,
            poster_at_s=float(form.poster_at_s.data or 0),
        )
        flash(_("Rendering started."), "success")
        return redirect(url_for(".editor", clip_id=clip.id) + "#render-heading")
    return render_page_or_partial(
        "clips/editor.html", "clips/_versions.html", **_editor_context(clip, render_form=form)
    )


@bp.get("/clips/<int:clip_id>/render-status")
@merchant_required
def render_status(clip_id: int) -> ResponseReturnValue:
    """The polled versions partial; asks the page to reload when a render ends."""
    clip = _clip(clip_id)
    context = _versions_context(EditorData(clip)) if wants_partial() else _editor_context(clip)
    response = render_page_or_partial("clips/editor.html", "clips/_versions.html", **context)
    job = context["job"]
    if request.args.get("polling") and not (job and job.is_active):  # type: ignore[attr-defined]
        return htmx_refresh(response)
    return response


@bp.get("/clips/<int:clip_id>/versions/<int:version_id>/<any(video, poster, vtt):kind>")
@merchant_required
def version_file(clip_id: int, version_id: int, kind: str) -> ResponseReturnValue:
    """Serve a rendered version's file (Range supported); ``download=1`` saves it."""
    clip = _clip(clip_id)
    version = get_owned_or_404(ClipVersion, version_id, current_org_id())
    if version.clip_id != clip.id or not version.is_ready:
        abort(404)
    name = f"clip-{clip.id}-v{version.number}{rendering.FILE_SUFFIXES[kind]}"
    return send_private_file(
        rendering.version_file(version, kind),
        mimetype=rendering.MIME_TYPES[kind],
        as_attachment=request.args.get("download") == "1",
        download_name=name,
    )


@bp.post("/clips/<int:clip_id>/key-facts")
@merchant_required
def key_facts(clip_id: int) -> ResponseReturnValue:
    """Save the subtitle lines the knowledge card lists."""
    clip = _clip(clip_id)
    form = _key_facts_form(clip, EditorData(clip), posted=True)
    if form.validate_on_submit():
        with form_action(form):
            kit.set_key_facts(clip, acting_user(), form.cue_ids.data or [])
            flash(_("Key facts saved."), "success")
            return redirect(url_for(".editor", clip_id=clip.id) + "#kit-heading")
    return render_page_or_partial(
        "clips/editor.html", "clips/_versions.html", **_editor_context(clip, key_facts_form=form)
    )


@bp.get("/clips/<int:clip_id>/kit.zip")
@merchant_required
def publish_kit(clip_id: int) -> ResponseReturnValue:
    """Download a published clip's publish kit (video, subtitles, card, post text)."""
    clip = _clip(clip_id)
    archive = kit.build_kit(clip, kit.kit_version_or_404(clip))
    return send_private_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"clip-{clip.id}-kit.zip",
    )


@bp.post("/items/<int:item_id>/aliases")
@merchant_required
def learn_alias(item_id: int) -> ResponseReturnValue:
    """Add a misheard form as an alias of the item."""
    item = get_owned_or_404(Item, item_id, current_org_id())
    form = AliasForm()
    if form.validate_on_submit():
        try:
            add_alias(item, acting_user(), form.alias.data)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(
                _(
                    "“%(alias)s” is now an alias of %(name)s.",
                    alias=form.alias.data,
                    name=item.name,
                ),
                "success",
            )
    return redirect(safe_next(url_for("catalog.detail", item_id=item.id)))
