"""The recording pipeline end to end: ingest, probe, extract, transcribe with catalog hints, store.

Real ffmpeg, the real packaged Whisper base model, the real database; jobs run in this process
with ``run_queued_jobs`` (the worker's own code path).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update

from media.recordings.models import Recording
from media.transcripts.models import Sentence, Transcript, Word
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.kinds import job_kinds
from portal.jobs.models import Job, JobState
from portal.jobs.presenters import job_view
from portal.jobs.queue import deliver
from portal.jobs.runner import JobContext, execute_job
from portal.simplified import to_simplified
from tests.media.recordings.helpers import (
    assert_in_order,
    count,
    ingest,
    job_temp_leftovers,
    load_job,
    load_recording,
    recording_files,
    run_jobs,
    sentences_of,
    spoken_words,
    transcript_of,
)
from tests.support.mediagen import (
    make_hls_playlist,
    make_png_image,
    make_test_video,
    make_video_with_audio,
)

MANDARIN = Path(__file__).resolve().parents[2] / "fixtures" / "mandarin"
# Whisper base hears espeak-ng's "This bangle" as "This angle" unless the catalog hints it.
EXPECTED_WORDS = ["welcome", "jade", "live", "stream", "real", "price", "good", "today"]


@contextmanager
def job_progress_written() -> Iterator[list[tuple[str, int]]]:
    """Collect the step and progress of each update of a job row written while the block runs."""
    written: list[tuple[str, int]] = []

    def note(_mapper: Any, _connection: Any, job: Job) -> None:
        written.append((job.step, job.progress))

    event.listen(Job, "after_update", note)
    try:
        yield written
    finally:
        event.remove(Job, "after_update", note)


def test_merchant_recording_is_transcribed_with_catalog_hints(
    app, merchant_org, make_org, make_item, catalog, speech_video, monkeypatch
):
    make_item(merchant_org, name="archived agate ring", archived_at=utcnow())
    make_item(make_org(), name="other shop necklace")

    recording_id = ingest(app, merchant_org, speech_video)

    recording = load_recording(app, recording_id)
    assert recording.container.startswith("mov,mp4")
    assert (recording.width, recording.height) == (320, 240)
    assert 5.0 < recording.duration_s < 9.0
    assert recording.audio_codec == "aac"
    assert recording.size_bytes == speech_video.stat().st_size
    stored = recording_files(app)
    assert [p.name for p in stored] == [recording.stored_name]
    assert stored[0].parent.name == str(merchant_org.id)
    assert stored[0].read_bytes() == speech_video.read_bytes()
    queued = load_job(app, recording_id)
    assert (queued.state, queued.attempts, queued.kind) == ("queued", 0, "recording.transcribe")

    monkeypatch.setattr(JobContext, "progress_interval_s", 0.0)  # write every new percentage
    with job_progress_written() as written:
        assert run_jobs(app) == [queued.id]
    # The recording is one Whisper batch, yet its progress moved (never back) while it ran.
    transcribing = [percent for step, percent in written if step == "transcribing"]
    assert [percent for percent in transcribing if 0 < percent < 100], written
    assert transcribing == sorted(transcribing)

    job = load_job(app, recording_id)
    assert job.state == JobState.SUCCEEDED, job.error
    last_step, _label = job_kinds(app)["recording.transcribe"].steps[-1]
    assert (job.step, job.progress, job.attempts, job.error) == (last_step, 100, 1, "")
    assert job.finished_at is not None
    assert job.lease_expires_at is None
    with app.test_request_context():
        assert {s.status for s in job_view(job).steps} == {"done"}

    transcript = transcript_of(app, recording_id)
    assert transcript.language == "en"
    assert transcript.model_name == "whisper-base"
    assert transcript.duration_s == pytest.approx(recording.duration_s, abs=0.2)
    names = ["jadeite bangle", "jade bangle", "green bangle", "Hetian jade pendant"]
    hinted = set(re.findall(r"\w+", transcript.hotwords))
    for name in [*names, "white jade pendant"]:
        assert set(name.split()) <= hinted  # an alias of words already hinted is left out
    assert "archived agate ring" not in transcript.hotwords
    assert "other shop necklace" not in transcript.hotwords
    # The small catalog fits the hints' token budget whole: names (SKU order), then aliases.
    (span,) = json.loads(transcript.prompt)["spans"]
    assert span["names"][:2] == ["jadeite bangle", "Hetian jade pendant"]
    assert span["prompt"] == f"This is a jade live stream. Products: {', '.join(span['names'])}."

    sentences = sentences_of(app, recording_id)
    assert [s.position for s in sentences] == list(range(len(sentences)))
    assert len(sentences) >= 2
    heard = spoken_words(" ".join(s.text for s in sentences))
    assert_in_order(heard, EXPECTED_WORDS)
    assert "bangle" in heard  # the hotwords and the prompt at work
    for earlier, later in itertools.pairwise(sentences):
        assert earlier.end_ms <= later.start_ms
    for sentence in sentences:
        assert 0 <= sentence.start_ms < sentence.end_ms <= recording.duration_s * 1000 + 100
        assert sentence.edited_text is None

    with app.app_context():
        words = db.session.scalars(
            select(Word).where(Word.transcript_id == transcript.id).order_by(Word.id)
        ).all()
        starts = [w.start_ms for w in words]
        assert starts == sorted(starts)
        assert {w.sentence_position for w in words} == {s.position for s in sentences}
        assert all(w.text and 0.0 <= w.probability <= 1.0 for w in words)
    assert job_temp_leftovers(app) == []


def test_delivering_a_job_again_keeps_one_transcript(app, merchant_org, speech_video):
    recording_id = ingest(app, merchant_org, speech_video)
    run_jobs(app)
    job = load_job(app, recording_id)
    first = [(s.text, s.start_ms) for s in sentences_of(app, recording_id)]
    words = count(app, Word)

    with app.app_context():
        deliver(job.id)
        deliver(job.id)
        # A second delivery of a finished job is not claimed and changes nothing.
        assert execute_job(job.id, "late-worker") is None
    assert load_job(app, recording_id).attempts == 1

    # The worker died after saving, before recording success: the lease expires, it runs again.
    with app.app_context():
        db.session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(state=JobState.RUNNING, lease_expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        assert execute_job(job.id, "second-worker") == JobState.SUCCEEDED

    again = load_job(app, recording_id)
    assert (again.state, again.attempts, again.worker_id) == ("succeeded", 2, "second-worker")
    assert count(app, Transcript, Transcript.recording_id == recording_id) == 1
    assert count(app, Transcript) == 1
    assert [(s.text, s.start_ms) for s in sentences_of(app, recording_id)] == first
    assert count(app, Sentence) == len(first)
    assert count(app, Word) == words
    assert job_temp_leftovers(app) == []


def test_operator_ingests_with_wait_and_prints_each_format(app, runner, merchant_org, speech_video):
    result = runner.invoke(
        args=["media", "ingest", str(speech_video), "--org", merchant_org.slug,
              "--language", "en", "--wait", "--title", "Evening stream"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    match = re.search(r"^recording (\d+): succeeded$", result.output, re.MULTILINE)
    assert match, result.output
    recording_id = int(match.group(1))
    progress = re.findall(r"^  (\w+) (\d+)%$", result.output, re.MULTILINE)
    assert progress, result.output
    # The first line is the state read first: still queued, or a busy worker already probing.
    assert progress[0] in {("queued", "0"), ("probing", "0")}, result.output
    assert progress[-1] == ("finding_items", "100"), result.output
    assert {step for step, _ in progress} <= {
        "queued", "probing", "extracting_audio", "transcribing", "saving", "finding_items",
    }  # fmt: skip
    recording = load_recording(app, recording_id)
    assert (recording.title, recording.org_id) == ("Evening stream", merchant_org.id)
    assert recording.original_filename == speech_video.name
    sentences = sentences_of(app, recording_id)
    assert sentences

    def transcript(fmt: str) -> str:
        printed = runner.invoke(args=["media", "transcript", str(recording_id), "--format", fmt])
        assert printed.exit_code == 0, printed.output
        return printed.output

    srt = transcript("srt")
    assert srt.startswith("1\n00:00:0")
    assert srt.count(" --> ") == len(sentences)
    assert re.search(r"^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$", srt, re.MULTILINE)
    vtt = transcript("vtt")
    assert vtt.startswith("WEBVTT\n\n1\n00:00:0")  # cues are numbered
    assert re.search(r"^\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}$", vtt, re.MULTILINE)
    assert transcript("txt").splitlines() == [s.text for s in sentences]
    document = json.loads(transcript("json"))
    assert document["recording"] == recording_id
    assert document["title"] == "Evening stream"
    assert document["language"] == "en"
    assert [s["text"] for s in document["sentences"]] == [s.text for s in sentences]
    assert document["sentences"][0]["start"] == sentences[0].start_ms / 1000
    assert_in_order(spoken_words(srt), EXPECTED_WORDS)


def test_operator_ingest_without_wait_queues_and_transcript_is_not_ready(
    app, runner, merchant_org, speech_video
):
    result = runner.invoke(args=["media", "ingest", str(speech_video), "--org", merchant_org.slug])
    assert result.exit_code == 0, result.output
    recording_id = int(re.search(r"recording (\d+): queued", result.output).group(1))
    assert load_recording(app, recording_id).language == "zh"  # the default language

    printed = runner.invoke(args=["media", "transcript", str(recording_id)])
    assert printed.exit_code != 0
    assert f"recording {recording_id} has no transcript yet" in printed.output
    missing = runner.invoke(args=["media", "transcript", "999999"])
    assert missing.exit_code != 0
    assert "no recording 999999" in missing.output
    no_org = runner.invoke(args=["media", "ingest", str(speech_video), "--org", "nobody"])
    assert no_org.exit_code != 0
    assert "no organisation with slug 'nobody'" in no_org.output
    assert count(app, Recording) == 1


@pytest.mark.parametrize("extra_config", [{"WHISPER_MODEL": "huge-v9", "JOB_MAX_ATTEMPTS": 2}])
def test_operator_ingest_with_wait_reports_a_failure_after_all_attempts(
    app, runner, merchant_org, speech_video
):
    result = runner.invoke(
        args=["media", "ingest", str(speech_video), "--org", merchant_org.slug, "--wait"]
    )
    assert result.exit_code == 1, result.output
    recording_id = int(re.search(r"recording (\d+): failed", result.output).group(1))
    assert "Error: ModelSetupError: unknown speech model 'huge-v9'" in result.output
    job = load_job(app, recording_id)
    assert (job.state, job.attempts) == (JobState.FAILED, 2)
    assert count(app, Transcript) == 0
    assert job_temp_leftovers(app) == []  # each attempt had extracted audio, then cleaned up


def _text_as_mp4(folder: Path) -> Path:
    path = folder / "stream.mp4"
    path.write_text("These are my notes about the stream, not a video.\n" * 40)
    return path


def _empty(folder: Path) -> Path:
    path = folder / "empty.mp4"
    path.write_bytes(b"")
    return path


REJECTED: list[tuple[str, Callable[[Path], Path], dict[str, Any], str]] = [
    ("text", _text_as_mp4, {}, "The file is text, not a video."),
    ("png", lambda f: make_png_image(f / "cover.mp4"), {}, "The file is an image, not a video."),
    ("empty", _empty, {}, "The file is empty."),
    ("hls", make_hls_playlist, {}, "streaming playlist (HLS)"),
    (
        "no-audio",
        lambda f: make_test_video(f / "silent.mp4", with_audio=False),
        {},
        "This file has no sound, so there is nothing to transcribe.",
    ),
    (
        "too-long",
        lambda f: make_test_video(f / "long.mp4", seconds=3.0),
        {"MAX_DURATION_S": 2},
        "The video lasts 0:00:03; at most 0:00:02 is accepted.",
    ),
    (
        "frame-too-large",
        lambda f: make_test_video(f / "big.mp4", size="320x240"),
        {"MAX_FRAME_SIZE": (200, 150)},
        "The picture is 320×240; at most 200×150",
    ),
]


@pytest.mark.parametrize(
    ("make_file", "extra_config", "reason"),
    [pytest.param(make, config, reason, id=name) for name, make, config, reason in REJECTED],
)
def test_operator_ingest_of_refused_file_stores_nothing(
    app, runner, merchant_org, tmp_path, make_file, reason
):
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = make_file(folder)

    result = runner.invoke(args=["media", "ingest", str(path), "--org", merchant_org.slug])

    assert result.exit_code == 1, result.output
    assert "Error: rejected: " in result.output
    assert reason in result.output
    assert "Traceback" not in result.output
    assert count(app, Recording) == 0
    assert count(app, Job) == 0
    assert recording_files(app) == []
    assert path.exists()  # the operator's own file is left alone


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def _hanzi(text: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff]", text))


@pytest.fixture(scope="module")
def mandarin_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mandarin")
    return make_video_with_audio(MANDARIN / "all.ogg", folder / "直播.mp4")


def test_mandarin_stream_is_transcribed_in_simplified_chinese(
    app, merchant_org, make_item, mandarin_video, capsys
):
    for sku, (name, aliases) in enumerate([
        ("翡翠手镯", ["冰种手镯"]), ("和田玉吊坠", []), ("独山玉摆件", []), ("珍珠项链", []),
        ("翡翠平安扣", ["平安扣"]), ("岫玉貔貅手串", ["貔貅手串"]), ("玛瑙戒指", []),
    ]):  # fmt: skip
        make_item(merchant_org, f"Z{sku}", name=name, aliases=aliases)
    reference = json.loads((MANDARIN / "sentences.json").read_text(encoding="utf-8"))

    recording_id = ingest(app, merchant_org, mandarin_video, language="zh")
    run_jobs(app)

    job = load_job(app, recording_id)
    assert job.state == JobState.SUCCEEDED, job.error
    transcript = transcript_of(app, recording_id)
    assert transcript.language == "zh"
    assert "翡翠手镯" in transcript.hotwords
    assert "和田玉吊坠" in transcript.hotwords
    for span in json.loads(transcript.prompt)["spans"]:
        assert span["names"][:3] == ["翡翠手镯", "和田玉吊坠", "独山玉摆件"]
        assert span["prompt"] == "以下是玉石直播间的讲解。"
        assert span["hotwords"] == ", ".join(span["names"])
    sentences = sentences_of(app, recording_id)
    text = "".join(s.text for s in sentences)
    with capsys.disabled():
        print(f"\nMandarin transcript: {text}")
    assert text == to_simplified(text)
    for word in ("翡翠", "手镯", "和田玉", "珍珠", "直播间"):
        assert word in text

    expected = _hanzi("".join(r["text"] for r in reference))
    cer = _edit_distance(_hanzi(text), expected) / len(expected)
    with capsys.disabled():
        print(f"Mandarin CER against the reference: {cer:.3f}")
    assert cer < 0.45

    starts = [s.start_ms for s in sentences]
    assert starts == sorted(starts)
    assert sentences[-1].end_ms / 1000 == pytest.approx(reference[-1]["end"], abs=2.0)
    first_jade = next(s for s in sentences if "翡翠" in s.text)
    assert first_jade.start_ms / 1000 < reference[1]["start"]


def test_cancelled_transcription_leaves_no_transcript_and_no_temp_files(
    app, client_as, merchant, merchant_org, long_speech_video
):
    recording_id = ingest(app, merchant_org, long_speech_video)
    job_id = load_job(app, recording_id).id
    outcome: list[Any] = []

    def work() -> None:
        with app.app_context():
            outcome.append(execute_job(job_id, "test-worker"))

    worker = threading.Thread(target=work)
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while load_job(app, recording_id).step != "transcribing":
            assert time.monotonic() < deadline, "the job never started transcribing"
            assert worker.is_alive(), load_job(app, recording_id).error
            time.sleep(0.05)
        response = client_as(merchant).post(f"/media/recordings/{recording_id}/cancel")
        assert response.status_code == 302
    finally:
        worker.join(timeout=120)
    assert outcome == [JobState.CANCELLED]
    job = load_job(app, recording_id)
    assert (job.state, job.cancel_requested, job.error) == ("cancelled", True, "")
    assert job.finished_at is not None
    assert count(app, Transcript) == 0
    assert count(app, Sentence) == 0
    assert job_temp_leftovers(app) == []
    assert load_recording(app, recording_id) is not None  # the recording itself stays
