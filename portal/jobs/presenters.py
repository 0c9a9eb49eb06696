"""What the pages show of a job: its steps with labels, and an estimate of the time left."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.database import utcnow
from portal.i18n import translate_message
from portal.jobs.models import Job, JobState

# The visible steps of each job kind, in order.
STEPS: dict[str, tuple[str, ...]] = {
    "recording.transcribe": (
        "probing",
        "extracting_audio",
        "transcribing",
        "saving",
        "finding_items",
    ),
    "recording.mentions": ("finding_items",),
    "clip.render": ("rendering",),
}

KIND_LABELS = {
    "recording.transcribe": _l("Transcribe a recording"),
    "recording.mentions": _l("Find items in a recording"),
    "clip.render": _l("Render a clip"),
}

SUBJECT_LABELS = {"recording": _l("Recording"), "clip": _l("Clip")}

STEP_LABELS = {
    "probing": _l("Checking the file"),
    "extracting_audio": _l("Extracting audio"),
    "transcribing": _l("Transcribing speech"),
    "saving": _l("Saving the transcript"),
    "finding_items": _l("Finding items"),
    "rendering": _l("Rendering the clip"),
}


@dataclass(frozen=True)
class StepView:
    """One step with its label and whether it is done, current or to come."""

    label: str
    status: str


@dataclass(frozen=True)
class JobView:
    """A job ready to display."""

    steps: list[StepView]
    current_label: str
    eta_s: float | None
    error: str
    done_message: str


STATE_LABELS = {
    JobState.QUEUED: _l("Queued"),
    JobState.RUNNING: _l("Running"),
    JobState.SUCCEEDED: _l("Succeeded"),
    JobState.FAILED: _l("Failed"),
    JobState.CANCELLED: _l("Cancelled"),
}


DONE_MESSAGES = {
    "recording.transcribe": _l("Transcribed."),
    "recording.mentions": _l("Items found."),
    "clip.render": _l("Rendered."),
}


def state_label(state: str) -> str:
    """Return the translated name of a job state."""
    return str(STATE_LABELS.get(JobState(state), state))


def kind_label(kind: str) -> str:
    """Return the translated name of a job kind (the kind itself when unknown)."""
    return str(KIND_LABELS.get(kind, kind))


def subject_label(subject_type: str, subject_id: int) -> str:
    """Name what a job works on, e.g. ``直播录像 #7``."""
    return f"{SUBJECT_LABELS.get(subject_type.lower(), subject_type)} #{subject_id}"


def step_label(step: str) -> str:
    """Return the translated label of a step."""
    return str(STEP_LABELS.get(step, step))


def _eta_s(job: Job) -> float | None:
    if job.state != JobState.RUNNING or not job.step_started_at or job.progress <= 0:
        return None
    elapsed = (utcnow() - job.step_started_at).total_seconds()
    return max(0.0, elapsed * (100 - job.progress) / job.progress)


def job_view(job: Job) -> JobView:
    """Describe ``job``'s steps (done, current, to come) and its time left."""
    steps = STEPS.get(job.kind, (job.step,) if job.step else ())
    current = steps.index(job.step) if job.step in steps else -1
    finished = job.state == JobState.SUCCEEDED
    views = []
    for index, step in enumerate(steps):
        if finished or index < current:
            status = "done"
        elif index == current and job.is_active:
            status = "current"
        elif index == current:
            status = "stopped"
        else:
            status = "todo"
        views.append(StepView(step_label(step), status))
    label = step_label(job.step) if job.step else str(_l("Waiting for a worker"))
    return JobView(
        steps=views,
        current_label=label,
        eta_s=_eta_s(job),
        error=public_error(job),
        done_message=str(DONE_MESSAGES.get(job.kind, _l("Done."))),
    )


@dataclass(frozen=True)
class ErrorView:
    """A job's error as administrators read it: the message, and the technical details."""

    message: str
    details: str


def public_error(job: Job) -> str:
    """The job's error as a merchant may read it, in their language (no technical details)."""
    if job.error_key:
        return translate_message(job.error_key, job.error_args)
    if job.error and job.error_is_internal:
        return str(_l("An unexpected error happened. The base staff can see the details."))
    return job.error  # a row from before error_key: its message as stored


def admin_error(job: Job) -> ErrorView:
    """The job's error for the jobs page and operators: the message, then the details."""
    message = "" if job.error_is_internal else public_error(job)
    details = job.error if job.error_key or job.error_is_internal else ""
    return ErrorView(message, details)


def error_report(job: Job) -> str:
    """The job's whole error on one line or two (operators' command line)."""
    view = admin_error(job)
    return "\n".join(part for part in (view.message, view.details) if part)
