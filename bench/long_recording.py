"""Benchmark the merchant pages of a four-hour recording (issue 16): p95, HTML size, SQL queries.

Builds a fresh, migrated database (a SQLite file; with ``--database-url``, a new database on that
PostgreSQL server, dropped afterwards) holding one long stream, made as the app makes it: a
catalog of eight jade items talked about in turn, a transcript stored by ``save_transcript``
(one sentence about every 4 s: 4 h ≈ 3,600 sentences, a timed word per two characters), the
mentions and suggestions the workshop's refresh finds, clips made from the first suggestions, and
a render requested for one of them (queued, never run: the editor keeps polling its status).

Then, signed in as the merchant through the Flask test client, it requests every page of
``PAGES`` ``--requests`` times and prints p50, p95, the HTML size and the SQL statements of one
request. A page whose endpoint does not exist (yet) is listed as skipped, so adding a row to
``PAGES`` is all a new page needs. "CPU" is this process's CPU time per request (the app and,
on SQLite, the database): the figure other processes on a busy host do not inflate. Targets on
the 2-core machine: pages p95 < 300 ms and < 200 KB, the render-status poll < 20 ms with as many
queries at 4 h as at 10 min.

    .venv/bin/python -m bench.long_recording [--hours 4] [--requests 20] [--seed 16]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from flask_login import FlaskLoginClient
from flask_migrate import upgrade
from sqlalchemy import event

from bench.load_client import percentile
from bench.render_bench import system_busy_s
from bench.search_bench import FILLER, QUALITIES, postgres_database
from media.clips import discovery, rendering, services
from media.clips.models import RenderProfile
from media.recordings.models import Recording
from media.transcripts.services import save_transcript
from portal import create_app
from portal.auth.models import Role, User
from portal.catalog.models import Item
from portal.extensions import db
from portal.organisations.models import Organisation, OrgStatus
from tests.media.transcripts.spoken import spoken

ITEMS = (
    ("冰种翡翠手镯", "冰种手镯"), ("和田玉吊坠", "和田吊坠"), ("羊脂白玉平安扣", "白玉平安扣"),
    ("墨翠观音", "墨翠挂件"), ("黄翡手串", "黄翡串子"), ("碧玉戒面", "碧玉戒指"),
    ("糯种翡翠耳坠", "糯种耳坠"), ("青玉项链", "青玉链子"),
)  # fmt: skip
CLIPS = 3
HALF_HOUR_S = 1800
HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Stream:
    """The long stream's ids and sizes."""

    recording_id: int
    clip_id: int  # a clip with a render queued: its editor polls
    sentences: int
    words: int
    mentions: int
    suggestions: int
    duration_s: float


@dataclass(frozen=True)
class Page:
    """One measured request: a label, its endpoint, its URL arguments, whether htmx asks."""

    label: str
    endpoint: str
    arguments: Callable[[Stream], dict[str, Any]]
    htmx: bool = False


PAGES = (
    Page("recording page", "recordings.detail", lambda s: {"recording_id": s.recording_id}),
    Page("clip workshop", "clips.workshop", lambda s: {"recording_id": s.recording_id}),
    Page("clip editor", "clips.editor", lambda s: {"clip_id": s.clip_id}),
    Page("editor render-status poll", "clips.render_status",
         lambda s: {"clip_id": s.clip_id, "polling": 1}, htmx=True),
    Page("editor 'more' (±8 min)", "clips.sentences",
         lambda s: {"clip_id": s.clip_id, "around": 480}, htmx=True),
    Page("transcript piece (2 h in)", "recordings.transcript_piece",
         lambda s: {"recording_id": s.recording_id, "from": HALF_HOUR_S * 4}, htmx=True),
    Page("jump to 2:00:00", "recordings.transcript_jump",
         lambda s: {"recording_id": s.recording_id, "at": "2:00:00"}, htmx=True),
    Page("find in transcript", "recordings.transcript_find",
         lambda s: {"recording_id": s.recording_id, "q": "平安扣"}, htmx=True),
)  # fmt: skip


def _sentence_words(item: str, rng: random.Random) -> list[str]:
    """One sentence of the stream, as timed words of two characters (about 3 s of speech)."""
    roll = rng.random()
    if roll < 0.3:
        text = f"{rng.choice(FILLER)}这只{item}{rng.choice(QUALITIES)}"
    elif roll < 0.6:
        text = f"{rng.choice(FILLER)}{rng.choice(QUALITIES)}"
    else:
        text = f"{rng.choice(FILLER)}{rng.choice(FILLER)}"
    return [text[n : n + 2] for n in range(0, len(text), 2)]


