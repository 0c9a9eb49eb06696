"""Run a search for a viewer: every visible kind, ranked, grouped, paginated, highlighted.

Visibility is part of each kind's SQL (``Source.visible``), never a filter applied afterwards.
Ranking: the whole query equal to a row's exact name first (an item's name, alias or SKU),
then the full-text rank (title above body), then the newest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select, false, func, select

from media.recordings.models import Recording
from portal.catalog.services import active_items
from portal.extensions import db
from portal.organisations.scoping import scoped
from portal.search import corrections, engine, query
from portal.search.highlight import highlight
from portal.search.models import SearchDocument
from portal.search.registry import Hit, Source, Thumbnail, Viewer, all_sources, get_source
from portal.search.sources import transcripts

D = SearchDocument
PER_GROUP = 5
QUICK_PER_GROUP = 3
PAGE_SIZE = 20
COUNT_CAP = 1000
MAX_CHOICES = 200


@dataclass(frozen=True)
class Filters:
    """What the results are narrowed to (every field optional)."""

    kind: str = ""
    recording_id: int | None = None
    item_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class Result:
    """One hit as shown: highlighted title and text, where it is from, where it opens."""

    kind: str
    title: Markup
    snippet: Markup
    context: str
    url: str | None
    at_s: int | None
    happened_at: datetime
    recording_id: int | None
    thumbnail: Thumbnail | None = None


@dataclass
class Group:
    """The hits of one kind (``total`` is counted, up to ``COUNT_CAP``, only when paginating)."""

    kind: str
    label: str
    results: list[Result]
    has_more: bool
    total: int | None = None
    page: int = 1
    per_page: int = PER_GROUP

    @property
    def is_capped(self) -> bool:
        """Tell whether there were more hits than were counted."""
        return self.total is not None and self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        """How many pages the counted hits fill."""
        return max(1, -(-min(self.total or 0, COUNT_CAP) // self.per_page))


@dataclass
class Outcome:
    """A search's answer."""

    text: str
    groups: list[Group] = field(default_factory=list)
    corrections: list[corrections.Correction] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing was found."""
        return not any(group.results for group in self.groups)


def _since(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _statement(
    source: Source, viewer: Viewer, plan: query.Plan, chosen: Filters
) -> engine.Match | None:
    """The rows of ``source`` that ``viewer`` may see and that match; None if none can."""
    visible = source.visible(viewer, D)
    if visible is None:
        return None
    statement = select(
        D.id,
        D.kind,
        D.ref_id,
        D.part_id,
        D.org_id,
        D.recording_id,
        D.title,
        D.body,
        D.context,
        D.at_ms,
        D.happened_at,
    ).where(D.kind == source.kind, visible)
    if chosen.recording_id is not None:
        statement = statement.where(D.recording_id == chosen.recording_id)
    if chosen.item_id is not None:
        about = source.about_item(chosen.item_id, D)
        statement = statement.where(about if about is not None else false())
    if chosen.date_from is not None:
        statement = statement.where(D.happened_at >= _since(chosen.date_from))
    if chosen.date_to is not None:
        statement = statement.where(D.happened_at < _since(chosen.date_to + timedelta(days=1)))
    narrow = viewer.org_id if source.owner_only and not viewer.is_staff else None
    kind = source.kind if source.narrow_by_kind else None
    return engine.matching(statement, plan, kind=kind, org_id=narrow)


def _count(statement: Select[Any]) -> int:
    capped = statement.with_only_columns(D.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped)) or 0


def _result(source: Source, row: Any, viewer: Viewer, plan: query.Plan) -> Result:
    hit = Hit(row.kind, row.ref_id, row.part_id, row.org_id, row.recording_id, row.at_ms)
    is_line = not row.title
    return Result(
        kind=row.kind,
        title=highlight(row.context if is_line else row.title, plan, limit=None),
        snippet=highlight(row.body, plan),
        context=row.context,
        url=source.link(hit, viewer),
        at_s=transcripts.seconds(row.at_ms) if row.at_ms is not None else None,
        happened_at=row.happened_at,
        recording_id=row.recording_id,
        thumbnail=source.thumbnail(hit, viewer),
    )


def _group(
    source: Source,
    viewer: Viewer,
    plan: query.Plan,
    chosen: Filters,
    page: int,
    per_page: int,
    *,
    count: bool,
) -> Group | None:
    match = _statement(source, viewer, plan, chosen)
    if match is None:
        return None
    if source.ranked:
        order = [engine.exactness(plan).desc(), match.cost, D.happened_at.desc(), D.id.desc()]
    else:
        order = [match.newest]
    offset = (page - 1) * per_page
    page_rows = match.statement.order_by(*order).offset(offset).limit(per_page + 1)
    rows = db.session.execute(page_rows).all()
    has_more = len(rows) > per_page
    rows = rows[:per_page]
    total = None
    if count:
        total = _count(match.statement) if has_more or page > 1 else len(rows)
    results = [_result(source, row, viewer, plan) for row in rows]
    return Group(source.kind, source.label, results, has_more, total, page, per_page)


def _kinds(chosen: Filters) -> list[Source]:
    if chosen.kind:
        source = get_source(chosen.kind)
        return [source] if source else []
    return all_sources()


def _run(viewer: Viewer, text: str, chosen: Filters, page: int, per_group: int) -> Outcome:
    plan = query.parse(text)
    outcome = Outcome(plan.text)
    if plan.is_empty:
        return outcome
    engine.plan_for_each_query()
    outcome.corrections = corrections.correct(plan)
    size = PAGE_SIZE if chosen.kind else per_group
    for source in _kinds(chosen):
        group = _group(
            source, viewer, plan, chosen, page if chosen.kind else 1, size, count=bool(chosen.kind)
        )
        if group is not None:
            outcome.groups.append(group)
    if outcome.is_empty:
        outcome.suggestions = corrections.suggestions(
            plan, lambda candidate: finds_something(viewer, candidate, chosen)
        )
    return outcome


def search(viewer: Viewer, text: str, chosen: Filters | None = None, page: int = 1) -> Outcome:
    """Search every kind ``viewer`` may see (or one kind, paginated) for ``text``."""
    return _run(viewer, text, chosen or Filters(), max(1, page), PER_GROUP)


def quick_search(viewer: Viewer, text: str) -> Outcome:
    """The few best hits of each kind, for the header's as-you-type list."""
    return _run(viewer, text, Filters(), 1, QUICK_PER_GROUP)


