"""A render whose ffmpeg hangs is stopped at its time limit, retried, then failed with a
message the merchant reads; the picture's and the sound's ffmpeg are both killed and no
scratch, partial clip file or process is left behind.

The hanging tool is a real process (``tests.support.stuck_tools``); the limit is the real one,
made tiny by the settings.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from portal.jobs.models import JobState
from portal.jobs.runner import run_queued_jobs
from portal.jobs.scratch import scratch_root
from tests.reliability.helpers import (
    add_renderable_clip,
    clip_files,
    clip_state,
    render_jobs,
    request_render,
)
from tests.support import queues, stuck_tools
from tests.support.mediagen import make_test_video
from tests.support.stuck_tools import is_running, started_pids, stuck_ffmpeg

LIMIT_S = 1.5  # the base; a three-second clip adds 0.03 s

app_config = queues.app_config


@pytest.fixture(scope="session")
def short_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four seconds of test pattern with a tone."""
    return make_test_video(tmp_path_factory.mktemp("short") / "short.mp4", seconds=4.0)


tool_folder = stuck_tools.tool_folder


@pytest.fixture
def extra_config(tool_folder: Path) -> dict[str, Any]:
    return {
        "FFMPEG_BINARY": str(stuck_ffmpeg(tool_folder)),
        "RENDER_TIME_BASE_S": LIMIT_S,
        "RENDER_TIME_PER_S": 0.01,
        "JOB_MAX_ATTEMPTS": 2,
    }


def test_hanging_render_is_killed_at_the_limit_and_fails_with_the_message(
    app, client_as, merchant, merchant_org, short_source, tool_folder
):
    clip_id = add_renderable_clip(app, merchant_org.id, short_source, seconds=3.0)
    browser = client_as(merchant)
    request_render(browser, clip_id)

    started = time.monotonic()
    with app.app_context():
        run_queued_jobs()
        scratch = scratch_root()
    elapsed_s = time.monotonic() - started

    (job,) = render_jobs(app)
    assert (job.state, job.attempts) == (JobState.FAILED, 2)
    assert job.error_args == {"limit": "0:00:02", "n": 2, "max": 2}
    assert "timed out" in job.error
    assert 2 * LIMIT_S <= elapsed_s < 2 * LIMIT_S + 6, "each attempt ends at its limit"
    pids = started_pids(tool_folder)
    assert len(pids) == 4  # the picture's and the sound's ffmpeg, in each attempt
    assert not any(is_running(pid) for pid in pids)
    assert list(scratch.iterdir()) == []
    assert clip_files(app, merchant_org.id) == []
    assert clip_state(app, clip_id) == "draft"

    page = browser.get(f"/media/clips/{clip_id}/render-status?lang=en").text
    assert (
        "Processing failed: The job ran longer than its time limit of 0:00:02 and was "
        "stopped (attempt 2 of 2)."
    ) in " ".join(page.split())
