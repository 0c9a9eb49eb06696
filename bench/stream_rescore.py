"""Re-score kept stream-bench transcripts with the current item finding (issue 15).

``bench.stream_bench --keep DIR`` leaves, per voice, the spoken paragraphs (``speech/``) and
each pipeline run's throw-away instance (``small-app``, ``big-app-list`` …). Recognition is the
slow part of the bench; this reads the stored transcripts again, runs mention finding and
suggestions as the app does (``media.clips.discovery.refresh_mentions``, on the kept database)
and scores them with ``bench.stream_metrics``, so a change to item finding can be measured in
seconds on the same recognition. With ``--recorrect`` the names are corrected again first: every
correction stored is put back to the words heard (the kept database is changed), then
``media.transcripts.corrections.correct_again`` corrects them with the current rules and the
list the run had, so a change to name correction is measured too. Run from the repo root::

    .venv/bin/python -m bench.stream_rescore --seed 8111 --voice "zh@0.97^1.04" \
        DIR/0-zh [--recorrect] [-v]
"""

from __future__ import annotations

import argparse
import wave
from pathlib import Path

from bench.mentions_bench import PAUSE_S
from bench.stream_bench import Run, _details
from bench.stream_metrics import Found, Timed, score
from bench.stream_script import make_stream
from bench.stream_speech import Voice

RUNS = ("small-app", "small-app-list", "big-app", "big-app-list")


def paragraph_bounds(speech: Path, count: int) -> list[tuple[float, float]]:
    """Each paragraph's seconds in the joined speech, as ``bench.mentions_bench.join_speech``
    placed them (parts ``PAUSE_S`` apart)."""
    bounds: list[tuple[float, float]] = []
    frames = 0
    for number in range(count):
        with wave.open(str(speech / f"p{number:03d}.wav"), "rb") as part:
            rate, size = part.getframerate(), part.getnframes()
        bounds.append((frames / rate, (frames + size) / rate))
        frames += size + int(PAUSE_S * rate)
    return bounds


def put_back_heard(recording: object) -> None:
    """Undo, without a trace, every name correction of the recording's transcript: each
    sentence and word as recognised, no ``NameCorrection`` rows (the kept database only)."""
    from sqlalchemy import delete, select

    from media.transcripts.corrections import _restore_word
    from media.transcripts.models import NameCorrection, Sentence, Transcript
    from portal.extensions import db

    transcript = db.session.scalars(
        select(Transcript).where(Transcript.recording_id == recording.id)
    ).one()
    sentences = select(Sentence).where(Sentence.transcript_id == transcript.id)
    for sentence in db.session.scalars(sentences):
        made = sorted(sentence.corrections, key=lambda c: c.start_char, reverse=True)
        for correction in made:
            if correction.undone_at is None:
                start, end = correction.start_char, correction.end_char
                sentence.text = sentence.text[:start] + correction.heard + sentence.text[end:]
                _restore_word(sentence, correction)
        ids = [correction.id for correction in made]
        db.session.execute(delete(NameCorrection).where(NameCorrection.id.in_(ids)))
        sentence.heard_text = None
    db.session.commit()


def rescore(instance: Path, *, recorrect: bool = False) -> Run:
    """Find the items of the instance's recording again (its names corrected again first with
    ``recorrect``); return its sentences and suggestions."""
    from sqlalchemy import select

    from media.clips import discovery
    from media.recordings.listed_items import listed_or_small_catalog
    from media.recordings.models import Recording
    from media.transcripts.corrections import correct_again
    from portal import create_app
    from portal.extensions import db

    app = create_app({"INSTANCE_PATH": str(instance)})
    with app.app_context():
        recording = db.session.scalars(select(Recording)).one()
        if recorrect:
            put_back_heard(recording)
            correct_again(recording, listed_or_small_catalog(recording))
        discovery.refresh_mentions(recording)
        found = [
            Found(tuple(link.item.sku for link in s.links), s.start_ms / 1000, s.end_ms / 1000)
            for s in discovery.list_suggestions(recording)
        ]
        return Run(discovery.timed_sentences(recording), found, 0.0, 0.0)


def main() -> None:
    """Re-score every kept run of one voice's stream; print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="one voice's folder under --keep")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--voice", required=True)
    parser.add_argument("--runs", nargs="+", default=RUNS, help="which kept instances")
    parser.add_argument(
        "--recorrect", action="store_true", help="correct the names again (changes the database)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="truth, suggestions, text")
    args = parser.parse_args()
    stream = make_stream(args.seed, Voice.parse(args.voice).language)
    bounds = paragraph_bounds(args.folder / "speech", len(stream.paragraphs))
    spoken = zip(stream.paragraphs, bounds, strict=True)
    truth = [Timed(paragraph, start, end) for paragraph, (start, end) in spoken]
    items = [item.sku for item in stream.items]
    for name in args.runs:
        if not (args.folder / name).exists():
            continue
        run = rescore(args.folder / name, recorrect=args.recorrect)
        m = score(items, run.sentences, run.found, truth, stream.language)
        print(f"{name:15} recall {m.recall:.2f} precision {m.precision:.2f} "
              f"comparison {'yes' if m.comparison else 'no'} names {m.names:.2f} "
              f"suggestions {m.suggestions}", flush=True)  # fmt: skip
        if args.verbose:
            _details(name, "", run, truth)


if __name__ == "__main__":
    main()
