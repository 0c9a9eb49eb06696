"""The JSON API: a recording's suggestions and a clip, for the organisation's scripts.

Authenticated by an API token (``Authorization: Bearer …``) or a merchant's session.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from media.clips import discovery
from media.clips.export import clip_document, suggestions_document
from media.clips.models import Clip
from media.recordings.models import Recording
from portal.extensions import csrf
from portal.organisations.scoping import get_owned_or_404
from portal.tokens.services import api_org_id

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)


@bp.get("/recordings/<int:recording_id>/suggestions.json")
def suggestions(recording_id: int) -> ResponseReturnValue:
    """The recording's suggested clips."""
    recording = get_owned_or_404(Recording, recording_id, api_org_id())
    return jsonify(suggestions_document(recording.id, discovery.list_suggestions(recording)))


@bp.get("/clips/<int:clip_id>.json")
def clip(clip_id: int) -> ResponseReturnValue:
    """One clip with its items and subtitles."""
    return jsonify(clip_document(get_owned_or_404(Clip, clip_id, api_org_id())))
