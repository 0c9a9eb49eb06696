"""Upload workflows: who may upload, creation within limits and quotas, appending, expiry and
hand-over.

The tus views call these; the recording form hands a finished upload over with
``get_completed_upload_or_404`` and ``claim_upload``; the job worker calls
``delete_expired_uploads``. Bytes go straight from the request stream to the ``.part`` file in
small chunks, so an upload is never held in memory. The stored offset only ever counts bytes
flushed to disk, and is recorded while they stream, so a killed web worker loses little.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, BinaryIO

from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ClientDisconnected

from media.uploads.models import Upload
from media.uploads.quotas import format_bytes, get_quota, lock_quota, over_quota_message
from portal.auth.models import Role, User
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db
from portal.storage import media_storage, upload_key

CHUNK_BYTES = 1024 * 1024
# While a chunk streams in, the offset is recorded (after an fsync) about this often, so a web
# worker killed mid-request loses at most the last second or so of what arrived.
CHECKPOINT_SECONDS = 1.0
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1}
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
UPLOADER_ROLES = frozenset({Role.STREAMER, Role.TRAINER, Role.ADMIN})
# C0/C1 controls (NUL is refused by PostgreSQL text) and the bidi controls that make a name
# display as something else ("clip\u202e4pm.exe" shows as "clipexe.mp4").
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class UploadTooLargeError(ServiceError):
    """The upload is larger than allowed or does not fit the quota (HTTP 413)."""

    status_code = 413


class UploadNotAllowedError(ServiceError):
    """The user may not upload (HTTP 403)."""

    status_code = 403


class OffsetMismatchError(ServiceError):
    """The client's offset is not where the upload stands (HTTP 409)."""

    status_code = 409


class UploadLockedError(ServiceError):
    """Another request is writing to the upload right now (HTTP 409)."""

    status_code = 409


class StorageFullError(ServiceError):
    """The media disk is full; what arrived is kept and the client may resume (HTTP 507)."""

    status_code = 507


class ChecksumMismatchError(ServiceError):
    """The chunk did not match its checksum and was dropped (tus: 460)."""

    status_code = 460


@dataclass(frozen=True)
class Checksum:
    """An ``Upload-Checksum``: algorithm name and expected digest."""

    algorithm: str
    digest: bytes


def clean_filename(name: str) -> str:
    """Return a client's file name fit to store and show: no control characters, 255 at most."""
    return _UNSHOWABLE.sub("", name).strip()[:255]


def can_upload(user: User) -> bool:
    """Tell whether ``user`` may start uploads (staff, streamers, approved merchants)."""
    if user.role in UPLOADER_ROLES:
        return True
    return user.is_merchant and user.org is not None and user.org.is_approved


def part_path(upload_id: str) -> Path:
    """Return the ``.part`` file of upload ``upload_id`` (a 32-digit hex id)."""
    return media_storage().path(upload_key(upload_id))


def _expiry(now: datetime) -> datetime:
    return now + timedelta(hours=current_app.config["UPLOAD_EXPIRY_HOURS"])


def _reserve_quota(owner: User, length: int) -> None:
    """Refuse ``length`` more bytes beyond the owner's quota; else hold it for the new upload.

    The quota's row stays locked until the caller commits the upload row, whose ``length`` is
    the reservation: parallel creations are counted one by one.
    """
    lock_quota(owner)
    quota = get_quota(owner)
    if quota.used_bytes + length > quota.limit_bytes:
        raise UploadTooLargeError(over_quota_message(quota, length))


def _check_size(length: int) -> None:
    """Refuse an upload larger than any upload may be."""
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    if length > max_bytes:
        raise UploadTooLargeError(
            _(
                "The file is %(size)s; the largest upload allowed is %(limit)s.",
                size=format_bytes(length),
                limit=format_bytes(max_bytes),
            )
        )


