"""Photos in a catalog import: a zip file holding the CSV and the images its ``photos`` column
names (``a.jpg;b.jpg``).

Nothing is ever extracted to disk: members are read into memory, each at most the image size
limit, so a member's name (``../../x``, an absolute path) never becomes a path (no zip slip),
and declared sizes that lie cannot exhaust memory or disk (no zip bomb). The whole archive is
capped in size, member count and unpacked size before anything is read.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import asdict
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _

from portal.catalog import photos
from portal.errors import ServiceError

if TYPE_CHECKING:
    from portal.catalog.csv_io import ImportRow

MAX_ZIP_BYTES = 200 * 1024**2
MAX_UNZIPPED_BYTES = 1024**3
MAX_MEMBERS = 10_000
NAME_SEPARATORS = (";", "；")


def split_photo_names(text: str) -> list[str]:
    """Split a ``photos`` cell (``a.jpg;b.jpg``) into file names, without repeats."""
    for separator in NAME_SEPARATORS[1:]:
        text = text.replace(separator, NAME_SEPARATORS[0])
    return list(dict.fromkeys(name.strip() for name in text.split(";") if name.strip()))


def _normal(name: str) -> str | None:
    """Return a member or cell name as a relative POSIX path, or None if it could leave the root."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in name:
        return None
    return str(path).removeprefix("./")


class PhotoArchive:
    """The image members of an uploaded zip file, found by path or by a unique file name."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        """Index the archive's safe, regular members."""
        self.archive = archive
        self.by_path: dict[str, zipfile.ZipInfo] = {}
        by_name: dict[str, list[zipfile.ZipInfo]] = {}
        for info in archive.infolist():
            path = _normal(info.filename)
            if path is None or info.is_dir() or path.startswith("__MACOSX/"):
                continue
            self.by_path[path] = info
            by_name.setdefault(PurePosixPath(path).name, []).append(info)
        self.by_name = {name: infos[0] for name, infos in by_name.items() if len(infos) == 1}

    def csv_member(self) -> bytes:
        """Return the bytes of the archive's one CSV file."""
        found = [
            info
            for path, info in self.by_path.items()
            if path.lower().endswith(".csv") and not PurePosixPath(path).name.startswith(".")
        ]
        if len(found) != 1:
            message = _("The zip file needs exactly one .csv file (it holds %(count)s).")
            raise ServiceError(message % {"count": len(found)}, field="file")
        return self._read(found[0], 5 * 1024**2)

    def read(self, name: str, max_bytes: int) -> bytes:
        """Return the bytes of the member ``name`` names, or raise a ``ServiceError``."""
        path = _normal(name)
        if path is None:
            raise ServiceError(_("photo %(name)s: this name is not allowed", name=name))
        info = self.by_path.get(path) or self.by_name.get(PurePosixPath(path).name)
        if info is None:
            raise ServiceError(_("photo %(name)s is not in the zip file", name=name))
        return self._read(info, max_bytes)

    def _read(self, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
        try:
            with self.archive.open(info) as member:
                return member.read(max_bytes + 1)
        # zipfile raises RuntimeError for an encrypted member and NotImplementedError for a
        # compression method it cannot read: to the merchant, both are an unreadable photo.
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
            raise ServiceError(
                _("%(name)s cannot be read from the zip file", name=info.filename)
            ) from exc


def open_upload(raw: bytes) -> tuple[bytes, PhotoArchive | None]:
    """Return an upload's CSV bytes and, when it is a zip file, the archive with its photos."""
    if not raw.startswith(b"PK\x03\x04"):
        return raw, None
    if len(raw) > MAX_ZIP_BYTES:
        raise ServiceError(
            _("The zip file is larger than %(size)s MB.", size=MAX_ZIP_BYTES // 1024**2),
            field="file",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError) as exc:
        raise ServiceError(_("This file is not a readable zip file."), field="file") from exc
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ServiceError(
            _("The zip file holds more than %(count)s files.", count=MAX_MEMBERS), field="file"
        )
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise ServiceError(
            _("The zip file unpacks to more than %(size)s MB.", size=MAX_UNZIPPED_BYTES // 1024**2),
            field="file",
        )
    photo_archive = PhotoArchive(archive)
    return photo_archive.csv_member(), photo_archive


def _row_uploads(row: ImportRow, archive: PhotoArchive, max_bytes: int) -> list[tuple[str, bytes]]:
    uploads = []
    for name in row.photo_names:
        try:
            uploads.append((name, archive.read(name, max_bytes)))
        except ServiceError as exc:
            row.errors.append(exc.message)
    return uploads


def stage_photos(rows: list[ImportRow], archive: PhotoArchive | None, org_id: int) -> None:
    """Store, re-encoded, the photos each row names, or note why not in the row's errors.

    With an error in any row nothing is imported, so every stored photo is removed again.
    """
    max_bytes = current_app.config["MAX_IMAGE_BYTES"]
    for row in rows:
        if not row.photo_names:
            continue
        if archive is None:
            row.errors.append(_("photos need a zip file holding the CSV and the images"))
            continue
        uploads = _row_uploads(row, archive, max_bytes)
        if len(uploads) != len(row.photo_names):
            continue
        try:
            stored = photos.store_uploads(uploads, org_id, photos.MAX_PHOTOS)
        except ServiceError as exc:
            row.errors.append(exc.message)
        else:
            row.photos = [asdict(photo) for photo in stored]
    if any(row.errors for row in rows):
        discard_staged(rows, org_id)


def discard_staged(rows: list[ImportRow], org_id: int) -> None:
    """Remove the photos stored for rows that will not be imported."""
    for row in rows:
        stems = [photo["stored_stem"] for photo in row.photos]
        photos.discard_stored(org_id, stems)
        row.photos = []
