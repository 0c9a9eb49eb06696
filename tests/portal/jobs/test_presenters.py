from portal.jobs.models import Job, JobState
from portal.jobs.presenters import job_view, public_error


def _job(**fields):
    defaults = {"kind": "recording.transcribe", "subject_type": "Recording", "subject_id": 1}
    return Job(**{**defaults, **fields})


def test_merchant_sees_a_crash_as_a_generic_message_not_its_details(app):
    crash = _job(state=JobState.FAILED, error="FileNotFoundError: /srv/x", error_is_internal=True)
    with app.test_request_context("/?lang=en"):
        assert "/srv/x" not in public_error(crash)
        assert "unexpected" in public_error(crash)


def test_merchant_sees_a_rejection_reason_as_written(app):
    rejected = _job(state=JobState.FAILED, error="The file is damaged.", error_is_internal=False)
    with app.test_request_context("/?lang=en"):
        assert public_error(rejected) == "The file is damaged."


def test_steps_before_the_current_one_are_done_and_later_ones_to_come(app):
    running = _job(state=JobState.RUNNING, step="transcribing", progress=40)
    with app.test_request_context("/?lang=en"):
        statuses = [step.status for step in job_view(running).steps]
    assert statuses == ["done", "done", "current", "todo", "todo"]


def test_stage_says_what_a_step_does_and_its_share_once_it_has_one(app):
    starting = _job(state=JobState.RUNNING, step="transcribing", progress=0)
    under_way = _job(state=JobState.RUNNING, step="transcribing", progress=35)
    queued = _job(state=JobState.QUEUED, step="", progress=0)
    with app.test_request_context("/?lang=en"):
        assert job_view(starting).stage == "Transcribing speech…"  # working, not "stuck at 0 %"
        assert job_view(under_way).stage == "Transcribing speech… 35%"
        assert job_view(queued).stage == "Waiting for a worker"
    with app.test_request_context("/?lang=zh"):
        assert job_view(starting).stage == "语音转写…"
        assert job_view(under_way).stage == "语音转写… 35%"
