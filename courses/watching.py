"""How much of a lesson video a learner has watched, and whether that is enough to complete it.

The lesson player posts its position every few seconds while playing. A step forward between
two posts counts as watched only when it could have been played in the time between them (at
most ``MAX_PLAYBACK_RATE``, the player's fastest speed, plus a little slack); a seek ahead does
not. The watched spans are kept merged, so watching a part twice counts it once. A course says
which share (``Course.watch_percent``) must be watched before a video lesson is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from courses.models import Lesson, LessonProgress
from portal.templating import duration

MAX_PLAYBACK_RATE = 2.0
# A post may come a little late (network, a busy tab), and a lesson's first post comes right
# after its progress row is made: a step this long always counts.
MIN_WINDOW_S = 6.0
# Background tabs post about once a minute: a longer step is a seek, never playback.
MAX_STEP_S = 130.0

Ranges = list[list[float]]


def played_step(previous_s: float, position_s: float, elapsed_s: float) -> bool:
    """Tell whether moving from ``previous_s`` to ``position_s`` in ``elapsed_s`` was playback."""
    step = position_s - previous_s
    allowed = min(max(elapsed_s, MIN_WINDOW_S) * MAX_PLAYBACK_RATE, MAX_STEP_S)
    return 0 < step <= allowed


def add_range(ranges: Ranges, start_s: float, end_s: float) -> Ranges:
    """Return ``ranges`` with ``[start_s, end_s]`` added, sorted and merged."""
    spans = sorted([*([a, b] for a, b in ranges), [start_s, end_s]])
    merged: Ranges = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [[round(a, 1), round(b, 1)] for a, b in merged]


def watched_seconds(ranges: Ranges, duration_s: float) -> float:
    """Return the seconds of the video covered by ``ranges`` (clamped to its duration)."""
    return sum(max(min(b, duration_s) - max(a, 0.0), 0.0) for a, b in ranges)


@dataclass(frozen=True)
class WatchStatus:
    """A learner's watching of one lesson video against the course's requirement."""

    watched_s: float
    duration_s: float
    needed_percent: int

    @property
    def needed_s(self) -> float:
        """Return the seconds that must be watched."""
        return self.duration_s * self.needed_percent / 100

    @property
    def watched_percent(self) -> int:
        """Return the share watched, 0–100 (rounded down, so 89.9 % never shows as 90 %)."""
        return int(100 * self.watched_s / self.duration_s) if self.duration_s > 0 else 0

    @property
    def remaining_s(self) -> float:
        """Return the seconds still to watch (0 when enough)."""
        return max(self.needed_s - self.watched_s, 0.0)

    @property
    def is_enough(self) -> bool:
        """Tell whether enough was watched to complete the lesson."""
        return self.needed_s <= 0 or (self.watched_s > 0 and self.remaining_s < 0.5)

    def note(self) -> str:
        """Return what the learner reads beside the disabled "mark as done" button."""
        return _(
            "Watch %(remaining)s more of the video to finish this lesson: you have watched "
            "%(watched)s%%, %(needed)s%% is needed (skipped parts do not count).",
            remaining=duration(max(round(self.remaining_s), 1)),
            watched=self.watched_percent,
            needed=self.needed_percent,
        )


def watch_status(lesson: Lesson, duration_s: float, row: LessonProgress | None) -> WatchStatus:
    """Return how much of the lesson's video (``duration_s`` long) the learner has watched."""
    ranges = row.watched_ranges if row is not None else []
    return WatchStatus(
        watched_seconds(ranges, duration_s), duration_s, lesson.module.course.watch_percent
    )
