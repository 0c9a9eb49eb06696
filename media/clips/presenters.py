"""Display helpers of the workshop: the whole stream's overview, the mentions timeline as
drawable lanes, and the suggestions grouped per item."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from media.clips.discovery import ItemMentions
from media.clips.models import ClipState, RenderProfile, Suggestion
from media.recordings.overview import FLOOR_DB, Overview
from portal.catalog.models import Item

TIMELINE_WIDTH = 1000
LANE_HEIGHT = 28
MARK_WIDTH = 6  # timeline units; a mention closer than this to the previous mark shares it
STRIP_HEIGHT = 40
LOUD_DB = -10.0  # a window this loud (dBFS RMS) fills the strip
SHOWN_SUGGESTIONS = 3  # per item; the rest wait behind "N more"
SHOWN_LANES = 8  # the most mentioned items' lanes; the others are folded


@dataclass(frozen=True)
class Mark:
    """One mention drawn on a lane: x in timeline units, the time to seek to."""

    x: float
    seconds: float


@dataclass(frozen=True)
class Lane:
    """One item's lane of the timeline."""

    y: int
    label: str
    count: int
    marks: list[Mark]
    off_list: bool = False  # found, though not on the stream's item list


@dataclass(frozen=True)
class Timeline:
    """The whole picture: width, height and lanes (the most mentioned items first)."""

    width: int
    height: int
    lanes: list[Lane]

    @property
    def shown_lanes(self) -> list[Lane]:
        """The lanes always on the page."""
        return self.lanes[:SHOWN_LANES]

    @property
    def more_lanes(self) -> list[Lane]:
        """The lanes of the less mentioned items, folded away on a long stream."""
        return self.lanes[SHOWN_LANES:]


def build_timeline(
    lanes: list[ItemMentions], duration_s: float, off_list: Collection[int] = ()
) -> Timeline:
    """Lay out one lane per item with a mark per mention, scaled to the recording.

    Lanes of the items in ``off_list`` (found, not on the stream's list) say so.
    """
    scale = TIMELINE_WIDTH / duration_s if duration_s > 0 else 0
    drawn = [
        Lane(
            y=n * LANE_HEIGHT,
            label=lane.item.name,
            count=lane.count,
            marks=_marks(lane.times_s, scale),
            off_list=lane.item.id in off_list,
        )
        for n, lane in enumerate(lanes)
    ]
    return Timeline(width=TIMELINE_WIDTH, height=max(len(drawn), 1) * LANE_HEIGHT, lanes=drawn)


def _marks(times_s: list[float], scale: float) -> list[Mark]:
    """One mark per mention, but one for mentions that would be drawn on top of each other.

    A long stream's lane stays as small as its picture: at most a mark per ``MARK_WIDTH``.
    """
    marks: list[Mark] = []
    for t in times_s:
        x = round(t * scale, 1)
        if not marks or x - marks[-1].x >= MARK_WIDTH:
            marks.append(Mark(x=x, seconds=round(t, 2)))
    return marks


@dataclass(frozen=True)
class Strip:
    """The overview of the whole stream: a row of thumbnails over the loudness outline.

    ``loudness_points`` is an SVG polygon in a ``width`` × ``height`` box: high where the
    stream is loud, flat along the bottom where it is quiet.
    """

    width: int
    height: int
    loudness_points: str
    sprite_width: int
    sprite_height: int


def build_strip(overview: Overview | None, duration_s: float) -> Strip | None:
    """Lay out a stored overview on the timeline's width; None without one."""
    if overview is None or duration_s <= 0:
        return None
    scale = TIMELINE_WIDTH / duration_s
    points = [f"0,{STRIP_HEIGHT}"]
    for n, level in enumerate(overview.levels_db):
        x = min((n + 0.5) * overview.window_s * scale, TIMELINE_WIDTH)
        share = (min(level, LOUD_DB) - FLOOR_DB) / (LOUD_DB - FLOOR_DB)
        points.append(f"{x:.1f},{STRIP_HEIGHT * (1 - share):.1f}")
    points.append(f"{TIMELINE_WIDTH},{STRIP_HEIGHT}")
    return Strip(
        width=TIMELINE_WIDTH,
        height=STRIP_HEIGHT,
        loudness_points=" ".join(points),
        sprite_width=overview.tiles * overview.tile_px,
        sprite_height=overview.tile_px,
    )


@dataclass
class SuggestionGroup:
    """One item's suggestions, best first: the first few shown, how many more wait."""

    item: Item
    suggestions: list[Suggestion] = field(default_factory=list)
    is_open: bool = False  # every suggestion shown (the merchant asked for "more")

    @property
    def shown(self) -> list[Suggestion]:
        """The suggestions on the page."""
        return self.suggestions if self.is_open else self.suggestions[:SHOWN_SUGGESTIONS]

    @property
    def more_count(self) -> int:
        """How many more suggestions "more" would show."""
        return len(self.suggestions) - len(self.shown)


def group_suggestions(
    suggestions: list[Suggestion], open_item_id: int | None = None
) -> list[SuggestionGroup]:
    """Group best-first suggestions by their main item, best group first.

    The group of ``open_item_id`` shows all its suggestions.
    """
    groups: dict[int, SuggestionGroup] = {}
    for suggestion in suggestions:
        item_id = suggestion.main_item_id
        group = groups.setdefault(
            item_id, SuggestionGroup(suggestion.main_item, is_open=item_id == open_item_id)
        )
        group.suggestions.append(suggestion)
    return list(groups.values())


STATE_LABELS = {
    ClipState.DRAFT: _l("Draft"),
    ClipState.READY: _l("Ready"),
    ClipState.IN_REVIEW: _l("In review"),
    ClipState.CHANGES_REQUESTED: _l("Changes requested"),
    ClipState.APPROVED: _l("Approved"),
    ClipState.PUBLISHED: _l("Published"),
    ClipState.REJECTED: _l("Rejected"),
    ClipState.ARCHIVED: _l("Archived"),
}
PROFILE_LABELS = {
    RenderProfile.VERTICAL: _l("Vertical 9:16"),
    RenderProfile.ORIGINAL: _l("Original shape"),
    RenderProfile.SQUARE: _l("Square 1:1"),
}


def state_label(state: str) -> str:
    """Return the translated name of a clip state."""
    return str(STATE_LABELS.get(ClipState(state), state))


def profile_label(profile: str) -> str:
    """Return the translated name of a render profile."""
    return str(PROFILE_LABELS.get(RenderProfile(profile), profile))
