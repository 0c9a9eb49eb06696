"""Real ``flask worker`` processes for tests, on the test app's database, queue and media root.

Huey runs on SQLite by default and on Redis when ``BELTCAST_REDIS_URL`` is set (CI's second run).
Each worker runs in its own process group so a test can SIGKILL it whole.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from portal import PROJECT_ROOT


def worker_environment(
    app: Flask, model_dir: Path | None = None, *, lease_s: int = 4, **extra: str
) -> dict[str, str]:
    """The settings a worker of the test app needs, and nothing else of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BELTCAST_")}
    env.update(
        FLASK_APP="wsgi",
        BELTCAST_INSTANCE_PATH=app.instance_path,
        BELTCAST_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        BELTCAST_MEDIA_ROOT=app.config["MEDIA_ROOT"],
        BELTCAST_JOB_LEASE_SECONDS=str(lease_s),
        BELTCAST_JOB_SWEEP_SECONDS="1",
        BELTCAST_QUEUE_NAME=app.config["QUEUE_NAME"],
        BELTCAST_SECRET_KEY=app.config["SECRET_KEY"],
        BELTCAST_BASE_URL=app.config["BASE_URL"],
        BELTCAST_DEFAULT_LOCALE="en",
    )
    if model_dir is not None:
        env["BELTCAST_WHISPER_MODEL"] = str(model_dir)
    if os.environ.get("BELTCAST_REDIS_URL"):
        env["BELTCAST_REDIS_URL"] = os.environ["BELTCAST_REDIS_URL"]
    env.update({f"BELTCAST_{key}": value for key, value in extra.items()})
    return env


class Workers:
    """Starts worker processes with one environment and logs into ``log_dir``."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env, self.log_dir = env, log_dir
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        """Start ``flask worker ARGS`` logging to ``<log_dir>/<name>.log``."""
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker", *args],
            cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        self.started.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL a worker and everything it started (ffmpeg children too)."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        """Kill every worker this object started."""
        for process in self.started:
            self.kill(process)

    def logs(self) -> str:
        """The tail of every worker log, for assertion messages."""
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.log_dir.glob("*.log"))
        )

    def wait_for(self, condition: Callable[[], bool], timeout_s: float, what: str) -> None:
        """Poll ``condition`` every 0.1 s; fail with the worker logs after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            assert time.monotonic() < deadline, f"timed out waiting for {what}\n{self.logs()}"
            time.sleep(0.1)
