"""Render requests: each render makes a new numbered version of a clip, as a job."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import func, select

from media.clips.kept_text import clip_words, kept_facts, kept_lines, kept_text
from media.clips.models import Clip, ClipState, ClipVersion, RenderProfile
from media.clips.ranges import Range, output_span
from media.clips.services import require_editable, sentences_during
from media.clips.signals import clip_changed
from media.clips.states import move
from media.clips.styling import version_style
from media.recordings.models import Recording
from media.transcripts.models import Sentence
from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Item
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.services import enqueue_job, latest_job
from portal.organisations.scoping import scoped
from portal.storage import clip_key, clips_folder_key, media_storage

RENDER_JOB = "clip.render"
FILE_SUFFIXES = {"video": ".mp4", "poster": ".jpg", "vtt": ".vtt"}
MIME_TYPES = {"video": "video/mp4", "poster": "image/jpeg", "vtt": "text/vtt"}


def clips_dir(org_id: int) -> Path:
    """Return the folder holding an organisation's rendered clips."""
    return media_storage().path(clips_folder_key(org_id))


def version_file(version: ClipVersion, kind: str) -> Path:
    """Return the path of a version's video, poster or WebVTT file."""
    name = f"{version.stored_stem}{FILE_SUFFIXES[kind]}"
    return media_storage().path(clip_key(version.org_id, name))


def clip_times(kept: list[Range], start_ms: int, end_ms: int) -> dict[str, float] | None:
    """A recording stretch timed in seconds into the clip (its ranges played one after another).

    ``None`` when all of it is cut.
    """
    span = output_span(kept, start_ms, end_ms)
    return None if span is None else {"start": span[0] / 1000, "end": span[1] / 1000}


def visible_cues(clip: Clip) -> list[dict[str, object]]:
    """The clip's shown subtitle lines, timed into the clip, without the words cut from it."""
    return [
        {"start": line.start_ms / 1000, "end": line.end_ms / 1000, "text": line.text}
        for line in kept_lines(clip)
        if not line.cue.is_hidden
    ]


def spoken_lines(clip: Clip) -> list[dict[str, object]]:
    """The transcript of the clip's kept ranges, timed into the clip (what its audio says).

    ``heard`` keeps the recogniser's words where the merchant or the name correction changed the
    sentence.
    """
    recording = db.session.get(Recording, clip.recording_id)
    kept, words = clip.kept, clip_words(clip)
    lines = []
    for s in sentences_during(recording, clip.start_ms, clip.end_ms):
        times = clip_times(kept, s.start_ms, s.end_ms)
        said = words.get(s.position, [])
        text, heard = kept_text(s.shown_text, said, kept), kept_text(_first_heard(s), said, kept)
        if times and text:
            lines.append({**times, "text": text, "heard": heard if heard != text else ""})
    return lines


def version_kept(version: ClipVersion) -> list[Range]:
    """The kept ranges a version was rendered from (its in and out, for older versions)."""
    return [(a, b) for a, b in version.ranges] or [(version.start_ms, version.end_ms)]


def _first_heard(sentence: Sentence) -> str:
    """The sentence as the recogniser wrote it, before any correction."""
    return sentence.heard_text if sentence.heard_text is not None else sentence.text


def item_facts(item: Item) -> dict[str, object]:
    """What a version keeps of ``item``: what the knowledge card and the post's hashtags show,
    and what the public library may show and find of it once the version is approved.

    ``photos`` pins each photo by id and stored stem (a photo's files are written once under a
    new stem, never replaced), ``aliases`` are the spoken names public search matches, and
    ``category_id`` is the category public pages name and filter by.
    """
    return {
        "name": item.name,
        "sku": item.sku,
        "cert_lab": item.cert_lab,
        "cert_number": item.cert_number,
        "cert_grade": item.cert_grade,
        "price_cents": item.price_cents,
        "category": item.category.name_zh if item.category else "",
        "category_id": item.category_id,
        "aliases": list(item.aliases),
        "photos": [{"id": photo.id, "stem": photo.stored_stem} for photo in item.photos],
    }


def live_account_facts(clip: Clip) -> dict[str, str] | None:
    """What a version keeps of the live account that streamed the clip's recording: its
    platform and name, as the public clip page names it once the version is approved (a rename
    or another account chosen later stays off the public page); None: none said."""
    from media.recordings.services import recording_live_account  # beside media.clips, lazily

    account = recording_live_account(clip.org_id, clip.recording_id)
    return {"platform": str(account.platform), "name": account.name} if account else None


def _published_text(clip: Clip) -> dict[str, object]:
    """What a version publishes besides its files, as the clip has it now.

    The items' card facts count as text: a catalog edit changes the card and the post, so it
    makes a new version to submit, as a title edit does.
    """
    return {
        "title": clip.title,
        "description": clip.description,
        "key_facts": kept_facts(clip, clip.key_facts),
        "item_ids": [link.item_id for link in clip.links],
        "item_facts": [item_facts(link.item) for link in clip.links],
    }


def _picture(version: ClipVersion) -> tuple[object, ...]:
    """What a version's files are made from: equal pictures mean equal files."""
    return (
        tuple(version_kept(version)),
        str(version.profile),
        version.fill,
        version.burn_subtitles,
        version.poster_at_s,
        version.cues,
        version.style,
    )


