"""Worker faults on the real render job: a SIGKILLed worker, a duplicate delivery, a job out of
attempts, a full disk, and a web process restarted while a job runs.

Killing mid-transcription is shown by ``tests/media/recordings/test_worker_kill.py``; the job
table's rules with test handlers by ``tests/portal/jobs/test_jobs.py``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_login import FlaskLoginClient

from media.clips.models import ClipVersion
from media.clips.rendering import clips_dir
from media.recordings.models import Recording
from media.recordings.services import source_path
from portal import create_app
from portal.auth.models import Role
from portal.extensions import db
from portal.jobs.models import JobState
from portal.jobs.queue import deliver
from portal.jobs.runner import run_queued_jobs
from tests.reliability.helpers import (
    add_renderable_clip,
    clip_files,
    clip_state,
    count,
    render_jobs,
    request_render,
    sha256,
    versions,
)
from tests.support.mediagen import make_test_video


@pytest.fixture(scope="session")
def short_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four seconds of test pattern with a tone: a cheap render."""
    return make_test_video(tmp_path_factory.mktemp("short") / "short.mp4", seconds=4.0)


@pytest.fixture(scope="session")
def long_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty-four seconds at 640×360: a render that takes a while, so a worker can die in it."""
    folder = tmp_path_factory.mktemp("long")
    return make_test_video(folder / "long.mp4", seconds=24.0, size="640x360", rate=25)


@pytest.fixture
def browser(client_as, merchant):
    found = client_as(merchant)
    found.get("/?lang=en")
    return found


def output_names(version: ClipVersion) -> list[str]:
    return sorted(f"{version.stored_stem}{suffix}" for suffix in (".jpg", ".mp4", ".vtt"))


def job_folders(app: Flask, job_id: int) -> list[Path]:
    """The job's scratch folders under MEDIA_ROOT (a killed worker cannot remove its own)."""
    return sorted((Path(app.config["MEDIA_ROOT"]) / "scratch").glob(f"job-{job_id}-*"))


def fresh_web_process(app: Flask) -> Flask:
    """A new application on the same database and media, as after restarting the web server."""
    restarted = create_app(dict(app.config))
    restarted.test_client_class = FlaskLoginClient
    return restarted


