"""Item photos: re-encoded and stored under generated names, ordered, the first one primary.

Each photo is kept twice, as JPEG without metadata: at most ``FULL_EDGE`` pixels on its longer
side (pages, the product card of a render) and a ``THUMB_EDGE`` thumbnail (lists, cards).
Files are stored under ``item_photo_key`` (``item-photos/<org_id>/``); they are removed when their
row is deleted (a photo, or an item with its photos) once that deletion is committed.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from flask import current_app
from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.images import read_image
from portal.catalog.models import Item, ItemPhoto
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.scoping import all_orgs, scoped
from portal.storage import item_photo_key, media_storage

FULL_EDGE = 1600
THUMB_EDGE = 400
MAX_PHOTOS = 12
FIELD = "photos"
SIZES = ("full", "thumb")
Size = Literal["full", "thumb"]
_PENDING_KEY = "item_photo_files_to_delete"


@dataclass(frozen=True)
class StoredPhoto:
    """The files of a re-encoded photo, stored but not yet recorded as an ``ItemPhoto``."""

    stored_stem: str
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    size_bytes: int


def get_photo_or_404(item_id: int, photo_id: int, org_id: int | None) -> ItemPhoto:
    """Load a photo of item ``item_id`` owned by ``org_id`` (None: any, for staff), else 404."""
    statement = all_orgs(ItemPhoto) if org_id is None else scoped(ItemPhoto, org_id)
    return db.first_or_404(statement.where(ItemPhoto.id == photo_id, ItemPhoto.item_id == item_id))


def primary_photo_of(item_id: int) -> ItemPhoto | None:
    """Return the primary photo of item ``item_id`` (callers check who may see the item)."""
    statement = all_orgs(ItemPhoto).where(ItemPhoto.item_id == item_id)
    return db.session.scalar(statement.order_by(ItemPhoto.position, ItemPhoto.id).limit(1))


def _key(org_id: int, stem: str, size: Size) -> str:
    suffix = "-thumb.jpg" if size == "thumb" else ".jpg"
    return item_photo_key(org_id, f"{stem}{suffix}")


def photo_path(photo: ItemPhoto, size: Size = "full") -> Path:
    """Return the file of ``photo`` at ``size`` (``full`` or ``thumb``)."""
    return media_storage().path(_key(photo.org_id, photo.stored_stem, size))


def primary_photo_key(item: Item) -> str | None:
    """Return the storage key of the item's primary photo at full size (None: it has none).

    The file is at most ``FULL_EDGE`` pixels on its longer side, upright, RGB, no metadata.
    """
    photo = item.primary_photo
    return _key(photo.org_id, photo.stored_stem, "full") if photo is not None else None


def _save(picture: Image.Image, edge: int, key: str, quality: int) -> tuple[int, int]:
    copy = picture.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    with media_storage().writing(key) as temporary:
        copy.save(temporary, format="JPEG", quality=quality, optimize=True, progressive=True)
    return copy.size


def store_photo(data: bytes, org_id: int, max_bytes: int) -> StoredPhoto:
    """Decode an uploaded image, store it at both sizes and return what was stored."""
    picture = read_image(data, max_bytes, FIELD)
    stem = uuid.uuid4().hex
    full = _key(org_id, stem, "full")
    width, height = _save(picture, FULL_EDGE, full, 85)
    try:
        thumb_width, thumb_height = _save(picture, THUMB_EDGE, _key(org_id, stem, "thumb"), 80)
    except OSError:
        media_storage().delete(full)
        raise
    return StoredPhoto(stem, width, height, thumb_width, thumb_height, media_storage().size(full))


def discard_stored(org_id: int, stems: list[str]) -> None:
    """Remove the files of photos that were stored but never recorded (or whose row is gone)."""
    for stem in stems:
        for size in SIZES:
            media_storage().delete(_key(org_id, stem, size))


def store_uploads(uploads: list[tuple[str, bytes]], org_id: int, room: int) -> list[StoredPhoto]:
    """Store uploaded files (name, bytes) as photos; any bad file stores none of them."""
    if len(uploads) > room:
        raise ServiceError(
            _("An item holds at most %(count)s photos.", count=MAX_PHOTOS), field=FIELD
        )
    max_bytes, stored = current_app.config["MAX_IMAGE_BYTES"], []
    try:
        for filename, data in uploads:
            try:
                stored.append(store_photo(data, org_id, max_bytes))
            except ServiceError as exc:
                message = _("%(name)s: %(message)s", name=filename, message=exc.message)
                raise ServiceError(message, field=FIELD) from exc
    except ServiceError:
        discard_stored(org_id, [photo.stored_stem for photo in stored])
        raise
    return stored


def attach_photos(item: Item, stored: list[StoredPhoto], *, replace: bool = False) -> None:
    """Record stored photos as the item's (after its current ones, or instead of them).

    Adds to the caller's unit of work; replaced photos' files go when it commits.
    """
    if replace:
        item.photos.clear()
    start = len(item.photos)
    for offset, photo in enumerate(stored):
        item.photos.append(ItemPhoto(org_id=item.org_id, position=start + offset, **asdict(photo)))
    _touch(item)


def _touch(item: Item) -> None:
    """Mark the item changed: public pages showing its photo get a new ETag."""
    item.updated_at = utcnow()


def add_photos(item: Item, actor: User, uploads: list[tuple[str, bytes]]) -> int:
    """Add uploaded photos to an item; return how many were added."""
    stored = store_uploads(uploads, item.org_id, MAX_PHOTOS - len(item.photos))
    attach_photos(item, stored)
    record_event(actor, "item.photos_added", item, org_id=item.org_id, count=len(stored))
    db.session.commit()
    return len(stored)


def _renumber(photos: list[ItemPhoto]) -> None:
    for position, photo in enumerate(photos):
        photo.position = position


def move_photo(photo: ItemPhoto, actor: User, action: str) -> None:
    """Make a photo primary (``primary``) or move it one place (``earlier``, ``later``)."""
    photos = list(photo.item.photos)
    index = photos.index(photo)
    target = {"primary": 0, "earlier": index - 1, "later": index + 1}[action]
    photos.insert(max(0, min(target, len(photos) - 1)), photos.pop(index))
    _renumber(photos)
    _touch(photo.item)
    record_event(actor, "item.photo_moved", photo.item, org_id=photo.org_id, move=action)
    db.session.commit()


def delete_photo(photo: ItemPhoto, actor: User) -> None:
    """Delete a photo and its files; the next one becomes primary if it was."""
    item = photo.item
    item.photos.remove(photo)
    _renumber(item.photos)
    _touch(item)
    record_event(actor, "item.photo_deleted", item, org_id=photo.org_id)
    db.session.commit()


@event.listens_for(ItemPhoto, "after_delete")
def _remember_files(_mapper: Any, _connection: Any, photo: ItemPhoto) -> None:
    """Note a deleted photo's files; they are removed only if the deletion commits."""
    session = Session.object_session(photo)
    if session is not None:
        session.info.setdefault(_PENDING_KEY, []).append((photo.org_id, photo.stored_stem))


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    """Remove the files of photos whose deletion was just committed."""
    for org_id, stem in session.info.pop(_PENDING_KEY, []):
        discard_stored(org_id, [stem])


@event.listens_for(Session, "after_soft_rollback")
def _keep_files(session: Session, _previous: Any) -> None:
    """Forget noted files when the deletion is rolled back: their rows are back."""
    session.info.pop(_PENDING_KEY, None)