def _transcript_words(hours: float, rng: random.Random) -> list[list[str]]:
    """Sentences for ``hours`` of speech; the items are talked about in turn."""
    sentences, spoken_s, block_s = [], 0.0, hours * 3600 / len(ITEMS)
    while spoken_s < hours * 3600:
        words = _sentence_words(ITEMS[int(spoken_s // block_s) % len(ITEMS)][0], rng)
        sentences.append(words)
        spoken_s += len(words) * 0.5 + 1.0  # as ``spoken`` times them
    return sentences


def build_stream(hours: float, seed: int) -> tuple[Stream, User]:
    """Write the organisation, its merchant, catalog and the long stream; return them."""
    org = Organisation(slug="long-stream", name="店铺 长直播", status=OrgStatus.APPROVED)
    db.session.add(org)
    db.session.flush()
    merchant = User(email="merchant@example.com", name="主播", role=Role.MERCHANT,
                    org_id=org.id, password_hash="-")  # fmt: skip
    db.session.add(merchant)
    db.session.add_all(Item(org_id=org.id, sku=f"LS-{n}", name=name, aliases=[alias])
                       for n, (name, alias) in enumerate(ITEMS))  # fmt: skip
    result = spoken(_transcript_words(hours, random.Random(seed)))
    recording = Recording(org_id=org.id, title="四小时直播", stored_name="long.mp4",
                          duration_s=result.duration_s, created_by_id=merchant.id)  # fmt: skip
    db.session.add(recording)
    db.session.commit()
    transcript = save_transcript(recording, result, model_name="bench", hotwords="", prompt="")
    mentions, suggestions = discovery.refresh_mentions(recording)
    clips = [
        services.create_clip_from_suggestion(suggestion, recording, merchant)
        for suggestion in discovery.list_suggestions(recording)[:CLIPS]
    ]
    rendering.request_render(clips[0], merchant, profile=RenderProfile.VERTICAL, fill="blur",
                             burn_subtitles=True, poster_at_s=1.0)  # fmt: skip
    stream = Stream(
        recording_id=recording.id, clip_id=clips[0].id, sentences=len(transcript.sentences),
        words=sum(len(segment.words) for segment in result.segments), mentions=mentions,
        suggestions=suggestions, duration_s=recording.duration_s,
    )  # fmt: skip
    return stream, merchant


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Collect the SQL statements sent meanwhile (needs an app context)."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def measure(app: Flask, stream: Stream, merchant: User, requests: int) -> list[dict[str, Any]]:
    """Request every page ``requests`` times; return its figures (or why it was skipped)."""
    app.test_client_class = FlaskLoginClient
    browser = app.test_client(user=merchant)
    figures = []
    for page in PAGES:
        if page.endpoint not in app.view_functions:
            figures.append({"page": page, "skipped": "no such route yet"})
            continue
        with app.test_request_context():
            url = url_for(page.endpoint, **page.arguments(stream))
        headers = HTMX if page.htmx else {}
        first = browser.get(url, headers=headers)  # warm caches and templates
        if first.status_code != 200:
            figures.append({"page": page, "skipped": f"HTTP {first.status_code} for {url}"})
            continue
        with app.app_context(), counted_queries() as statements:
            browser.get(url, headers=headers)
        times, cpu = [], []
        for _request in range(requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            browser.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        figures.append({"page": page, "url": url, "bytes": len(first.data),
                        "queries": len(statements), "times": times, "cpu": cpu})  # fmt: skip
    return figures


def bench(url: str, args: argparse.Namespace, workdir: Path) -> tuple[Stream, list[dict]]:
    """Build the stream in the database at ``url`` and measure its pages."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(workdir / "instance"),
         "SECRET_KEY": "bench", "TESTING": True, "BABEL_DEFAULT_LOCALE": "zh_CN",
         "BASE_URL": "http://localhost", "QUEUE_NAME": f"bench-long-{os.getpid()}"}
    )  # fmt: skip
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        stream, merchant = build_stream(args.hours, args.seed)
        print(f"built in {time.perf_counter() - started:.0f} s")
        db.session.refresh(merchant)
        db.session.expunge_all()
    figures = measure(app, stream, merchant, args.requests)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return stream, figures


def report(name: str, stream: Stream, figures: list[dict], busy_cores: float) -> None:
    """Print one database's table."""
    print(f"\n== {name}: {stream.duration_s / 3600:.1f} h, {stream.sentences:,} sentences, "
          f"{stream.words:,} words, {stream.mentions:,} mentions, {stream.suggestions} "
          f"suggestions; other processes kept {busy_cores:.1f} of 2 cores busy")  # fmt: skip
    print(f"{'page':30} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p50':>8} {'HTML KB':>8} "
          f"{'SQL':>5}")  # fmt: skip
    for row in figures:
        label = row["page"].label
        if "skipped" in row:
            print(f"{label:30} skipped: {row['skipped']}")
            continue
        times = row["times"]
        print(f"{label:30} {percentile(times, 0.5):8.1f} {percentile(times, 0.95):8.1f} "
              f"{max(times):8.1f} {percentile(row['cpu'], 0.5):8.1f} {row['bytes'] / 1024:8.1f} "
              f"{row['queries']:5d}")  # fmt: skip


def run(name: str, url: str, args: argparse.Namespace, workdir: Path) -> None:
    """Bench one database and report it with how busy the rest of the machine was."""
    busy, own, wall = system_busy_s(), time.process_time(), time.perf_counter()
    stream, figures = bench(url, args, workdir)
    others = (system_busy_s() - busy) - (time.process_time() - own)
    report(name, stream, figures, max(0.0, others) / (time.perf_counter() - wall))


def main() -> None:
    """Parse the options, bench SQLite (or the PostgreSQL server given) and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=4.0)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    with tempfile.TemporaryDirectory(prefix="long-recording-bench-") as folder:
        workdir = Path(folder)
        if args.database_url:
            url, drop = postgres_database(args.database_url)
            try:
                run("PostgreSQL", url, args, workdir)
            finally:
                drop()
        else:
            run("SQLite", f"sqlite:///{workdir / 'bench.db'}", args, workdir)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
