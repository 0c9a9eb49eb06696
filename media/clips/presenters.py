"""Display helpers of the workshop: the mentions timeline as drawable lanes."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from media.clips.discovery import ItemMentions
from media.clips.models import ClipState, RenderProfile

TIMELINE_WIDTH = 1000
LANE_HEIGHT = 28


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
    """The whole picture: width, height and lanes."""

    width: int
    height: int
    lanes: list[Lane]


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
            marks=[Mark(x=round(t * scale, 1), seconds=round(t, 2)) for t in lane.times_s],
            off_list=lane.item.id in off_list,
        )
        for n, lane in enumerate(lanes)
    ]
    return Timeline(width=TIMELINE_WIDTH, height=max(len(drawn), 1) * LANE_HEIGHT, lanes=drawn)


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
