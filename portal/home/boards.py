"""What waits for each person on the home page: a merchant's clips and recordings, a trainer's
queues. Counts come from the one function per count (``portal.review.clip_lists``,
``courses.practice.review``), the same the queues and the dashboard use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from courses.practice import review as practice
from media.clips.models import Clip
from media.recordings.models import Recording
from media.recordings.services import transcribing
from portal.jobs.models import Job
from portal.review.clip_lists import (
    ApprovedClip,
    ClipGroup,
    approved_queue,
    clips_in_group,
    count_clips,
)

SHOWN = 3  # clips per group on the merchant's home; the group's page lists them all
TRAINER_SHOWN = 5
T = TypeVar("T")


@dataclass(frozen=True)
class Shortlist(Generic[T]):
    """The first few rows of a list, and how many rows the whole list holds."""

    count: int
    rows: list[T]

    @property
    def has_more(self) -> bool:
        """Tell whether the list holds more rows than shown."""
        return self.count > len(self.rows)


@dataclass(frozen=True)
class MerchantBoard:
    """A merchant's home: clips by group (each group's newest few), recordings transcribing."""

    groups: list[tuple[ClipGroup, Shortlist[Clip]]]
    transcribing: list[tuple[Recording, Job]]

    @property
    def has_clips(self) -> bool:
        """Tell whether the organisation has any clip in a group."""
        return any(shortlist.count for _group, shortlist in self.groups)


def merchant_board(org_id: int) -> MerchantBoard:
    """Collect the organisation's clips by group (newest first) and its running transcriptions."""
    groups = [
        (group, Shortlist(count, clips_in_group(group, org_id, limit=SHOWN) if count else []))
        for group, count in count_clips(org_id).items()
    ]
    return MerchantBoard(groups, transcribing(org_id))


@dataclass(frozen=True)
class TrainerBoard:
    """A trainer's home: what waits, longest waiting first, with counts."""

    waiting: Shortlist[Clip]
    approved: Shortlist[ApprovedClip]
    practice: Shortlist[practice.QueueRow]


def trainer_board() -> TrainerBoard:
    """Collect the clips waiting for review, approved clips to publish and practice videos."""
    counts = count_clips()
    return TrainerBoard(
        waiting=Shortlist(
            counts[ClipGroup.IN_REVIEW],
            clips_in_group(ClipGroup.IN_REVIEW, oldest_first=True, limit=TRAINER_SHOWN),
        ),
        approved=Shortlist(counts[ClipGroup.APPROVED], approved_queue(limit=TRAINER_SHOWN)),
        practice=Shortlist(practice.count_waiting(), practice.review_queue(limit=TRAINER_SHOWN)),
    )
