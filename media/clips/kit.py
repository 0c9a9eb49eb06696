"""The publish kit of a published clip: one zip a merchant posts to short-video apps with.

It holds the rendered MP4, poster, WebVTT and SRT subtitles, ``card.json`` and ``card.png``
(the main item's knowledge card with the merchant's key facts) and ``post.txt`` (title,
description, hashtags). Key facts are subtitle lines the merchant picks in the editor.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from typing import IO, Any

from flask import abort, current_app
from flask_babel import gettext as _

from media.clips.card import CardText, draw_card
from media.clips.kept_text import KeptLine, kept_facts, kept_lines
from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.rendering import review_version, version_file
from media.clips.services import (
    APPROVED_STATES,
    editing_text,
    keep_pending,
    require_text_editable,
)
from media.render.fonts import FontNotFoundError, find_subtitle_font
from media.subtitle_files import srt_text, to_ms
from portal.audit.services import record_event
from portal.auth.models import User
from portal.errors import ServiceError
from portal.extensions import db
from portal.punctuation import tidy_punctuation
from portal.templating import money
from portal.web import absolute_url

MAX_KEY_FACTS = 6
MEDIA_FILES = (("video", "clip.mp4"), ("poster", "poster.jpg"), ("vtt", "subtitles.vtt"))


def key_fact_choices(clip: Clip, lines: Sequence[KeptLine] | None = None) -> list[tuple[int, str]]:
    """The clip's shown subtitle lines a merchant may pick, as (cue id, text kept of it)
    (``lines``: ``kept_lines``, if built)."""
    lines = kept_lines(clip) if lines is None else lines
    return [(line.cue.id, line.text) for line in lines if not line.cue.is_hidden]


def chosen_cue_ids(clip: Clip, lines: Sequence[KeptLine] | None = None) -> list[int]:
    """The ids of the shown lines whose text is one of the clip's key facts."""
    lines = kept_lines(clip) if lines is None else lines
    facts = kept_facts(clip, editing_text(clip)["key_facts"], lines)
    return [cue_id for cue_id, text in key_fact_choices(clip, lines) if text in facts]


def set_key_facts(clip: Clip, actor: User, cue_ids: Sequence[int]) -> None:
    """Keep the texts of the picked subtitle lines (in subtitle order) as the key facts.

    Once approved, they wait for the next submission (``services.keep_pending``).
    """
    require_text_editable(clip)
    picked = set(cue_ids)
    texts = list(dict.fromkeys(t for cue_id, t in key_fact_choices(clip) if cue_id in picked))
    if len(texts) > MAX_KEY_FACTS:
        raise ServiceError(
            _("Pick at most %(count)s key facts.", count=MAX_KEY_FACTS), field="cue_ids"
        )
    if clip.state in APPROVED_STATES:
        keep_pending(clip, key_facts=texts)
    else:
        clip.key_facts = texts
    record_event(actor, "clip.key_facts", clip, org_id=clip.org_id, count=len(texts))
    clip.updated_by_id = actor.id
    db.session.commit()


def kit_version_or_404(clip: Clip) -> ClipVersion:
    """The version a kit packs: the published one (approved by a trainer); else 404."""
    version = review_version(clip) if clip.state == ClipState.PUBLISHED else None
    if version is None:
        abort(404)
    return version


def srt_from_cues(cues: Sequence[dict[str, Any]]) -> str:
    """Convert a version's cues (seconds into the clip) to SubRip text."""
    return srt_text(
        (to_ms(float(cue["start"])), to_ms(float(cue["end"])), str(cue["text"])) for cue in cues
    )


def _item_fields(facts: Mapping[str, Any]) -> dict[str, Any]:
    price_cents = facts.get("price_cents")
    return {
        **{
            key: facts.get(key) or ""
            for key in ("name", "sku", "cert_lab", "cert_number", "cert_grade")
        },
        "price": money(price_cents) if price_cents is not None else "",
        "price_cents": price_cents,
    }


def card_data(clip: Clip, version: ClipVersion) -> dict[str, Any]:
    """The card's facts: the main item's fields, the key facts, every linked item.

    Text comes from ``version`` (what the trainer approved), not from the clip's current edits
    or the catalog's: the items' facts are the ones the version kept.
    """
    items = [_item_fields(facts) for facts in version.item_facts]
    return {
        **(items[0] if items else {}),
        "key_facts": list(version.key_facts),
        "clip_id": clip.id,
        "title": version.title,
        "merchant": clip.org.name,
        "library_url": absolute_url("library.clip", clip_id=clip.id),
        "items": items,
        "live_account": _live_account(clip),
    }


def _live_account(clip: Clip) -> dict[str, str] | None:
    """The live account that streamed the clip's recording: platform, name, studio."""
    from media.recordings.services import recording_live_account  # beside media.clips, lazily

    account = recording_live_account(clip.org_id, clip.recording_id)
    if account is None:
        return None
    return {"platform": account.platform_label, "name": account.name, "studio": account.studio}


def card_text(data: dict[str, Any]) -> CardText:
    """Label the card's facts in the current language."""
    certificate = " · ".join(v for v in (data.get("cert_lab"), data.get("cert_number")) if v)
    rows = [(_("Certificate"), certificate), (_("Grade"), data.get("cert_grade") or "")]
    return CardText(
        name=tidy_punctuation(data.get("name") or data["title"]),
        price=data.get("price") or "",
        facts_heading=_("Key facts"),
        rows=[(label, value) for label, value in rows if value],
        key_facts=[tidy_punctuation(fact) for fact in data["key_facts"]],
        footer=tidy_punctuation(f"{data['merchant']} · {data['title']}"),
    )


def hashtags(item_facts: Sequence[Mapping[str, Any]]) -> list[str]:
    """Hashtags from the items' categories, then their names (a version's ``item_facts``)."""
    words = [str(facts["category"]) for facts in item_facts if facts.get("category")]
    words += [str(facts.get("name") or "") for facts in item_facts]
    tags = ("#" + "".join(word.replace("#", "").split()) for word in words)
    return [tag for tag in dict.fromkeys(tags) if len(tag) > 1]


def post_text(clip: Clip, version: ClipVersion) -> str:
    """The post: the version's title and description, the library link and hashtags."""
    link = absolute_url("library.clip", clip_id=clip.id)
    parts = [tidy_punctuation(version.title), tidy_punctuation(version.description.strip()), link]
    tags = " ".join(hashtags(version.item_facts))
    return "\n\n".join([part for part in parts if part] + [tags]) + "\n"


def build_kit(clip: Clip, version: ClipVersion) -> IO[bytes]:
    """Write the kit to an anonymous temporary file; return it rewound (the caller closes it)."""
    try:
        font = find_subtitle_font(current_app.config["SUBTITLE_FONT"] or None)
    except FontNotFoundError as exc:
        raise ServiceError(_("No Chinese font is installed to draw the knowledge card.")) from exc
    data = card_data(clip, version)
    handle = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 (send_file closes it)
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, name in MEDIA_FILES:
            # MP4 and JPEG are compressed already; storing them is faster and no bigger.
            method = zipfile.ZIP_DEFLATED if kind == "vtt" else zipfile.ZIP_STORED
            archive.write(version_file(version, kind), name, compress_type=method)
        archive.writestr("subtitles.srt", srt_from_cues(version.cues))
        archive.writestr("card.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("card.png", draw_card(card_text(data), font), zipfile.ZIP_STORED)
        archive.writestr("post.txt", post_text(clip, version))
    handle.seek(0)
    return handle
