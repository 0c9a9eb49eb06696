"""Helpers for the upload tests: a tus client over the Flask test client, files and rows."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from media.uploads.models import Upload
from portal.extensions import db
from portal.storage import media_storage, upload_key

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = "application/offset+octet-stream"


def encode_metadata(**values: str) -> str:
    """Build an ``Upload-Metadata`` header."""
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def sha1_header(data: bytes) -> str:
    """Build an ``Upload-Checksum`` header for ``data``."""
    return "sha1 " + base64.b64encode(hashlib.sha1(data).digest()).decode()


def sha256_file(path: Path) -> str:
    """Hash a file without loading it whole."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Tus:
    """A tiny tus client over a Flask test client."""

    app: Flask
    client: FlaskClient

    def create(self, length: int, filename: str = "直播 2024.mp4", **headers: str) -> Any:
        """POST a creation request."""
        return self.client.post(
            "/uploads/",
            headers={
                **TUS,
                "Upload-Length": str(length),
                "Upload-Metadata": encode_metadata(filename=filename, filetype="video/mp4"),
                **headers,
            },
        )

    def start(self, length: int, **kwargs: Any) -> str:
        """Create an upload and return its id."""
        response = self.create(length, **kwargs)
        assert response.status_code == 201, response.text
        return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    def patch(self, upload_id: str, data: bytes, offset: int, **headers: str) -> Any:
        """Send one PATCH with ``data`` at ``offset``."""
        return self.client.patch(
            f"/uploads/{upload_id}",
            data=data,
            headers={**TUS, "Content-Type": OCTETS, "Upload-Offset": str(offset), **headers},
        )

    def head(self, upload_id: str) -> Any:
        """Ask where the upload stands."""
        return self.client.head(f"/uploads/{upload_id}", headers=TUS)

    def delete(self, upload_id: str) -> Any:
        """Terminate the upload."""
        return self.client.delete(f"/uploads/{upload_id}", headers=TUS)

    def path(self, upload_id: str) -> Path:
        """Return the upload's ``.part`` file."""
        return media_storage(self.app).path(upload_key(upload_id))


@pytest.fixture
def tus_as(app: Flask, client_as: Any) -> Any:
    """A tus client signed in as a given user (messages in English, for the assertions)."""

    def build(user: Any) -> Tus:
        browser = client_as(user)
        browser.get("/?lang=en")
        return Tus(app, browser)

    return build


@pytest.fixture
def tus(tus_as: Any, merchant: Any) -> Tus:
    """A tus client signed in as the approved merchant."""
    return tus_as(merchant)


def load_upload(app: Flask, upload_id: str) -> Upload | None:
    """Read an upload row afresh (detached)."""
    with app.app_context():
        upload = db.session.get(Upload, upload_id)
        if upload is not None:
            db.session.expunge(upload)
        return upload


def upload_ids(app: Flask) -> list[str]:
    """Return the ids of every upload row."""
    with app.app_context():
        return list(db.session.scalars(select(Upload.id)))


def resize_tmpfs(mount: Path, size: str) -> None:
    """Give a tmpfs mounted by ``small_disk`` a new size (e.g. ``8m``)."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB file system (tmpfs), for a full disk; mounting needs root, else the test skips."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "--lazy", str(mount)], check=True)


def rss_bytes() -> int:
    """Return this process's resident memory."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


class Body:
    """A request body of ``size`` announced bytes, generated on demand, that can stop early.

    The test client needs ``seek``/``tell`` to learn the length; ``read`` stops at
    ``available`` (a client that went away), or raises ``crash`` there (the process serving the
    request is stopped), waits ``delay_s`` per read (a slow link), and records the peak RSS
    seen while reading.
    """

    def __init__(
        self,
        size: int,
        data: bytes | None = None,
        available: int | None = None,
        crash: type[BaseException] | None = None,
        delay_s: float = 0,
    ):
        self.size, self.pos = size, 0
        self.available = size if available is None else available
        self.crash, self.delay_s = crash, delay_s
        self.data = data
        self.block = os.urandom(64 * 1024)
        self.digest = hashlib.sha256()
        self.peak_rss = rss_bytes()

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = {0: 0, 1: self.pos, 2: self.size}[whence] + offset
        return self.pos

    def _bytes(self, start: int, count: int) -> bytes:
        if self.data is not None:
            return self.data[start : start + count]
        first = start % len(self.block)
        return (self.block * ((first + count) // len(self.block) + 1))[first : first + count]

    def read(self, size: int = -1) -> bytes:
        left = max(0, self.available - self.pos)
        if not left and self.crash is not None:
            raise self.crash()
        time.sleep(self.delay_s)
        count = left if size is None or size < 0 else min(size, left)
        chunk = self._bytes(self.pos, count)
        self.pos += count
        self.digest.update(chunk)
        self.peak_rss = max(self.peak_rss, rss_bytes())
        return chunk
