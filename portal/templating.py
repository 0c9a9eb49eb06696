"""Jinja filters shared by every template (display only, no decisions)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import format_currency, gettext
from flask_babel import lazy_gettext as _l

from portal.jobs.presenters import (
    job_view,
    kind_label,
    state_label,
    step_label,
)
from portal.text_cleaning import isolate_bidi
from portal.timecodes import format_timecode


def money(cents: int | None) -> str:
    """Format a price in fen as yuan in the current language (``¥1,280.00``, ``CN¥1,280.00``).

    None shows a dash.
    """
    if cents is None:
        return "—"
    return format_currency(Decimal(cents).scaleb(-2), "CNY")


def reject_key(values: Mapping[str, Any], key: str) -> dict[str, Any]:
    """Return ``values`` without ``key`` (to rebuild a query string with a new page)."""
    return {k: v for k, v in values.items() if k != key}


def duration(seconds: float | None) -> str:
    """Format seconds as ``H:MM:SS`` or ``M:SS``."""
    if seconds is None:
        return "—"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def org_status_label(status: str) -> str:
    """Return the translated name of an organisation status."""
    labels = {
        "pending": _l("Pending screening"),
        "approved": _l("Approved"),
        "rejected": _l("Rejected"),
        "suspended": _l("Suspended"),
    }
    return str(labels.get(status, status))


def seconds(value: float | None) -> str:
    """Format a length in seconds with one decimal, e.g. ``12.3 s`` (``12.3 秒``)."""
    if value is None:
        return "—"
    return gettext("%(seconds)s s", seconds=f"{value:.1f}")


def install_filters(app: Flask) -> None:
    """Register the filters and display helpers on ``app``.

    Every ``{{ value }}`` passes through ``isolate_bidi``: a stray direction override in user
    text cannot reorder the page around it.
    """
    app.jinja_env.finalize = isolate_bidi
    app.jinja_env.filters.update(
        money=money,
        reject_key=reject_key,
        duration=duration,
        seconds=seconds,
        timecode=format_timecode,
    )
    app.jinja_env.globals.update(
        org_status_label=org_status_label,
        job_view=job_view,
        job_step_label=step_label,
        job_kind_label=kind_label,
        job_state_label=state_label,
    )