def finds_something(viewer: Viewer, text: str, chosen: Filters | None = None) -> bool:
    """Tell whether ``text`` finds at least one row ``viewer`` may see."""
    plan = query.parse(text)
    if plan.is_empty:
        return False
    for source in _kinds(chosen or Filters()):
        match = _statement(source, viewer, plan, chosen or Filters())
        if match is not None and db.session.execute(match.statement.limit(1)).first():
            return True
    return False


def filter_label(
    viewer: Viewer, *, recording_id: int | None = None, item_id: int | None = None
) -> str:
    """Name a chosen recording or item by what the viewer may see of it ("" if nothing)."""
    if recording_id is not None:
        for source in all_sources():
            visible = source.visible(viewer, D)
            if visible is None:
                continue
            context = db.session.scalar(
                select(D.context)
                .where(
                    D.kind == source.kind,
                    D.recording_id == recording_id,
                    D.at_ms.is_not(None),
                    visible,
                )
                .limit(1)
            )
            if context:
                return context
    if item_id is not None:
        source = get_source("item")
        visible = source.visible(viewer, D) if source else None
        if visible is not None:
            statement = select(D.title).where(D.kind == "item", D.ref_id == item_id, visible)
            return db.session.scalar(statement.limit(1)) or ""
    return ""


@dataclass(frozen=True)
class Choices:
    """What the filters offer a viewer: kinds, and a merchant's own recordings and items."""

    kinds: list[tuple[str, str]]
    recordings: list[tuple[int, str]]
    items: list[tuple[int, str]]


def filter_choices(viewer: Viewer) -> Choices:
    """Return the filter choices for ``viewer`` (kinds they may see; their own objects)."""
    kinds = [(s.kind, s.label) for s in all_sources() if s.visible(viewer, D) is not None]
    if viewer.org_id is None:
        return Choices(kinds, [], [])
    recordings = db.session.execute(
        scoped(Recording, viewer.org_id)
        .with_only_columns(Recording.id, Recording.title)
        .order_by(Recording.created_at.desc(), Recording.id.desc())
        .limit(MAX_CHOICES)
    ).all()
    items = [(item.id, item.name) for item in active_items(viewer.org_id)[:MAX_CHOICES]]
    return Choices(kinds, [(r.id, r.title) for r in recordings], items)
