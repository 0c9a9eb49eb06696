"""The JSON API: a recording's suggestions and a clip, for the organisation's scripts.

Authenticated by an API token (``Authorization: Bearer …``) or a merchant's session.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from media.clips import discovery, recording_events
from media.clips.export import clip_document, suggestions_document
from media.clips.models import Clip
from media.recordings.models import Recording
from media.recordings.stream_items import stream_links
from portal.extensions import csrf
from portal.organisations.scoping import get_owned_or_404
from portal.tokens.services import api_org_id

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)


@bp.record_once
def _listen(_state: object) -> None:
    """Find mentions in transcribed recordings; keep the recordings clips were cut from."""
    recording_events.listen()


@bp.get("/recordings/<int:recording_id>/suggestions.json")
def suggestions(recording_id: int) -> ResponseReturnValue:
    """The recording's suggested clips."""
    recording = get_owned_or_404(Recording, recording_id, api_org_id())
    document = suggestions_document(
        recording.id, discovery.list_suggestions(recording), stream_links(recording)
    )
    return jsonify(document)


@bp.get("/clips/<int:clip_id>.json")
def clip(clip_id: int) -> ResponseReturnValue:
    """One clip with its items and subtitles."""
    return jsonify(clip_document(get_owned_or_404(Clip, clip_id, api_org_id())))


API_ERRORS = {401: "authentication required", 403: "not allowed", 404: "not found"}


@bp.errorhandler(401)
@bp.errorhandler(403)
@bp.errorhandler(404)
def json_error(exc: HTTPException) -> ResponseReturnValue:
    """Answer API errors as JSON (with a Bearer challenge on 401)."""
    code = exc.code or 500
    response = jsonify({"error": API_ERRORS.get(code, exc.name)})
    response.status_code = code
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="beltcast"'
    return response
