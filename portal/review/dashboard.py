"""The trainers' dashboard: merchants by screening state, the waiting queue with ages, recent
compliance overrides, and clips published per merchant per week (from the audit log)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import to_user_timezone
from sqlalchemy import select

from media.clips.models import Clip
from portal.audit.models import AuditEvent
from portal.database import utcnow
from portal.extensions import db
from portal.library.exposure import Exposure, published_holding
from portal.library.models import ComplianceOverride
from portal.organisations.models import Organisation, OrgStatus
from portal.organisations.scoping import all_orgs
from portal.organisations.services import count_by_status
from portal.review.clip_lists import ClipGroup, clips_in_group

WEEKS = 8
RECENT_OVERRIDES = 20


def merchants_by_state() -> list[tuple[OrgStatus, int]]:
    """Count merchant organisations per screening state (every state, zero included)."""
    return list(count_by_status().items())


@dataclass(frozen=True)
class WaitingClip:
    """A clip in review and how long it has waited."""

    clip: Clip
    waiting: timedelta


def waiting_clips(now: datetime | None = None) -> list[WaitingClip]:
    """Clips waiting for review, oldest first, with their age."""
    now = now or utcnow()
    waiting = clips_in_group(ClipGroup.IN_REVIEW, oldest_first=True)
    return [WaitingClip(clip, now - clip.updated_at) for clip in waiting]


@dataclass(frozen=True)
class OverrideRow:
    """A trainer's compliance override with its clip."""

    override: ComplianceOverride
    clip: Clip


def recent_overrides(limit: int = RECENT_OVERRIDES) -> list[OverrideRow]:
    """The newest compliance overrides of every organisation."""
    statement = (
        all_orgs(ComplianceOverride)
        .join(Clip, Clip.id == ComplianceOverride.clip_id)
        .add_columns(Clip)
        .order_by(ComplianceOverride.created_at.desc(), ComplianceOverride.id.desc())
        .limit(limit)
    )
    return [OverrideRow(override, clip) for override, clip in db.session.execute(statement)]


def held_clips() -> Exposure:
    """Published clips whose published version holds a banned term without an override."""
    return published_holding()


@dataclass(frozen=True)
class WeeklyPublishing:
    """Clips published per merchant per week: week starts (Mondays) and one row per merchant."""

    weeks: list[date]
    rows: list[tuple[Organisation, list[int], int]]  # merchant, count per week, total


def _week_start(at: datetime) -> date:
    day = to_user_timezone(at).date()
    return day - timedelta(days=day.weekday())


def published_per_week(now: datetime | None = None, weeks: int = WEEKS) -> WeeklyPublishing:
    """Count publish transitions per merchant in each of the last ``weeks`` weeks."""
    this_week = _week_start(now or utcnow())
    starts = [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    since = (now or utcnow()) - timedelta(weeks=weeks, days=1)
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "clip.transition", AuditEvent.at >= since
        )  # the target sits in JSON details, filtered here to stay portable
    )
    counts: Counter[tuple[int, date]] = Counter(
        (event.org_id, _week_start(event.at))
        for event in events
        if event.details.get("target") == "published" and event.org_id is not None
    )
    org_ids = {org_id for org_id, week in counts if week in starts}
    orgs = db.session.scalars(
        select(Organisation).where(Organisation.id.in_(org_ids)).order_by(Organisation.name)
    )
    rows = []
    for org in orgs:
        per_week = [counts[(org.id, week)] for week in starts]
        rows.append((org, per_week, sum(per_week)))
    return WeeklyPublishing(starts, rows)
