"""Load benchmark: concurrent users against a real portal on 127.0.0.1, bounded in time.

Builds a fresh instance in a temporary folder (SQLite and the embedded queue, or whatever the
``BELTCAST_*`` environment names), loads the demo base (whose course videos and one spoken
recording give the worker transcriptions to do), adds ``--users`` accounts (streamers and
merchants), then starts gunicorn (``--workers 2 --threads 4``, as in docs/operations.md) and one
``flask worker``. For ``--duration`` seconds every user browses, searches and (streamers) posts
lesson progress with a think time between requests, while three tus uploads run (one of
``--upload-gb``, two of a tenth of it); the web workers' memory is sampled during the big one.

It prints, and writes to ``--out`` as JSON: per request kind the count and p50/p95/p99/max
latency, the 5xx and other failures, upload throughput, the largest RSS growth of a web worker
during the big upload, the jobs' states, and how busy the host was with other work (only runs on
a quiet host are comparable). Target on the 2-core reference machine: no 5xx, page p95
< 300 ms, RSS growth < 50 MB.

    .venv/bin/python -m bench.load [--duration 180] [--users 50] [--upload-gb 2]
                                   [--think 1.0-3.0] [--out FILE] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from bench.load_client import (
    PASSWORD,
    Browser,
    Results,
    report,
    sign_in,
    summarise,
    upload,
    user_loop,
)
from bench.render_bench import system_busy_s
from portal import PROJECT_ROOT

SPEECH = (
    "Good evening and welcome to the jade live stream. Tonight we look at an ice jadeite "
    "bangle with a certificate, a white Hetian jade pendant and a freshwater pearl necklace. "
)


def environment(workdir: Path, port: int, args: argparse.Namespace) -> dict[str, str]:
    """The settings of the benchmarked instance (nothing of the caller's ``BELTCAST_*``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BELTCAST_")}
    if "BELTCAST_WHISPER_MODEL" in os.environ:
        env["BELTCAST_WHISPER_MODEL"] = os.environ["BELTCAST_WHISPER_MODEL"]
    if args.database_url:
        env["BELTCAST_DATABASE_URL"] = args.database_url
    if args.redis_url:
        env["BELTCAST_REDIS_URL"] = args.redis_url
    env.update(
        FLASK_APP="wsgi",
        BELTCAST_INSTANCE_PATH=str(workdir / "instance"),
        BELTCAST_SECRET_KEY=uuid.uuid4().hex,
        BELTCAST_QUEUE_NAME=f"load-{uuid.uuid4().hex[:8]}",
        BELTCAST_LOGIN_RATE_LIMIT="100000 per minute",  # every user signs in from 127.0.0.1
        BELTCAST_BASE_URL=f"http://127.0.0.1:{port}",
    )
    models = PROJECT_ROOT / "instance" / "models" / "whisper-base"
    if "BELTCAST_WHISPER_MODEL" not in env and models.is_dir():
        env["BELTCAST_WHISPER_MODEL"] = str(models)
    return env


def flask(env: dict[str, str], *args: str) -> str:
    """Run a ``flask`` command of the instance; stop the bench if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", *args], cwd=PROJECT_ROOT, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def seed(env: dict[str, str], users: int, workdir: Path) -> tuple[list[tuple[str, str]], Path]:
    """Migrate, load the demo base, add users, make a spoken recording; return accounts, video.

    One user in five is a merchant; the last three accounts are the uploaders (merchants).
    """
    flask(env, "db", "upgrade")
    if "BELTCAST_WHISPER_MODEL" not in env:
        flask(env, "media", "prepare-model")  # once, before the worker needs it
    flask(env, "beltcast", "demo-data")
    accounts = []
    for number in range(users + 3):
        merchant = number % 5 == 4 or number >= users
        role, org = ("merchant", "cuiyufang") if merchant else ("streamer", "")
        email = f"load-{number}@example.com"
        args = ["beltcast", "create-user", email, "--role", role, "--password-stdin"]
        accounts.append((email, role, [*args, "--org", org] if org else args))
    script = (
        "import sys\nfrom click.testing import CliRunner\nfrom wsgi import app\n"
        "runner = app.test_cli_runner()\n"
        f"for args in {[a[2] for a in accounts]!r}:\n"
        f"    result = runner.invoke(args=args, input={PASSWORD + chr(10)!r})\n"
        "    assert result.exit_code == 0, result.output\n"
    )  # one process for all users: a flask start each would take a minute
    subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, check=True)
    from tests.support.mediagen import make_english_speech, make_video_with_audio

    speech = make_english_speech(SPEECH * 12, workdir / "speech.wav")  # about three minutes
    video = make_video_with_audio(speech, workdir / "stream.mp4", size="320x240", rate=15)
    return [(email, role) for email, role, _args in accounts], video


def start(env: dict[str, str], port: int, workdir: Path) -> list[subprocess.Popen[bytes]]:
    """Start gunicorn and one worker; return once the portal answers."""
    commands = {
        "web": [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                "--workers", "2", "--threads", "4", "wsgi:app"],
        "worker": [sys.executable, "-m", "flask", "worker"],
    }  # fmt: skip
    processes = []
    for name, command in commands.items():
        log = (workdir / f"{name}.log").open("wb")
        processes.append(
            subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
            return processes
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit((workdir / "web.log").read_text()) from None
            time.sleep(0.3)


def children(parent: int) -> list[int]:
    """Return the pids whose parent is ``parent`` (the gunicorn workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def rss_bytes(pid: int) -> int:
    """Return the resident memory of a process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def cpu_s(pids: list[int]) -> float:
    """Return the CPU seconds the processes used so far."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def sample_rss(pids: list[int], stop: threading.Event, peaks: dict[int, int]) -> None:
    """Keep the largest resident memory of each process until ``stop``."""
    while not stop.wait(0.2):
        for pid in pids:
            with contextlib.suppress(OSError):  # the process ended
                peaks[pid] = max(peaks.get(pid, 0), rss_bytes(pid))


def job_states(env: dict[str, str]) -> str:
    """Count the instance's jobs by state."""
    script = (
        "from wsgi import app\nfrom portal.extensions import db\nfrom sqlalchemy import text\n"
        "with app.app_context():\n"
        "    print(dict(db.session.execute(text('SELECT state, count(*) FROM job GROUP BY state'))"
        ".all()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Seed, start, sign everyone in, load for ``--duration`` seconds, stop; return figures."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = environment(workdir, port, args)
    print(f"seeding {args.users} users in {workdir} …", flush=True)
    accounts, speech_video = seed(env, args.users, workdir)
    processes = start(env, port, workdir)
    try:
        return _measure(args, env, f"http://127.0.0.1:{port}", accounts, speech_video, processes)
    finally:
        for process in processes:
            os.killpg(process.pid, 15)
            process.wait(timeout=30)


def _parallel(targets: list[tuple[Any, tuple]]) -> list[Any]:
    """Run each (function, arguments) in a thread; return the results in order."""
    found: list[Any] = [None] * len(targets)

    def call(index: int, function: Any, arguments: tuple) -> None:
        found[index] = function(*arguments)

    threads = [
        threading.Thread(target=call, args=(n, function, arguments))
        for n, (function, arguments) in enumerate(targets)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def _measure(
    args: argparse.Namespace,
    env: dict[str, str],
    base: str,
    accounts: list[tuple[str, str]],
    speech_video: Path,
    processes: list[subprocess.Popen[bytes]],
) -> dict[str, Any]:
    results = Results()
    browsers = [Browser(base, results) for _ in accounts]
    print(f"signing {len(accounts)} users in …", flush=True)
    lessons = _parallel(
        [(sign_in, (b, email, role)) for b, (email, role) in zip(browsers, accounts, strict=True)]
    )
    warm_up = summarise(results)
    results = Results()  # measure the steady state only
    for browser in browsers:
        browser.results = results
    for _ in range(args.recordings):  # the worker transcribes during the window
        flask(env, "media", "ingest", str(speech_video), "--org", "cuiyufang", "--language", "en")
    web_workers = children(processes[0].pid)
    ours = [p.pid for p in processes] + web_workers
    busy0, ours0, wall0 = system_busy_s(), cpu_s(ours) + time.process_time(), time.monotonic()
    until = wall0 + args.duration
    think = tuple(float(x) for x in args.think.split("-"))
    users = [
        threading.Thread(target=user_loop, args=(b, email, role, paths, until, think))
        for b, (email, role), paths in list(zip(browsers, accounts, lessons, strict=True))[
            : args.users
        ]
    ]
    for thread in users:
        thread.start()
    big = int(args.upload_gb * 1024**3)
    uploads: list[dict[str, Any]] = [{}, {}, {}]
    peaks: dict[int, int] = {}
    baseline = {pid: rss_bytes(pid) for pid in web_workers}
    stop = threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(web_workers, stop, peaks))
    sampler.start()
    _parallel(
        [
            (upload, (browser, size, report))
            for browser, size, report in zip(
                browsers[args.users :], [big, big // 10, big // 10], uploads, strict=True
            )
        ]
    )
    stop.set()
    sampler.join()
    for thread in users:
        thread.join()
    wall = time.monotonic() - wall0
    busy = system_busy_s() - busy0
    ours_cpu = cpu_s(ours) + time.process_time() - ours0
    summary = summarise(results)
    summary.update(
        users=args.users, duration_s=round(wall, 1), think_s=args.think, uploads=uploads,
        sign_in_p95_ms=warm_up["kinds"].get("login", {}).get("p95_ms"),
        rss_growth_mb=round(max(peaks.get(p, 0) - baseline[p] for p in web_workers) / 2**20, 1),
        rss_peak_mb=round(max(peaks.values(), default=0) / 2**20, 1),
        jobs=job_states(env),
        host_cores_busy=round(busy / wall, 2),
        others_cores_busy=round(max(0.0, busy - ours_cpu) / wall, 2),
        load_average=[round(x, 1) for x in os.getloadavg()],
    )  # fmt: skip
    return summary


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 if any request answered 5xx."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--upload-gb", type=float, default=2.0, help="size of the big upload")
    parser.add_argument("--recordings", type=int, default=3, help="3-minute streams to transcribe")
    parser.add_argument("--think", default="1.0-3.0", help="seconds between a user's requests")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    parser.add_argument("--database-url", help="an EMPTY database to use instead of SQLite")
    parser.add_argument("--redis-url", help="Redis for the queue and rate limits")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="beltcast-load-"))
    try:
        summary = run(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(report(summary))
    if args.out:
        args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    return 1 if summary["server_errors_5xx"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