@pytest.mark.slow
def test_render_killed_mid_way_is_finished_once_by_another_worker_and_shown_after_web_restart(
    app, browser, merchant, merchant_org, long_source, workers
):
    clip_id = add_renderable_clip(app, merchant_org.id, long_source, seconds=20.0)
    first = workers.start("worker-1")
    request_render(browser, clip_id)

    def rendering(attempt: int) -> bool:
        jobs = render_jobs(app)
        return bool(jobs) and jobs[0].attempts == attempt and jobs[0].progress >= 5

    workers.wait_for(lambda: first.poll() is None and rendering(1), 120, "worker 1 to render")
    workers.kill(first)

    (job,) = render_jobs(app)
    assert (job.state, job.attempts) == (JobState.RUNNING, 1)
    assert job_folders(app, job.id), "the killed render left its temporary folder"
    (version,) = versions(app, clip_id)
    assert not version.is_ready
    assert f"{version.stored_stem}.mp4" not in clip_files(app, merchant_org.id)

    second = workers.start("worker-2")
    web = fresh_web_process(app).test_client(user=merchant)
    workers.wait_for(lambda: rendering(2), 120, "worker 2 to take the job over")
    page = web.get(f"/media/clips/{clip_id}/render-status?lang=en", headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert "Rendering the clip" in page.text
    assert re.search(r'<progress max="100" value="([1-9]\d?)"', page.text)

    workers.wait_for(lambda: render_jobs(app)[0].state == JobState.SUCCEEDED, 180, "the render")

    (job,) = render_jobs(app)
    assert job.attempts == 2
    assert str(second.pid) in job.worker_id
    (version,) = versions(app, clip_id)
    assert version.is_ready
    assert clip_files(app, merchant_org.id) == output_names(version)
    assert job_folders(app, job.id) == []  # the second attempt removed the first one's
    assert clip_state(app, clip_id) == "ready"
    page = web.get(f"/media/clips/{clip_id}/render-status?lang=en", headers={"HX-Request": "true"})
    assert f'src="/media/clips/{clip_id}/versions/{version.id}/video"' in page.text
    assert second.poll() is None


@pytest.mark.slow
def test_render_delivered_twice_is_rendered_once(app, browser, merchant_org, short_source, workers):
    clip_id = add_renderable_clip(app, merchant_org.id, short_source, seconds=3.0)
    request_render(browser, clip_id)
    (job,) = render_jobs(app)
    with app.app_context():
        deliver(job.id)  # the queue hands the same job out again
        deliver(job.id)
    worker = workers.start("worker", "--threads", "2")

    workers.wait_for(lambda: render_jobs(app)[0].state == JobState.SUCCEEDED, 120, "the render")
    workers.wait_for(lambda: "not claimable" in workers.logs(), 30, "the duplicate deliveries")

    (job,) = render_jobs(app)
    assert job.attempts == 1
    (version,) = versions(app, clip_id)
    assert clip_files(app, merchant_org.id) == output_names(version)
    assert worker.poll() is None


def test_render_failing_every_attempt_ends_failed_and_the_error_is_shown(
    app, browser, client_as, admin, merchant_org, short_source
):
    clip_id = add_renderable_clip(app, merchant_org.id, short_source, seconds=3.0)
    with app.app_context():
        folder = clips_dir(merchant_org.id)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the clips folder should be")  # every attempt crashes
    request_render(browser, clip_id)

    with app.app_context():
        run_queued_jobs()

    (job,) = render_jobs(app)
    assert (job.state, job.attempts, job.max_attempts) == (JobState.FAILED, 3, 3)
    assert job.error.startswith("FileExistsError")
    merchant_page = browser.get(f"/media/clips/{clip_id}/render-status").text
    assert "Processing failed: An unexpected error happened." in merchant_page
    assert "FileExistsError" not in merchant_page
    admin_page = client_as(admin).get("/admin/jobs/?state=failed&lang=en").text
    assert "FileExistsError" in admin_page
    assert clip_state(app, clip_id) == "draft"


def test_render_of_an_unreadable_source_fails_wholly_in_each_merchants_language(
    app, browser, client_as, make_user, merchant_org, short_source
):
    clip_id = add_renderable_clip(app, merchant_org.id, short_source, seconds=3.0)
    request_render(browser, clip_id)
    with app.app_context():
        source = source_path(db.session.scalar(db.select(Recording)))
    source.write_text("overwritten by a broken storage sync\n" * 20)
    with app.app_context():
        run_queued_jobs()  # the worker's language is English
    (job,) = render_jobs(app)
    assert (job.state, job.attempts) == (JobState.FAILED, 1)
    assert "The file is text, not a video." in job.error  # the details, for administrators

    def failure_as(locale: str) -> str:
        reader = client_as(make_user(Role.MERCHANT, merchant_org, locale=locale))
        page = reader.get(f"/media/clips/{clip_id}/render-status").text
        found = re.search(r'<p class="flash flash-error" role="alert">(.*?)</p>', page, re.S)
        return " ".join(found.group(1).split())

    english, chinese = failure_as("en"), failure_as("zh_CN")
    assert english.startswith("Processing failed: The clip could not be rendered.")
    assert chinese.startswith("处理失败：短视频渲染失败。")
    assert not re.search("[A-Za-z]", chinese)


@pytest.fixture
def small_media_root(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB tmpfs as the media root (skipped where this user may not mount)."""
    mount_point = tmp_path / "small-media"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount_point)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture
def extra_config(request: pytest.FixtureRequest) -> dict:
    if "small_media_root" in request.fixturenames:
        return {"MEDIA_ROOT": str(request.getfixturevalue("small_media_root"))}
    return {}


def free_bytes(path: Path) -> int:
    return shutil.disk_usage(path).free


def test_disk_full_during_render_fails_clearly_and_keeps_source_and_earlier_version(
    app, browser, merchant_org, short_source, small_media_root
):
    clip_id = add_renderable_clip(app, merchant_org.id, short_source, seconds=3.0)
    request_render(browser, clip_id)
    with app.app_context():
        run_queued_jobs()
    (first,) = versions(app, clip_id)
    assert first.is_ready
    with app.app_context():
        source = source_path(db.session.scalar(db.select(Recording)))
    kept = {p: sha256(p) for p in [source, *(clips_dir_files(app, merchant_org.id))]}
    filler = small_media_root / "filler.bin"
    with filler.open("wb") as handle:  # leave about 40 KB: too little for a render
        handle.truncate(0)
        handle.write(b"\0" * (free_bytes(small_media_root) - 40 * 1024))
    free_before = free_bytes(small_media_root)

    request_render(browser, clip_id, poster_at_s="0.5")
    with app.app_context():
        run_queued_jobs()

    latest = render_jobs(app)[-1]
    assert latest.state == JobState.FAILED
    assert latest.attempts == 1
    assert "not enough disk space" in latest.error_key.lower()
    page = browser.get(f"/media/clips/{clip_id}/render-status").text
    assert "not enough disk space" in page.lower()
    assert {p: sha256(p) for p in kept} == kept
    assert free_bytes(small_media_root) == free_before
    second = versions(app, clip_id)[1]
    assert not second.is_ready
    assert clip_files(app, merchant_org.id) == output_names(first)
    assert clip_state(app, clip_id) == "ready"

    filler.unlink()  # the operator frees space; the merchant renders again
    request_render(browser, clip_id, poster_at_s="0.5")
    with app.app_context():
        run_queued_jobs()
    assert render_jobs(app)[-1].state == JobState.SUCCEEDED
    assert count(app, ClipVersion, ClipVersion.is_ready.is_(True)) == 2


def clips_dir_files(app: Flask, org_id: int) -> list[Path]:
    with app.app_context():
        return sorted(clips_dir(org_id).iterdir())
