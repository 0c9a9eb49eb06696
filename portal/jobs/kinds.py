"""Job kinds: what runs a feature's jobs, and what the pages call them and their steps.

A feature's kind is a ``JobKind`` listed in ``portal/features.py``; the app factory registers
them all (``add_job_kinds``), so the core's runner and job pages know every kind without naming
one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from portal.jobs.runner import JobContext

Handler = Callable[["JobContext"], None]
_KINDS = "job-kinds"


@dataclass(frozen=True)
class JobKind:
    """One kind of job: its name, the function that runs it, and what people read about it.

    ``steps`` are the visible steps in order, each with its label; ``done`` is said once a job
    of this kind has succeeded.
    """

    name: str
    run: Handler
    label: str
    steps: tuple[tuple[str, str], ...] = ()
    done: str = _l("Done.")


def job_kinds(app: Flask) -> dict[str, JobKind]:
    """``app``'s job kinds by name."""
    return app.extensions.setdefault(_KINDS, {})


def add_job_kinds(app: Flask, kinds: Iterable[JobKind]) -> None:
    """Let ``app`` run and describe jobs of each of ``kinds`` (the app factory adds them all)."""
    job_kinds(app).update({kind.name: kind for kind in kinds})


def find_kind(name: str) -> JobKind | None:
    """Return the current app's kind called ``name``, if there is one."""
    return job_kinds(current_app).get(name)


def step_labels() -> dict[str, str]:
    """Every registered kind's step names with their labels."""
    return {step: label for kind in job_kinds(current_app).values() for step, label in kind.steps}