def create_upload(
    owner: User, length: int, *, filename: str = "", filetype: str = "", now: datetime | None = None
) -> Upload:
    """Start an upload of ``length`` bytes: check rules and limits, create the empty file."""
    if not can_upload(owner):
        raise UploadNotAllowedError(_("Your account may not upload videos yet."))
    if length < 1:
        raise ServiceError(_("The file is empty."))
    _check_size(length)
    _reserve_quota(owner, length)
    org_id = owner.org_id if owner.is_merchant else None
    now = now or utcnow()
    upload = Upload(
        owner_id=owner.id,
        org_id=org_id,
        length=length,
        offset=0,
        filename=clean_filename(filename),
        filetype=filetype[:255],
        expires_at=_expiry(now),
        created_at=now,
    )
    db.session.add(upload)
    db.session.flush()
    path = part_path(upload.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=False)
    try:
        db.session.commit()
    except SQLAlchemyError:
        path.unlink(missing_ok=True)  # no row, so no file either
        raise
    return upload


def _get_own_upload_or_404(upload_id: str, owner_id: int) -> Upload:
    return db.first_or_404(
        select(Upload).where(Upload.id == upload_id, Upload.owner_id == owner_id)
    )


def get_active_upload_or_404(upload_id: str, owner_id: int, now: datetime | None = None) -> Upload:
    """Load an upload of ``owner_id``; missing or foreign is 404.

    An expired upload, or one whose file has gone (removed by an operator), is deleted and
    answers 410, so the client starts afresh.
    """
    upload = _get_own_upload_or_404(upload_id, owner_id)
    file_gone = not media_storage().exists(upload_key(upload.id))
    if file_gone or upload.is_expired(now or utcnow()):
        # If a request is still writing, the cleaner removes it later.
        with suppress(UploadLockedError):
            discard_upload(upload)
        abort(410)
    return upload


def get_completed_upload_or_404(upload_id: str, owner_id: int) -> Upload:
    """Load a finished upload of ``owner_id``; missing, foreign or unfinished is 404."""
    upload = _get_own_upload_or_404(upload_id, owner_id)
    if not upload.is_complete:
        abort(404)
    return upload


