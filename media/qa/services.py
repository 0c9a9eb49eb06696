"""Render QA services: check a rendered version, find its report, override it, gate submitting.

The checks themselves live in ``media.render.qa``. Banned words belong to the compliance
feature, which sits above media: it answers the ``collecting_findings`` signal, sent with the
version, with its own findings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from fontTools.ttLib import TTLibError
from sqlalchemy import select

from media.clips.models import Clip, ClipVersion
from media.clips.rendering import version_kept
from media.ffmpeg import FfmpegError
from media.qa.models import RenderQaReport
from media.recordings.models import Recording
from media.render import qa
from media.render.fonts import FontNotFoundError, find_subtitle_font
from media.render.profiles import DEFAULT_LOUDNESS_LUFS, Cue
from media.render.styles import get_template
from media.render.subtitles import SubtitleLayout, text_width_em
from media.transcripts.models import Word
from media.transcripts.services import get_transcript
from portal.audit.services import record_event
from portal.auth.models import User
from portal.database import utcnow
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.organisations.scoping import scoped

log = logging.getLogger(__name__)
_signals = Namespace()
# Sent with the version (sender) while its report is made; receivers return a list of findings.
collecting_findings = _signals.signal("render-qa-collecting")


def version_ranges(version: ClipVersion) -> list[qa.Range]:
    """The kept ranges the version was rendered from, in order."""
    return [qa.Range(int(start), int(end)) for start, end in version_kept(version)]


def check_render(
    version: ClipVersion, clip: Clip, video: Path, *, ffmpeg_bin: str, timeout_s: float
) -> RenderQaReport | None:
    """Run every check on a freshly rendered version and keep its report (not committed).

    A check that cannot run (ffmpeg failed) is logged, and the version has no report.
    """
    try:
        found = qa.run_detectors(
            video,
            version.duration_s,
            target_lufs=DEFAULT_LOUDNESS_LUFS,
            ffmpeg_bin=ffmpeg_bin,
            timeout_s=timeout_s,
        )
    except FfmpegError:
        log.warning("QA checks of clip version %s could not run", version.id, exc_info=True)
        return None
    found += qa.word_cut_findings(version_ranges(version), _edge_words(version, clip))
    if version.burn_subtitles:
        template = get_template((version.style or {}).get("template"))  # as it was burned
        layout = SubtitleLayout.for_frame(version.width, version.height, template=template)
        found += qa.safe_area_findings(_cues(version), layout, _burned_font_widths())
    for _receiver, extra in collecting_findings.send(version):
        found += extra
    return _store(version, found)


def _burned_font_widths() -> Callable[[str], float]:
    """Measure text in the font the subtitles were burned with (else estimate, as laid out)."""
    try:
        font = find_subtitle_font(current_app.config["SUBTITLE_FONT"] or None)
        return qa.font_measure(font.font_file, font.font_name)
    except (FontNotFoundError, OSError, TTLibError):
        log.warning("QA: the subtitle font cannot be measured; widths are estimated")
        return text_width_em


def _cues(version: ClipVersion) -> list[Cue]:
    return [Cue(float(c["start"]), float(c["end"]), str(c["text"])) for c in version.cues]  # type: ignore[arg-type]


def _edge_words(version: ClipVersion, clip: Clip) -> Iterable[qa.TimedWord]:
    """The recognised words around the version's range edges (one query)."""
    recording = db.session.get(Recording, clip.recording_id)
    transcript = get_transcript(recording) if recording else None
    if transcript is None:
        return []
    edges = [ms for kept in version_ranges(version) for ms in (kept.start_ms, kept.end_ms)]
    near = [(Word.start_ms < ms) & (Word.end_ms > ms) for ms in edges]
    rows = db.session.execute(
        select(Word.start_ms, Word.end_ms, Word.text).where(
            Word.transcript_id == transcript.id, db.or_(*near)
        )
    )
    return [qa.TimedWord(row.start_ms, row.end_ms, row.text) for row in rows]


def _store(version: ClipVersion, found: list[dict]) -> RenderQaReport:
    """Replace the report of the version's files (a second delivery of the job finds the same)."""
    report = report_for(version) or RenderQaReport(
        org_id=version.org_id, stored_stem=version.stored_stem
    )
    report.checked_at, report.findings = utcnow(), sorted(found, key=_order)
    report.override_reason = report.overridden_by_id = report.overridden_at = None
    db.session.add(report)
    return report


def _order(found: dict) -> tuple[int, float]:
    start = found.get("start_s")
    return (qa.CHECKS.index(str(found["check"])), -1.0 if start is None else float(start))


def report_for(version: ClipVersion) -> RenderQaReport | None:
    """The QA report of the version's files, if they were checked."""
    return db.session.scalar(
        scoped(RenderQaReport, version.org_id).where(
            RenderQaReport.stored_stem == version.stored_stem
        )
    )


def reports_for(versions: Iterable[ClipVersion]) -> dict[int, RenderQaReport]:
    """The reports of several versions (one query), by version id."""
    versions = list(versions)
    if not versions:
        return {}
    stems = {v.stored_stem for v in versions}
    rows = db.session.scalars(
        scoped(RenderQaReport, versions[0].org_id).where(RenderQaReport.stored_stem.in_(stems))
    )
    by_stem = {row.stored_stem: row for row in rows}
    return {v.id: by_stem[v.stored_stem] for v in versions if v.stored_stem in by_stem}


def is_blocked(version: ClipVersion) -> bool:
    """Tell whether the version's QA findings stand, not overridden: it cannot be submitted."""
    report = report_for(version)
    return report is not None and report.is_blocking


def require_passed(version: ClipVersion) -> None:
    """Refuse to submit a version whose QA findings stand and were not overridden."""
    if is_blocked(version):
        raise ConflictError(
            _(
                "Version %(n)s failed its quality checks: render again after fixing them, or "
                "override them with a reason.",
                n=version.number,
            )
        )


def override_findings(version: ClipVersion, actor: User, reason: str) -> RenderQaReport:
    """Let the version's QA findings stand, with the merchant's reason (audited, committed)."""
    report = report_for(version)
    text = reason.strip()
    if report is None or not report.findings:
        raise ConflictError(_("This version has no quality findings to override."))
    if not text:
        raise ServiceError(
            _("Say why the findings can stay: the trainer reads it."), field="reason"
        )
    report.override_reason, report.overridden_by_id, report.overridden_at = text, actor.id, utcnow()
    record_event(
        actor,
        "clip.qa_overridden",
        version,
        org_id=version.org_id,
        reason=text,
        findings=len(report.findings),
    )
    db.session.commit()
    return report
