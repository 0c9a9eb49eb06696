"""What the clip workshop shows of a recording, gathered for its templates.

The page: the whole stream's overview (thumbnails, loudness), the items' lanes, the suggestions
grouped per item, the recording's clips and the selectable transcript. The suggestions section
alone (``_suggestions.html``, or one item's group opened with all its suggestions) needs only the
suggestions' part, so an htmx request for it loads nothing else. The transcript comes in pieces
as on the recording page (``media.transcripts.pieces``, ``recordings/_piece.html``), its
sentences drawn selectable (``clips/_pick_sentence.html``).
"""

from __future__ import annotations

from pathlib import Path

from flask import abort

from media.clips import discovery, services
from media.clips.discovery import ItemMentions
from media.clips.forms import SuggestionClipForm
from media.clips.models import Suggestion
from media.clips.presenters import build_strip, build_timeline, group_suggestions
from media.recordings import stream_items
from media.recordings.models import Recording
from media.recordings.overview import load_overview, overview_files
from media.recordings.services import source_path
from media.transcripts import pieces
from media.transcripts.services import get_transcript, unclear_ranges_label
from portal.forms import ConfirmForm

# What recordings/_piece.html needs to draw the workshop's pieces (their URL, their sentences).
PICK_PIECES = {
    "piece_endpoint": "clips.workshop_piece",
    "sentence_template": "clips/_pick_sentence.html",
}


def title_form(suggestion: Suggestion) -> SuggestionClipForm:
    """The form to make ``suggestion``'s clip, prefilled with its proposed title."""
    title = suggestion.title or suggestion.main_item.name
    return SuggestionClipForm(formdata=None, prefix=f"s{suggestion.id}", title=title)


def suggestions_context(
    recording: Recording,
    open_item_id: int | None,
    posted: dict[int, SuggestionClipForm] | None = None,
) -> dict[str, object]:
    """The suggestions per item (``open_item_id``'s all shown), lanes and the recording's clips.

    ``posted``: a suggestion's title form that failed (by suggestion id), shown with its errors.
    """
    lanes = discovery.mentions_by_item(recording)
    suggestions = discovery.list_suggestions(recording)
    found = [lane.item.id for lane in lanes] + [i.item_id for s in suggestions for i in s.links]
    groups = group_suggestions(suggestions, open_item_id)
    shown = [s for g in groups for s in g.shown]
    return {
        "recording": recording,
        "lanes": lanes,
        "groups": groups,
        "title_forms": {s.id: (posted or {}).get(s.id) or title_form(s) for s in shown},
        "group": next((g for g in groups if g.is_open), None),
        "linked": discovery.suggestion_items([s for g in groups for s in g.shown]),
        "off_list": stream_items.off_list(recording, found),
        "clips": services.list_clips(recording),
        "confirm_form": ConfirmForm(),
    }


def workshop_context(
    recording: Recording,
    open_item_id: int | None,
    at_s: float = 0.0,
    posted: dict[int, SuggestionClipForm] | None = None,
) -> dict[str, object]:
    """Everything the workshop page shows, its transcript opened at ``at_s`` (the new-clip form
    is the view's)."""
    context = suggestions_context(recording, open_item_id, posted)
    transcript = get_transcript(recording)
    lanes: list[ItemMentions] = context["lanes"]  # type: ignore[assignment]
    off_list: set[int] = context["off_list"]  # type: ignore[assignment]
    return {
        **context,
        "timeline": build_timeline(lanes, recording.duration_s, off_list),
        "strip": build_strip(load_overview(source_path(recording)), recording.duration_s),
        "pieces": pieces.open_pieces(transcript, at_s) if transcript else [],
        "unclear": unclear_ranges_label(transcript),
        **PICK_PIECES,
    }


def transcript_piece(recording: Recording, start_s: float, end_s: float) -> pieces.Piece:
    """Load a piece of the recording's transcript (none yet: 404; not a piece: ServiceError)."""
    transcript = get_transcript(recording)
    if transcript is None:
        abort(404)
    return pieces.load_piece(transcript, start_s, end_s)


def sprite_file(recording: Recording) -> Path | None:
    """Return the recording's row of thumbnails, if the transcription job made one."""
    sprite = overview_files(source_path(recording))[1]
    return sprite if sprite.is_file() else None