def changes_since(clip: Clip, version: ClipVersion) -> list[str]:
    """Name what the clip changed since ``version`` was made.

    "range", "subtitles", "style" (template, hook, logo, card: versions made before styles
    count as unstyled) or "text".
    """
    changes = []
    if clip.kept != version_kept(version):
        changes.append("range")
    if visible_cues(clip) != version.cues:
        changes.append("subtitles")
    if version.style is not None and version_style(clip) != version.style:
        changes.append("style")
    if _published_text(clip) != {key: getattr(version, key) for key in _published_text(clip)}:
        changes.append("text")
    return changes


def _next_number(clip: Clip) -> int:
    return (
        db.session.scalar(
            select(func.max(ClipVersion.number)).where(ClipVersion.clip_id == clip.id)
        )
        or 0
    ) + 1


def request_render(
    clip: Clip,
    actor: User,
    *,
    profile: RenderProfile,
    fill: str,
    burn_subtitles: bool,
    poster_at_s: float,
) -> ClipVersion:
    """Snapshot the clip as a new version and queue its render."""
    require_editable(clip)
    version = ClipVersion(
        org_id=clip.org_id,
        clip_id=clip.id,
        number=_next_number(clip),
        created_by_id=actor.id,
        created_at=utcnow(),
        profile=profile,
        fill=fill if fill in {"blur", "crop"} else "blur",
        burn_subtitles=burn_subtitles,
        start_ms=clip.start_ms,
        end_ms=clip.end_ms,
        ranges=[list(r) for r in clip.kept],
        poster_at_s=min(max(poster_at_s, 0.0), clip.duration_s),
        cues=visible_cues(clip),
        spoken=spoken_lines(clip),
        stored_stem=uuid.uuid4().hex,
        style=version_style(clip),
        live_account=live_account_facts(clip),
        **_published_text(clip),
    )
    same = _same_picture(clip, version)
    if same is not None:
        _reuse_files(version, same)
    db.session.add(version)
    record_event(actor, "clip.render_requested", clip, org_id=clip.org_id, version=version.number)
    db.session.commit()
    if same is None:
        enqueue_job(RENDER_JOB, version, org_id=clip.org_id, actor=actor)
    return version


def _same_picture(clip: Clip, version: ClipVersion) -> ClipVersion | None:
    """The newest rendered version whose files ``version`` would repeat exactly, if any."""
    newest = latest_ready_version(clip)
    return newest if newest is not None and _picture(newest) == _picture(version) else None


def _reuse_files(version: ClipVersion, rendered: ClipVersion) -> None:
    """Make ``version`` (only its text changed) share ``rendered``'s files: ready at once.

    Files are never deleted per version, so sharing them is safe.
    """
    version.stored_stem, version.is_ready = rendered.stored_stem, True
    version.duration_s, version.width, version.height = (
        rendered.duration_s,
        rendered.width,
        rendered.height,
    )
    version.loudness_lufs = rendered.loudness_lufs


def text_only_version(clip: Clip, rendered: ClipVersion, actor: User) -> ClipVersion:
    """A new version with the clip's current text and ``rendered``'s files (not committed)."""
    version = ClipVersion(
        org_id=clip.org_id,
        clip_id=clip.id,
        number=_next_number(clip),
        created_by_id=actor.id,
        created_at=utcnow(),
        profile=rendered.profile,
        fill=rendered.fill,
        burn_subtitles=rendered.burn_subtitles,
        start_ms=rendered.start_ms,
        end_ms=rendered.end_ms,
        ranges=rendered.ranges,
        poster_at_s=rendered.poster_at_s,
        cues=rendered.cues,
        spoken=rendered.spoken,
        style=rendered.style,
        live_account=live_account_facts(clip),
        **_published_text(clip),
    )
    _reuse_files(version, rendered)
    db.session.add(version)
    return version


def version_items(version: ClipVersion) -> list[Item]:
    """The version's linked items, the main one first (archived ones too)."""
    found = db.session.scalars(select(Item).where(Item.id.in_(version.item_ids)))
    by_id = {item.id: item for item in found}
    return [by_id[item_id] for item_id in version.item_ids if item_id in by_id]


def list_versions(clip: Clip) -> list[ClipVersion]:
    """Return the clip's versions, newest first."""
    return list(
        db.session.scalars(
            scoped(ClipVersion, clip.org_id)
            .where(ClipVersion.clip_id == clip.id)
            .order_by(ClipVersion.number.desc())
        )
    )


def latest_ready_version(clip: Clip) -> ClipVersion | None:
    """Return the newest rendered version, if any."""
    return next((v for v in list_versions(clip) if v.is_ready), None)


def review_version(clip: Clip) -> ClipVersion | None:
    """The rendered version the clip's review is about (submitted, approved, published)."""
    if clip.review_version_id is None:
        return None
    version = db.session.get(ClipVersion, clip.review_version_id)
    return version if version is not None and version.is_ready else None


def active_render_job(clip: Clip, versions: list[ClipVersion] | None = None) -> Job | None:
    """Return the render job of the newest version (shown while it runs or if it failed).

    ``versions``: the clip's versions, newest first, if the caller has loaded them already.
    """
    versions = list_versions(clip) if versions is None else versions
    if not versions:
        return None
    job = latest_job(RENDER_JOB, versions[0])
    return job if job and not versions[0].is_ready else None


def mark_rendered(version: ClipVersion, clip: Clip) -> None:
    """A version finished: a draft clip becomes ready for review (one commit for both)."""
    version.is_ready = True
    if clip.state == ClipState.DRAFT:
        move(clip, ClipState.READY, None)
    db.session.commit()
    clip_changed.send(clip_id=clip.id, org_id=clip.org_id)
