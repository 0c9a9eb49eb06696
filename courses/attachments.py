"""Lesson attachment files: an allowlist of kinds checked by content, stored under generated names.

Files are stored under ``course_attachment_key`` (``courses/attachments/<hex>.<ext>``); the
trainer's file name is kept only
for display and as the download name. Every file is served as a download, never inline.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import IO

from flask import Response
from flask_babel import gettext as _

from courses.models import LessonAttachment
from portal.errors import ServiceError
from portal.storage import course_attachment_key, media_storage
from portal.web import send_private_file

MAX_BYTES = 20 * 1024**2
CHUNK_BYTES = 1024**2

OFFICE = "application/vnd.openxmlformats-officedocument"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": f"{OFFICE}.wordprocessingml.document",
    "xlsx": f"{OFFICE}.spreadsheetml.sheet",
    "pptx": f"{OFFICE}.presentationml.presentation",
    "txt": "text/plain",
    "zip": "application/zip",
}
OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
MAGIC = {"pdf": b"%PDF-", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n"}


@dataclass(frozen=True)
class StoredAttachment:
    """A checked file on disk, ready for its ``LessonAttachment`` row."""

    stored_name: str
    filename: str
    content_type: str
    size_bytes: int


def attachment_path(stored_name: str) -> Path:
    """Return the path of a stored attachment (a bare name)."""
    return media_storage().path(course_attachment_key(stored_name))


def allowed_extensions() -> str:
    """Return the accepted kinds for help texts, e.g. ``pdf, jpg, png…``."""
    return ", ".join(k for k in CONTENT_TYPES if k != "jpeg")


def clean_filename(filename: str) -> str:
    """Return the display name of an upload: no folders, no control characters, ≤ 255 chars."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-255:]


def _extension(filename: str) -> str:
    extension = PurePosixPath(filename).suffix.lower().lstrip(".")
    if extension not in CONTENT_TYPES:
        raise ServiceError(
            _("This kind of file is not allowed. Allowed: %(kinds)s.", kinds=allowed_extensions()),
            field="file",
        )
    return extension


def _copy_capped(stream: IO[bytes], target: Path, max_bytes: int) -> int:
    """Copy ``stream`` to ``target`` in chunks; refuse it once it passes ``max_bytes``."""
    size = 0
    with target.open("wb") as out:
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise ServiceError(
                    _("The file is larger than %(size)s MB.", size=round(max_bytes / 1024**2, 1)),
                    field="file",
                )
            out.write(chunk)
    if size == 0:
        raise ServiceError(_("The file is empty."), field="file")
    return size


def _content_matches(path: Path, extension: str) -> bool:
    """Tell whether the file's bytes are what its extension claims."""
    if extension in MAGIC:
        with path.open("rb") as f:
            return f.read(len(MAGIC[extension])) == MAGIC[extension]
    if extension == "txt":
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    if not zipfile.is_zipfile(path):
        return False
    if extension == "zip":
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    folder = OFFICE_FOLDERS[extension]
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def store_attachment(
    stream: IO[bytes], filename: str, max_bytes: int = MAX_BYTES
) -> StoredAttachment:
    """Check an uploaded file (kind, size, content) and store it under a generated name.

    A refused file raises ``ServiceError`` (field ``file``) and leaves nothing on disk.
    """
    display_name = clean_filename(filename)
    extension = _extension(display_name)
    stored_name = f"{uuid.uuid4().hex}.{extension}"
    with media_storage().writing(course_attachment_key(stored_name)) as temporary:
        size = _copy_capped(stream, temporary, max_bytes)
        if not _content_matches(temporary, extension):
            raise ServiceError(
                _("The file's content does not match its kind (.%(kind)s).", kind=extension),
                field="file",
            )
    return StoredAttachment(stored_name, display_name, CONTENT_TYPES[extension], size)


def delete_attachment_file(stored_name: str | None) -> None:
    """Remove a stored attachment file if there is one."""
    if stored_name:
        media_storage().delete(course_attachment_key(stored_name))


def send_attachment(attachment: LessonAttachment) -> Response:
    """Serve an attachment as a download under its original name."""
    return send_private_file(
        attachment_path(attachment.stored_name),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )
