"""The transcription job: probe, extract audio, recognise speech, store sentences."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from flask import current_app

from media import ffmpeg
from media.glossary.services import glossary_terms
from media.probe import ProbeRejected, probe_media
from media.recordings import overview, services
from media.recordings.listed_items import listed_or_small_catalog
from media.recordings.models import Language, Recording
from media.recordings.signals import recording_transcribed
from media.recordings.stream_items import stream_links
from media.transcription import engine, model
from media.transcription.hints import HintCatalog, HintItem, HintPlanner
from media.transcripts.services import save_transcript
from portal.catalog.services import active_items
from portal.jobs.runner import JobContext, PermanentJobError
from portal.organisations.scoping import get_owned_or_404


def recogniser_model_path() -> str:
    """Resolve (and on first use prepare) the configured Whisper model."""
    models_dir = Path(current_app.instance_path) / "models"
    setting = current_app.config["WHISPER_MODEL"]
    if not setting:
        model.prepare_packaged_model(models_dir)
    return model.resolve_model(setting, models_dir)


def recognition_hints(recording: Recording, language: str | None) -> HintPlanner:
    """Plan the recogniser's hints: the stream's items, then the catalog and the glossary.

    Without a list, a small catalog is hinted as the stream's items (``listed_or_small_catalog``),
    as name correction and item finding treat it: a 10-item Mandarin catalog with its aliases
    does not fit the budget whole, so it was hinted only where the speech before sounded like it.
    """
    items = active_items(recording.org_id)
    links = stream_links(recording)
    if not links:
        small = listed_or_small_catalog(recording)
        links = [(None, item) for item in items if item.id in small]
    stream = [HintItem.build(item.id, item.spoken_names, link) for link, item in links]
    catalog = [HintItem.build(i.id, i.spoken_names) for i in items]
    hint_catalog = HintCatalog(stream, catalog, glossary_terms(language))
    return HintPlanner(hint_catalog, current_app.config["WHISPER_HINT_TOKENS"])


def transcription_time_limit_s(recording: Recording) -> float:
    """Return how long transcribing ``recording`` may take: a base plus a share of its length."""
    config = current_app.config
    duration_s = recording.duration_s or config["MAX_DURATION_S"]  # unknown: the longest
    return config["TRANSCRIBE_TIME_BASE_S"] + config["TRANSCRIBE_TIME_PER_S"] * duration_s


def transcribe_recording(ctx: JobContext) -> None:
    """Turn a recording into a stored transcript (safe to run again)."""
    recording = get_owned_or_404(Recording, ctx.job.subject_id, ctx.job.org_id)
    ctx.limit_time(transcription_time_limit_s(recording))
    source = services.source_path(recording)
    ctx.step("probing")
    try:
        probe_media(source, services.probe_limits())
    except ProbeRejected as exc:
        raise PermanentJobError(exc.key, detail=str(exc), **exc.key_args) from exc
    language = None if recording.language == Language.AUTO else str(recording.language)
    hints = recognition_hints(recording, language)
    model_path = recogniser_model_path()
    ffmpeg_bin = ffmpeg.find_ffmpeg(current_app.config["FFMPEG_BINARY"] or None)
    with ctx.workdir() as workdir:
        ctx.step("extracting_audio")
        audio = ffmpeg.extract_audio(
            source,
            workdir / "audio.wav",
            ffmpeg_bin=ffmpeg_bin,
            duration_s=recording.duration_s,
            on_progress=ctx.progress,
            timeout_s=ctx.time_left(),
        )
        ctx.step("transcribing")
        recogniser = engine.WhisperRecogniser(
            model_path,
            cpu_threads=current_app.config["WHISPER_THREADS"],
            beam_size=current_app.config["WHISPER_BEAM_SIZE"],
        )
        result = recogniser.transcribe(
            audio,
            language=language,
            hotwords=None,
            initial_prompt=None,
            on_progress=ctx.progress,
            hints=hints,
        )
        # The overview (ffmpeg, one core) is drawn while the transcript is saved, whose second
        # recognition of dropped stretches uses one core too: one after the other, a core idled.
        with ThreadPoolExecutor(1, thread_name_prefix="overview") as pool:
            drawn = pool.submit(
                overview.try_store_overview,
                source,
                audio,
                recording.duration_s,
                ffmpeg_bin=ffmpeg_bin,
                scratch=workdir,
                time_left=ctx.time_left,
            )
            ctx.step("saving")  # a stretch whose hinted text is dropped is heard again
            hotwords, prompt = hints.summary()
            again = partial(recogniser.recognise_again, audio, language=result.language or None)
            save_transcript(
                recording,
                result,
                model_name=Path(model_path).name,
                hotwords=hotwords,
                prompt=prompt,
                recognise_again=again,
                listed=listed_or_small_catalog(recording),
            )
            drawn.result()  # the job's time limit passing while drawing it
    ctx.step("finding_items")
    recording_transcribed.send(recording=recording)
