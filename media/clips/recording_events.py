"""What the clip workshop does about a recording's life, on the signals recordings sends.

Recordings sit below clips, so they do not call the workshop: they send ``recording_transcribed``
and ``recording_deleting`` (``media/recordings/signals.py``), connected by the clips blueprint
when the app is created.
"""

from __future__ import annotations

from typing import Any

from flask_babel import ngettext
from sqlalchemy import func, select

from media.clips.discovery import refresh_mentions
from media.clips.models import Clip
from media.recordings.models import Recording
from media.recordings.signals import recording_deleting, recording_transcribed
from portal.errors import ConflictError
from portal.extensions import db


def listen() -> None:
    """Connect the workshop to the recordings' signals."""
    recording_transcribed.connect(find_mentions)
    recording_deleting.connect(keep_if_clipped)


def find_mentions(_sender: Any, *, recording: Recording, **_: Any) -> None:
    """Find the items mentioned in a freshly transcribed recording."""
    refresh_mentions(recording)


def keep_if_clipped(_sender: Any, *, recording: Recording, **_: Any) -> None:
    """Refuse deleting a recording clips were cut from: they are edited and rendered from it."""
    clips = db.session.scalar(
        select(func.count()).select_from(Clip).where(Clip.recording_id == recording.id)
    )
    if clips:
        raise ConflictError(
            ngettext(
                "%(num)d clip was cut from this recording, so it is kept: clips are edited and "
                "rendered again from it.",
                "%(num)d clips were cut from this recording, so it is kept: clips are edited and "
                "rendered again from it.",
                clips,
            )
        )
