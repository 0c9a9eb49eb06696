"""Delivery of job ids through Huey: SQLite storage by default, Redis when configured."""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey

EXTENSION_KEY = "beltcast_queue"


@dataclass
class JobQueue:
    """The app's Huey instance and its one task, which runs a job by id."""

    huey: Huey
    run_job_task: Any


def worker_identity() -> str:
    """Name this process and thread, as shown on the jobs page."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"


def _make_huey(app: Flask) -> Huey:
    name = app.config["QUEUE_NAME"]
    if app.config["REDIS_URL"]:
        return RedisHuey(name, url=app.config["REDIS_URL"])
    return SqliteHuey(name, filename=str(Path(app.instance_path) / "queue.db"))


def init_queue(app: Flask) -> None:
    """Create the app's queue and register the task that executes jobs."""
    from portal.jobs.runner import execute_job

    huey = _make_huey(app)

    def run_job(job_id: int) -> None:
        with app.app_context():
            execute_job(job_id, worker_identity())

    task = huey.task(name="beltcast.run_job", retries=0)(run_job)
    app.extensions[EXTENSION_KEY] = JobQueue(huey=huey, run_job_task=task)


def queue_of(app: Flask) -> JobQueue:
    """Return ``app``'s queue."""
    return app.extensions[EXTENSION_KEY]


def deliver(job_id: int) -> None:
    """Hand a committed job's id to the queue (a worker picks it up)."""
    queue_of(current_app).run_job_task(job_id)
