"""Names corrected again when the stream's item list changes after the transcript exists.

The list makes name correction bolder for its items (``media.transcripts.corrections``), so a
merchant who adds or imports the list afterwards gets the transcript's names corrected with it:
``stream_items_changed`` queues the ``recording.names`` job (never work in the request), which
runs ``correct_again`` with the list as it is when the job runs (as transcription does: without
a list, a catalog small enough to be one stands in, ``listed_or_small_catalog``): it adds the
corrections the list asks for and takes back those only an item taken off it justified. A
change made while the job runs queues another, which reads the newer list. Corrections that
changed the transcript send ``transcript_edited``, so the mentions are refreshed after them (and
search indexes the text); a job that changed nothing sends ``names_unchanged`` instead, so the
mentions are found with the new list all the same: one refresh per list change, after the
names. A sentence someone edited or undid while the job ran is tried once more by a queued job
(which then sends the signal).
"""

from __future__ import annotations

from media.recordings.listed_items import listed_or_small_catalog
from media.recordings.models import Recording
from media.recordings.signals import names_unchanged
from media.transcripts.corrections import correct_again
from media.transcripts.services import get_transcript
from portal.jobs.models import JobState
from portal.jobs.runner import JobContext
from portal.jobs.services import enqueue_job, latest_job
from portal.organisations.scoping import find_owned, get_owned_or_404

NAMES_JOB = "recording.names"


def queue_names_again(recording: Recording) -> None:
    """Queue correcting the recording's names again, unless one is waiting or no transcript."""
    if get_transcript(recording) is None:
        return
    waiting = latest_job(NAMES_JOB, recording)
    if waiting is not None and waiting.state == JobState.QUEUED:
        return
    enqueue_job(NAMES_JOB, recording, org_id=recording.org_id)


def queue_for_stream_items(sender: object = None, *, recording_id: int, org_id: int) -> None:
    """The stream's item list changed: correct the names again once there is a transcript."""
    queue_names_again(get_owned_or_404(Recording, recording_id, org_id))


def correct_names_job(ctx: JobContext) -> None:
    """Job handler: correct the recording's names with its item list as it is now.

    A recording deleted after the job was queued leaves nothing to do: the job succeeds.
    """
    recording = find_owned(Recording, ctx.job.subject_id, ctx.job.org_id)
    if recording is None:
        return
    ctx.step("correcting_names")
    done = correct_again(recording, listed_or_small_catalog(recording))
    if done.changed_meanwhile:
        queue_names_again(recording)
    elif not done.sentences:
        names_unchanged.send(recording_id=recording.id, org_id=recording.org_id)
