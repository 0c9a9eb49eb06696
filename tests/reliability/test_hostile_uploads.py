"""Hostile and broken uploads, through the real tus route and the recording form.

Every refused file answers with a clear message in the form, and leaves no ``Upload`` or
``Recording`` row, no job and no file anywhere under the media root; nothing outside the media
root is read (the canaries notice a FIFO being opened or an HTTP request) or written (a
snapshot of the test's folder outside the media root stays the same). Hostile file names are
stored as data under a generated name and shown escaped. A damaged file that passes the probe
is transcribed or failed by a real worker, which goes on serving.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import func, select

from media.recordings.models import Recording
from media.uploads.models import Upload
from portal.extensions import db
from portal.jobs.models import Job, JobState
from tests.media.uploads.conftest import Tus
from tests.reliability.corpus import BUILDERS, Canaries, hls_playlist, make_media_corpus
from tests.support.workers import Workers, worker_environment

UNSUPPORTED = "This kind of file is not supported. Upload MP4, MOV, MKV, WebM, FLV or MPEG-TS."
NOT_VIDEO = "This file is not a video."
DAMAGED = "The file is damaged or incomplete. Export or upload it again."

# case -> what the merchant reads in the form (each part appears, HTML-escaped)
REFUSALS: dict[str, tuple[str, ...]] = {
    "hls_playlist": (UNSUPPORTED, "streaming playlist (HLS)"),
    "hls_with_bom_and_blank_lines": (UNSUPPORTED, "streaming playlist (HLS)"),
    "avi_embedding_hls": (UNSUPPORTED, "This file format is not accepted."),
    "ffconcat_list": (UNSUPPORTED, "The file is a concat list"),
    "text": (NOT_VIDEO, "The file is text, not a video."),
    "html_with_script": (NOT_VIDEO, "The file is text, not a video."),
    "png_image": (NOT_VIDEO, "The file is an image, not a video."),
    "random_bytes": (NOT_VIDEO, "The file is not a video that can be read."),
    "mp4_header_only": (DAMAGED,),
    "truncated_mp4": (DAMAGED, "it ends before the video does"),
    "moov_cut_off": (DAMAGED, "index is missing"),
    "pixel_bomb_8192": ("The video frame is larger than allowed", "The picture is 8192×8192"),
    "day_long_tiny_frames": ("The recording is longer than allowed.", "The video lasts 23:5"),
    "forty_audio_streams": ("The file has more tracks than allowed.", "The file has 41 streams"),
}

HOSTILE_NAMES = {
    "parent_directories": "../../etc/passwd.mp4",
    "backslashes": "..\\..\\Windows\\System32\\drivers\\etc\\hosts.mp4",
    "absolute_path": "/etc/cron.d/beltcast.mp4",
    "three_hundred_characters": "直播" * 75 + "a" * 146 + ".mp4",
    "control_characters": "live\x00stream\x1b[31m\r\nSet-Cookie: x=1\t\x7f.mp4",
    "script_tag": '<script>alert("name")</script><img src=x onerror=alert(1)>.mp4',
    "bidi_override": "clip\u202e4pm.exe",
}


@pytest.fixture(scope="session")
def media_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The binary cases, generated once with ffmpeg."""
    return make_media_corpus(tmp_path_factory.mktemp("hostile-corpus"))


@pytest.fixture
def canaries(tmp_path: Path) -> Iterator[Canaries]:
    """A FIFO and an HTTP URL outside the media root that notice any read."""
    found = Canaries(tmp_path / "outside")
    yield found
    found.close()


@pytest.fixture
def tus(app: Flask, client_as, merchant) -> Tus:
    """The approved merchant's browser, in English, speaking tus."""
    browser = client_as(merchant)
    browser.get("/?lang=en")
    return Tus(app, browser)


def upload(tus: Tus, data: bytes, filename: str) -> str:
    """Upload ``data`` in two PATCH requests, as the widget does; return the upload id."""
    upload_id = tus.start(len(data), filename=filename)
    half = len(data) // 2
    for offset, chunk in ((0, data[:half]), (half, data[half:])):
        if chunk:
            response = tus.patch(upload_id, chunk, offset)
            assert response.status_code == 204, response.text
    return upload_id


def add_recording(tus: Tus, upload_id: str, title: str = "Tonight") -> object:
    """Post the recording form for a finished upload."""
    return tus.client.post(
        "/media/recordings/", data={"upload_id": upload_id, "title": title, "language": "en"}
    )


def count(app: Flask, model: object) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def media_files(app: Flask) -> list[Path]:
    """Every file under the media root."""
    return sorted(p for p in Path(app.config["MEDIA_ROOT"]).rglob("*") if not p.is_dir())


