"""The ``flask worker`` command: a Huey consumer plus a sweeper for lost and expired work."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib import import_module

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey.consumer import Consumer

from portal.database import utcnow
from portal.extensions import db
from portal.jobs import services
from portal.jobs.queue import queue_of

log = logging.getLogger(__name__)

# Housekeeping the sweeper runs every round, as "module:function" taking the current time.
PERIODIC: tuple[str, ...] = ("media.uploads.services:delete_expired_uploads",)


def _periodic_functions() -> list[Callable[..., object]]:
    functions = []
    for path in PERIODIC:
        module_name, name = path.split(":")
        functions.append(getattr(import_module(module_name), name))
    return functions


def sweep_once() -> None:
    """Re-queue jobs of dead workers, redeliver lost messages, run housekeeping."""
    requeued = services.sweep_expired_leases()
    redelivered = services.redeliver_stale_queued()
    for function in _periodic_functions():
        function(utcnow())
    if requeued or redelivered:
        log.info("sweeper: re-queued %s, redelivered %s", requeued, redelivered)


class Sweeper(threading.Thread):
    """Runs ``sweep_once`` every few seconds until stopped."""

    def __init__(self, app: Flask, interval_s: float) -> None:
        super().__init__(name="sweeper", daemon=True)
        self.app, self.interval_s = app, interval_s
        self.stopped = threading.Event()

    def run(self) -> None:
        """Sweep until stopped."""
        while not self.stopped.wait(self.interval_s):
            with self.app.app_context():
                try:
                    sweep_once()
                finally:
                    db.session.remove()


@click.command("worker")
@click.option("--threads", type=int, help="Jobs run at once (default: BELTCAST_WORKER_THREADS).")
@with_appcontext
def worker_command(threads: int | None) -> None:
    """Run background jobs until stopped (Ctrl-C)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        sweep_once()
        db.session.remove()
    sweeper = Sweeper(app, app.config["JOB_SWEEP_S"])
    sweeper.start()
    consumer = Consumer(
        queue_of(app).huey,
        workers=threads or app.config["WORKER_THREADS"],
        worker_type="thread",
        check_worker_health=True,
    )
    click.echo(f"worker started ({consumer.workers} thread(s)); Ctrl-C stops it")
    try:
        consumer.run()
    finally:
        sweeper.stopped.set()
