"""What the pages show of a job: its steps with labels, and an estimate of the time left."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.database import utcnow
from portal.i18n import translate_message
from portal.jobs.kinds import find_kind, step_labels
from portal.jobs.models import Job, JobState

# What a job works on, by the subject's model name (``Job.subject_type``).
SUBJECT_LABELS = {
    "Recording": _l("Recording"),
    "ClipVersion": _l("Clip version"),
    "Clip": _l("Clip"),
}
# A recording of the base's own organisation is a course or practice video, not a stream.
TRAINING_VIDEO = _l("Course or practice video")


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
    stage: str
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


def state_label(state: str) -> str:
    """Return the translated name of a job state."""
    return str(STATE_LABELS.get(JobState(state), state))


def kind_label(kind: str) -> str:
    """Return the translated name of a job kind (the kind itself when unknown)."""
    found = find_kind(kind)
    return str(found.label) if found else kind


def done_message(kind: str) -> str:
    """Return what is said of a job of ``kind`` that succeeded."""
    found = find_kind(kind)
    return str(found.done if found else _l("Done."))


EMPTY_MESSAGES = {
    JobState.QUEUED: _l("No jobs are waiting."),
    JobState.RUNNING: _l("No jobs are running."),
    JobState.SUCCEEDED: _l("No jobs have succeeded yet."),
    JobState.FAILED: _l("No failed jobs."),
    JobState.CANCELLED: _l("No cancelled jobs."),
}


def subject_label(job: Job, training_org_id: int | None = None) -> str:
    """Name what a job works on, e.g. ``直播录像 #7`` (``training_org_id``: the base's own)."""
    if job.subject_type == "Recording" and training_org_id and job.org_id == training_org_id:
        name = TRAINING_VIDEO
    else:
        name = SUBJECT_LABELS.get(job.subject_type, job.subject_type)
    return f"{name} #{job.subject_id}"


def step_summary(job: Job) -> str:
    """Say where ``job`` is: its step and progress while active, how it ended otherwise."""
    if job.state == JobState.SUCCEEDED:
        return done_message(job.kind)
    if not job.step:
        return str(_l("Waiting for a worker")) if job.is_active else "—"
    step = f"{step_label(job.step)} · {job.progress}%"
    return step if job.is_active else str(_l("Stopped at: %(step)s", step=step))


def empty_message(state: str | None) -> str:
    """The jobs page's line when the list (of one state, or all) is empty."""
    if state in EMPTY_MESSAGES:
        return str(EMPTY_MESSAGES[JobState(state)])
    return " ".join(
        (
            str(_l("No jobs.")),
            str(_l("Jobs appear when merchants upload recordings or render clips.")),
        )
    )


def _eta_s(job: Job) -> float | None:
    if job.state != JobState.RUNNING or not job.step_started_at or job.progress <= 0:
        return None
    elapsed = (utcnow() - job.step_started_at).total_seconds()
    return max(0.0, elapsed * (100 - job.progress) / job.progress)


def stage_text(job: Job) -> str:
    """Say what an active job is doing, e.g. ``识别语音… 35%``: its step, and its share once any.

    A step at 0 % says only that it works (``识别语音…``), not that it is stuck at nothing.
    """
    if not job.step:
        return str(_l("Waiting for a worker"))
    if job.progress <= 0:
        return str(_l("%(step)s…", step=step_label(job.step)))
    return str(_l("%(step)s… %(percent)d%%", step=step_label(job.step), percent=job.progress))


def job_view(job: Job) -> JobView:
    """Describe ``job``'s steps (done, current, to come) and its time left."""
    kind = find_kind(job.kind)
    steps = tuple(step for step, _ in kind.steps) if kind and kind.steps else ()
    steps = steps or ((job.step,) if job.step else ())
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
        stage=stage_text(job),
        eta_s=_eta_s(job),
        error=public_error(job),
        done_message=done_message(job.kind),
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


@dataclass(frozen=True)
class JobRow:
    """One row of the jobs page: the job and its labels in the reader's language."""

    job: Job
    subject: str
    step: str
    state: str
    error: ErrorView


def job_rows(jobs: list[Job], training_org_id: int | None) -> list[JobRow]:
    """Describe ``jobs`` for the jobs page."""
    return [
        JobRow(
            job=job,
            subject=subject_label(job, training_org_id),
            step=step_summary(job),
            state=state_label(job.state),
            error=admin_error(job),
        )
        for job in jobs
    ]


def step_label(step: str) -> str:
    """Return the translated label of a step."""
    return str(step_labels().get(step, step))
