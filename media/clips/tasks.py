"""The render job: cut, reframe, subtitle and normalise one clip version."""

from __future__ import annotations

import errno

from flask import current_app
from flask_babel import gettext as _

from media import ffmpeg
from media.clips.models import Clip, ClipVersion
from media.clips.rendering import clips_dir, mark_rendered, version_file
from media.recordings.models import Recording
from media.recordings.services import source_path
from media.render.fonts import FontNotFoundError, find_subtitle_font
from media.render.profiles import Cue, RenderSpec
from media.render.renderer import RenderError, render_clip
from portal.extensions import db
from portal.jobs.runner import JobContext, PermanentJobError
from portal.organisations.scoping import get_owned_or_404

_DISK_FULL = "No space left on device"


def _disk_full_message() -> str:
    return _(
        "There is not enough disk space to render the clip. Nothing was changed: ask the base "
        "staff to free some space, then render again."
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
    ctx.step("rendering")
    clips_dir(version.org_id).mkdir(parents=True, exist_ok=True)
    _remove_leftovers(version)
    config = current_app.config
    try:
        font = (
            find_subtitle_font(config["SUBTITLE_FONT"] or None) if version.burn_subtitles else None
        )
        ffmpeg_bin = ffmpeg.find_ffmpeg(config["FFMPEG_BINARY"] or None)
        with ctx.workdir() as workdir:
            result = render_clip(
                _spec(version, recording), ffmpeg_bin=ffmpeg_bin, on_progress=ctx.progress,
                font=font, work_root=workdir,
            )  # fmt: skip
    except RenderError as exc:
        if _DISK_FULL in exc.stderr_tail:
            raise PermanentJobError(_disk_full_message()) from exc
        raise PermanentJobError(exc.message) from exc
    except (FontNotFoundError, ValueError) as exc:
        raise PermanentJobError(str(exc)) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise PermanentJobError(_disk_full_message()) from exc
        raise
    version.duration_s, version.width, version.height = (
        result.duration_s, result.width, result.height,
    )  # fmt: skip
    version.loudness_lufs = result.measured_lufs
    db.session.flush()
    mark_rendered(version, clip)