@contextmanager
def _locked_part(upload: Upload) -> Iterator[IO[bytes]]:
    """Open the upload's file with an exclusive lock, or raise ``UploadLockedError``."""
    path = part_path(upload.id)
    with path.open("r+b", buffering=0) as part:
        try:
            fcntl.flock(part.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Lazy: the cleaner runs in the worker, outside any request (and its locale).
            raise UploadLockedError(_l("upload locked: another request is writing to it")) from None
        try:
            yield part
        finally:
            fcntl.flock(part.fileno(), fcntl.LOCK_UN)


def _sync_offset(upload: Upload, part: IO[bytes]) -> None:
    """Make the file and the stored offset agree (the row is the truth for what was kept)."""
    db.session.refresh(upload)
    size = os.fstat(part.fileno()).st_size
    if size > upload.offset:
        part.truncate(upload.offset)  # bytes of a request that died before recording them
    elif size < upload.offset:
        upload.offset = size
        db.session.commit()


def _write_all(part: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[part.write(view) or 0 :]


def _copy_stream(
    stream: BinaryIO,
    part: IO[bytes],
    limit: int,
    hasher: Any,
    checkpoint: Callable[[int], None] | None,
) -> int:
    """Append ``stream`` to ``part``; return bytes written; refuse more than ``limit``.

    ``checkpoint(written)``, if given, runs every ``CHECKPOINT_SECONDS`` or so.
    """
    written, last_checkpoint = 0, time.monotonic()
    while chunk := stream.read(CHUNK_BYTES):
        if written + len(chunk) > limit:
            raise UploadTooLargeError(_("The data goes past the end of the upload."))
        if hasher is not None:
            hasher.update(chunk)
        _write_all(part, chunk)
        written += len(chunk)
        if checkpoint is not None and time.monotonic() - last_checkpoint >= CHECKPOINT_SECONDS:
            checkpoint(written)
            last_checkpoint = time.monotonic()
    return written


@contextmanager
def _disk_full_as_507() -> Iterator[None]:
    """Turn a full disk (or quota of the file system) into ``StorageFullError``."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in DISK_FULL_ERRNOS:
            raise
        raise StorageFullError(
            _("The server is out of space. What arrived is kept; try again later to resume.")
        ) from exc


def _record(upload: Upload, part: IO[bytes], new_offset: int, now: datetime | None) -> None:
    """Keep the file up to ``new_offset`` and store that offset (finished when it is full).

    The bytes are flushed to disk before the offset is committed: the offset never counts
    bytes a crash could lose.
    """
    part.truncate(new_offset)
    os.fsync(part.fileno())
    now = now or utcnow()
    upload.offset = new_offset
    upload.expires_at = _expiry(now)  # an upload in progress stays alive
    if new_offset == upload.length:
        upload.completed_at = now
    db.session.commit()


def append_chunk(
    upload: Upload,
    stream: BinaryIO,
    offset: int,
    *,
    body_length: int | None = None,
    checksum: Checksum | None = None,
    now: datetime | None = None,
) -> int:
    """Append the bytes of ``stream`` at ``offset``; return the new offset.

    Only one request writes at a time; a full disk raises ``StorageFullError``.
    """
    with _disk_full_as_507(), _locked_part(upload) as part:
        _sync_offset(upload, part)
        if offset != upload.offset:
            raise OffsetMismatchError(
                _("Upload-Offset does not match the upload's current offset.")
            )
        if body_length is not None and body_length > upload.length - upload.offset:
            raise UploadTooLargeError(_("The data goes past the end of the upload."))
        db.session.commit()  # hold no transaction open while the body streams in
        _receive(upload, part, stream, checksum, now)
    return upload.offset


def _receive(
    upload: Upload,
    part: IO[bytes],
    stream: BinaryIO,
    checksum: Checksum | None,
    now: datetime | None,
) -> None:
    """Stream the body to the end of ``part`` and record what is kept.

    Without a checksum the offset is recorded every ``CHECKPOINT_SECONDS`` while streaming, so
    a killed worker keeps what was safely on disk. A chunk failing its checksum, or going past the
    end, is dropped (back to the last recorded offset). If the client goes away or the disk
    fills up mid-body, the bytes that arrived are kept and recorded (unless a checksum must
    vouch for them), so the client can resume.
    """
    start, limit = upload.offset, upload.length - upload.offset
    part.seek(start)
    hasher = CHECKSUM_ALGORITHMS[checksum.algorithm]() if checksum else None
    checkpoint = None if checksum else (lambda n: _record(upload, part, start + n, now))
    try:
        written = _copy_stream(stream, part, limit, hasher, checkpoint)
    except UploadTooLargeError:
        part.truncate(upload.offset)
        raise
    except (ClientDisconnected, OSError):
        # The client went away or the disk failed: keep the bytes that are safely written.
        kept = 0 if checksum else os.fstat(part.fileno()).st_size - start
        _record(upload, part, start + max(0, min(kept, limit)), now)
        raise
    if checksum is not None and hasher.digest() != checksum.digest:
        part.truncate(start)
        raise ChecksumMismatchError(_("Checksum mismatch: the chunk was dropped, send it again."))
    _record(upload, part, start + written, now)


def _remove_locked(upload: Upload) -> None:
    """Delete the file (under its lock) and the row; the caller commits."""
    try:
        with _locked_part(upload):
            part_path(upload.id).unlink()
    except FileNotFoundError:
        pass  # the file is already gone; remove the row all the same
    db.session.delete(upload)


def discard_upload(upload: Upload) -> None:
    """Remove an upload's file and row (termination, a cancelled form, expiry)."""
    _remove_locked(upload)
    db.session.commit()


def claim_upload(upload: Upload, key: str) -> None:
    """Move a finished upload's file to the storage ``key`` atomically and delete the row.

    The caller commits, together with the row that now owns the file.
    """
    if not upload.is_complete:
        raise ServiceError(_l("The upload is not finished yet."))
    with _locked_part(upload):
        media_storage().move(upload_key(upload.id), key)
    db.session.delete(upload)


def delete_expired_uploads(now: datetime | None = None) -> int:
    """Remove expired uploads (rows and files); return how many.

    An unfinished upload expires at ``expires_at``; a finished one that no form claimed (the
    user closed the page) is kept for the same expiry window after it finished, then removed.
    """
    now = now or utcnow()
    unfinished_expired = and_(Upload.completed_at.is_(None), Upload.expires_at <= now)
    unclaimed = Upload.completed_at <= now - (_expiry(now) - now)
    expired = db.session.scalars(select(Upload).where(or_(unfinished_expired, unclaimed))).all()
    removed = 0
    for upload in expired:
        try:
            _remove_locked(upload)
        except UploadLockedError:
            continue  # still being written to; next round
        removed += 1
    db.session.commit()
    return removed