def outside_snapshot(tmp_path: Path, app: Flask) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file of the test outside the media root (databases excepted)."""
    media_root = Path(app.config["MEDIA_ROOT"])
    return {
        str(p): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in tmp_path.rglob("*")
        if p.is_file()
        and media_root not in p.parents
        and not re.search(r"\.db(-wal|-shm|-journal)?$", p.name)
        and "worker-logs" not in p.parts
    }


def assert_left_nothing(app: Flask) -> None:
    assert count(app, Upload) == 0
    assert count(app, Recording) == 0
    assert count(app, Job) == 0
    assert media_files(app) == []


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_merchant_hostile_file_is_refused_with_reason_and_leaves_nothing(
    app, tus, canaries, media_corpus, tmp_path, case
):
    data = BUILDERS[case](media_corpus, canaries)
    before = outside_snapshot(tmp_path, app)
    upload_id = upload(tus, data, f"{case}.mp4")

    response = add_recording(tus, upload_id)

    assert response.status_code == 200
    for part in REFUSALS[case]:
        assert str(escape(part)) in response.text, (case, part)
    assert 'id="recording-form"' in response.text
    assert "<script>alert" not in response.text  # the file's content is never echoed
    assert_left_nothing(app)
    assert canaries.hits == [], f"{case} made something outside the media root be read"
    assert outside_snapshot(tmp_path, app) == before


def test_hostile_corpus_covers_every_builder():
    assert set(REFUSALS) == set(BUILDERS)


def _demux_all(path: Path) -> None:
    import av

    with av.open(str(path), timeout=5) as container:
        for _packet in container.demux():
            pass


def test_canaries_notice_an_unrestricted_demuxer_following_a_playlist(tmp_path, canaries):
    # The control: libav opened without our allowlists follows the playlist into the FIFO, so
    # the empty ``hits`` above mean the probe never followed it.
    import av

    playlist = tmp_path / "control.m3u8"
    playlist.write_bytes(hls_playlist([str(canaries.fifo)]))
    with pytest.raises(av.error.FFmpegError):
        _demux_all(playlist)
    assert canaries.hits


def test_merchant_zero_byte_file_is_refused_when_the_upload_starts(app, tus):
    response = tus.create(0, filename="empty.mp4")

    assert response.status_code == 400
    assert "Upload-Length must be a whole number of bytes, at least 1." in response.text
    assert_left_nothing(app)


@pytest.mark.parametrize("case", sorted(HOSTILE_NAMES))
def test_merchant_hostile_file_name_is_stored_as_data_and_shown_escaped(
    app, tus, media_corpus, merchant_org, tmp_path, case
):
    name = HOSTILE_NAMES[case]
    before = outside_snapshot(tmp_path, app)

    response = add_recording(tus, upload(tus, media_corpus["good"].read_bytes(), name))

    assert response.status_code == 302, response.text
    with app.app_context():
        recording = db.session.scalar(select(Recording))
        stored, shown = recording.stored_name, recording.original_filename
    assert re.fullmatch(r"[0-9a-f]{32}\.mp4", stored)
    media_root = Path(app.config["MEDIA_ROOT"])
    assert media_files(app) == [media_root / "recordings" / str(merchant_org.id) / stored]
    assert outside_snapshot(tmp_path, app) == before
    assert len(shown) <= 255
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown)
    for page in (tus.client.get("/media/recordings/"), tus.client.get(response.location)):
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert "<img src=x" not in page.text
        assert str(escape(shown)) in page.text
    assert "Set-Cookie" not in str(page.headers.get("Set-Cookie", ""))


@pytest.mark.slow
def test_damaged_file_accepted_by_the_probe_ends_cleanly_and_the_worker_goes_on(
    app, tus, media_corpus, whisper_model_dir, tmp_path
):
    logs = tmp_path / "worker-logs"
    logs.mkdir()
    pool = Workers(worker_environment(app, whisper_model_dir, lease_s=30), logs)
    worker = pool.start("worker")
    try:
        flipped = add_recording(tus, upload(tus, media_corpus["flipped"].read_bytes(), "f.mp4"))
        assert flipped.status_code == 302  # headers intact: the probe accepts it

        def jobs_finished(expected: int) -> bool:
            assert worker.poll() is None, f"the worker died\n{pool.logs()}"
            with app.app_context():
                states = list(db.session.scalars(select(Job.state)))
            return len(states) == expected and all(
                s in (JobState.SUCCEEDED, JobState.FAILED) for s in states
            )

        pool.wait_for(lambda: jobs_finished(1), 120, "the damaged file's job to end")
        good = add_recording(tus, upload(tus, media_corpus["good"].read_bytes(), "good.mp4"))
        assert good.status_code == 302
        pool.wait_for(lambda: jobs_finished(2), 120, "the good file's job to end")

        with app.app_context():
            jobs = list(db.session.scalars(select(Job).order_by(Job.id)))
        assert jobs[1].state == JobState.SUCCEEDED, jobs[1].error
        if jobs[0].state == JobState.FAILED:
            assert jobs[0].error
        assert all(str(worker.pid) in job.worker_id for job in jobs)
        assert worker.poll() is None
        page = tus.client.get(flipped.location)
        assert page.status_code == 200
    finally:
        pool.stop_all()
