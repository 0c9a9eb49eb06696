"""Where media files live: keys, their layout, and the one storage that turns a key into a file.

Every file kept for merchants and trainers (uploads, recordings and their overviews, rendered
clips, item photos, logos, certificate images, licences, course covers and attachments) and
the jobs' scratch folders is named by a *key*: a relative POSIX path such as
``recordings/7/<hex>.mp4``. The key functions below are the whole layout; features keep
generated names in their rows, ask here for a key and hand it to ``media_storage()``. No other
module reads ``MEDIA_ROOT`` (``tests/portal/test_storage.py`` fails if one does).

``LocalStorage`` is the only implementation: a folder (``MEDIA_ROOT``) on a file system that
web and job workers share. ``path`` gives a key's local file to code that needs one (ffmpeg,
Pillow, ``send_file``); the rest is plain file operations. An object store would implement the
same methods, with ``path`` fetching a local copy (see docs/architecture.md).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from flask import Flask, current_app

UPLOAD_ID_PATTERN = re.compile(r"[0-9a-f]{32}")
SCRATCH_KEY = "scratch"


class StorageKeyError(ValueError):
    """A key or stored name that would leave the media root (or is not a key at all)."""


def check_key(key: str) -> str:
    """Return ``key`` if it is a relative POSIX path of plain names, else raise."""
    parts = key.split("/")
    if "\x00" in key or "\\" in key or any(part in ("", ".", "..") for part in parts):
        raise StorageKeyError(f"not a storage key: {key!r}")
    return key


def _key(*parts: str | int) -> str:
    """Join folders and a stored name (the last part, one plain name) into a key."""
    names = [str(part) for part in parts]
    if "/" in names[-1]:
        raise StorageKeyError(f"not a plain name: {names[-1]!r}")
    return check_key("/".join(names))


def upload_key(upload_id: str) -> str:
    """The unfinished (or finished, unclaimed) file of upload ``upload_id`` (32 hex digits)."""
    if not UPLOAD_ID_PATTERN.fullmatch(upload_id):
        raise StorageKeyError(f"not an upload id: {upload_id!r}")
    return _key("uploads", f"{upload_id}.part")


def recording_key(org_id: int, name: str) -> str:
    """A recording's source file (and, beside it, its overview files)."""
    return _key("recordings", org_id, name)


def clips_folder_key(org_id: int) -> str:
    """The folder of an organisation's rendered clips (renders write their parts there)."""
    return _key("clips", org_id)


def clip_key(org_id: int, name: str) -> str:
    """A rendered clip version's video, poster or WebVTT file."""
    return _key(clips_folder_key(org_id), name)


def item_photo_key(org_id: int, name: str) -> str:
    """An item photo, at full size or as a thumbnail."""
    return _key("item-photos", org_id, name)


def logo_key(org_id: int, name: str) -> str:
    """An organisation's logo."""
    return _key("logos", org_id, name)


def certificate_key(org_id: int, name: str) -> str:
    """An item's certificate image."""
    return _key("certificates", org_id, name)


def licence_key(org_id: int, name: str) -> str:
    """An organisation's business licence (image or PDF)."""
    return _key("licences", org_id, name)


def course_cover_key(name: str) -> str:
    """A course's cover image."""
    return _key("courses", "covers", name)


def course_attachment_key(name: str) -> str:
    """A lesson's attachment."""
    return _key("courses", "attachments", name)


class LocalStorage:
    """Media files in a folder of the local (or a shared, mounted) file system."""

    def __init__(self, root: str | Path) -> None:
        """Keep the files under ``root``."""
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """Return the local file (or folder) of ``key``."""
        return self.root / check_key(key)

    def exists(self, key: str) -> bool:
        """Tell whether ``key`` holds a file."""
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        """Return the size of ``key``'s file in bytes."""
        return self.path(key).stat().st_size

    def delete(self, key: str) -> None:
        """Remove ``key``'s file; a missing one is fine."""
        self.path(key).unlink(missing_ok=True)

    def move(self, source: str, target: str) -> None:
        """Move the file of key ``source`` to key ``target`` at once (replacing it)."""
        destination = self.path(target)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path(source), destination)

    @contextmanager
    def writing(self, key: str) -> Iterator[Path]:
        """Give a temporary file to write; it becomes ``key`` when the block succeeds.

        A reader never sees half a file; on an error the temporary file is removed and
        ``key`` keeps what it held.
        """
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
        try:
            yield temporary
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)

    def save(self, key: str, data: bytes) -> None:
        """Store ``data`` as ``key`` (replacing it whole)."""
        with self.writing(key) as temporary:
            temporary.write_bytes(data)

    def key_of(self, path: Path) -> str | None:
        """Return the key of a file under the root, or None for any other path."""
        resolved, root = path.resolve(), self.root.resolve()
        if root not in resolved.parents:
            return None
        return PurePosixPath(resolved.relative_to(root)).as_posix()


def media_storage(app: Flask | None = None) -> LocalStorage:
    """Return the media storage of ``app`` (default: the current app)."""
    return LocalStorage((app or current_app).config["MEDIA_ROOT"])
