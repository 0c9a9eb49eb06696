"""The render job: cut, reframe, subtitle and normalise one clip version."""

from __future__ import annotations

import errno

from flask import current_app

from media import ffmpeg
from media.clips.models import Clip, ClipVersion
from media.clips.rendering import clips_dir, mark_rendered, version_file, version_kept
from media.clips.signals import render_finished
from media.clips.styling import decor_for
from media.recordings.models import Recording
from media.recordings.services import source_path
from media.render.fonts import FontNotFoundError, find_subtitle_font
from media.render.profiles import Cue, RenderSpec
from media.render.renderer import RenderError, render_clip
from portal.extensions import db
from portal.i18n import N_
from portal.jobs.runner import JobContext, PermanentJobError
from portal.organisations.scoping import get_owned_or_404

_DISK_FULL = "No space left on device"
# What the merchant reads, translated when shown; ffmpeg's words go to the job's details.
_DISK_FULL_MESSAGE = N_(
    "There is not enough disk space to render the clip. Nothing was changed: ask the base "
    "staff to free some space, then render again."
)
_FAILED_MESSAGE = N_(
    "The clip could not be rendered. Nothing was changed: render again, and if it fails again, "
    "ask the base staff (they can see the details)."
)
_NO_FONT_MESSAGE = N_(
    "The subtitles cannot be burned in: the server has no Chinese font. Ask the base staff to "
    "install one, or render without burned subtitles."
)


def _spec(version: ClipVersion, recording: Recording) -> RenderSpec:
    return RenderSpec(
        source=source_path(recording),
        in_s=version.start_ms / 1000,
        out_s=version.end_ms / 1000,
        video_path=version_file(version, "video"),
        poster_path=version_file(version, "poster"),
        vtt_path=version_file(version, "vtt"),
        profile=str(version.profile),
        fill=version.fill,
        cues=tuple(Cue(c["start"], c["end"], c["text"]) for c in version.cues),  # type: ignore[arg-type]
        burn_subtitles=version.burn_subtitles,
        poster_at_s=version.poster_at_s,
        ranges=tuple((a / 1000, b / 1000) for a, b in version_kept(version)),
        decor=decor_for(version),
    )


def _remove_leftovers(version: ClipVersion) -> None:
    """Remove the temporary files an earlier attempt left when its worker was killed.

    Only the worker holding the job's lease runs this, so no other render writes them now.
    """
    for path in clips_dir(version.org_id).glob(f".{version.stored_stem}.*.part.*"):
        path.unlink(missing_ok=True)


def render_version(ctx: JobContext) -> None:
    """Render a clip version's video, poster and WebVTT (safe to run again)."""
    version = get_owned_or_404(ClipVersion, ctx.job.subject_id, ctx.job.org_id)
    clip = get_owned_or_404(Clip, version.clip_id, ctx.job.org_id)
    recording = get_owned_or_404(Recording, clip.recording_id, ctx.job.org_id)
    config = current_app.config
    clip_s = sum(b - a for a, b in version_kept(version)) / 1000
    ctx.limit_time(config["RENDER_TIME_BASE_S"] + config["RENDER_TIME_PER_S"] * clip_s)
    ctx.step("rendering")
    clips_dir(version.org_id).mkdir(parents=True, exist_ok=True)
    _remove_leftovers(version)
    try:
        drawn = version.burn_subtitles or decor_for(version).has_overlays
        font = find_subtitle_font(config["SUBTITLE_FONT"] or None) if drawn else None
        ffmpeg_bin = ffmpeg.find_ffmpeg(config["FFMPEG_BINARY"] or None)
        with ctx.workdir() as workdir:
            result = render_clip(
                _spec(version, recording),
                ffmpeg_bin=ffmpeg_bin,
                on_progress=ctx.progress,
                font=font,
                work_root=workdir,
                timeout_s=ctx.time_left(),
            )
    except RenderError as exc:
        full = _DISK_FULL in exc.stderr_tail
        key = _DISK_FULL_MESSAGE if full else _FAILED_MESSAGE
        raise PermanentJobError(key, detail=exc.message) from exc
    except FontNotFoundError as exc:
        raise PermanentJobError(_NO_FONT_MESSAGE, detail=str(exc)) from exc
    except ValueError as exc:
        raise PermanentJobError(_FAILED_MESSAGE, detail=str(exc)) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise PermanentJobError(_DISK_FULL_MESSAGE, detail=str(exc)) from exc
        raise
    version.duration_s, version.width, version.height = (
        result.duration_s,
        result.width,
        result.height,
    )
    version.loudness_lufs = result.measured_lufs
    db.session.flush()
    render_finished.send(
        version,
        clip=clip,
        video=result.video_path,
        ffmpeg_bin=ffmpeg_bin,
        timeout_s=ctx.time_left(),
    )
    mark_rendered(version, clip)
