"""Jobs' scratch folders: on the media volume every worker shares, named by job, swept when done.

A job's temporary files (a transcription's extracted audio, a render's intermediate picture and
sound) go to ``scratch/job-<job id>-<random>/`` in the media storage. The folder goes when the
attempt ends; a worker killed mid-job cannot remove it, so the next attempt of the job removes
every folder of that job first, whichever worker it runs on, and the sweeper removes the folders
of jobs that are no longer running.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.storage import SCRATCH_KEY, media_storage

_FOLDER_NAME = re.compile(r"job-(\d+)-")


def scratch_root() -> Path:
    """Return the folder that holds the jobs' scratch folders (in the media storage)."""
    return media_storage().path(SCRATCH_KEY)


@contextmanager
def job_scratch(job_id: int) -> Iterator[Path]:
    """Give job ``job_id`` a fresh scratch folder, removed when the block ends.

    The folders earlier attempts of the job left (their worker died) are removed first. Only
    the worker holding the job's lease gets here, so no other attempt still uses them.
    """
    root = scratch_root()
    root.mkdir(parents=True, exist_ok=True)
    for leftover in root.glob(f"job-{job_id}-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"job-{job_id}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_scratch() -> list[Path]:
    """Remove the scratch folders of jobs not running now; return what was removed.

    The folders are listed before the jobs are read: a folder made after the listing belongs
    to an attempt that is running, and is left alone.
    """
    root = scratch_root()
    if not root.is_dir():
        return []
    folders = {
        path: int(match.group(1))
        for path in root.iterdir()
        if (match := _FOLDER_NAME.match(path.name))
    }
    if not folders:
        return []
    running = set(
        db.session.scalars(
            select(Job.id).where(Job.id.in_(set(folders.values())), Job.state == JobState.RUNNING)
        )
    )
    stale = sorted(path for path, job_id in folders.items() if job_id not in running)
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale
