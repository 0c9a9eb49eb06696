"""A disk that fills up during an upload: a tus 507 with a readable reason, nothing lost, resumable.

The media root sits on a real 2 MiB tmpfs (``small_disk``), so the kernel itself answers the
write with ENOSPC; the tests skip where mounting is impossible (not root).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from tests.media.uploads.conftest import load_upload, resize_tmpfs

MIB = 1024 * 1024


@pytest.fixture
def app_config(small_disk: Path) -> dict[str, Any]:
    return {"MEDIA_ROOT": str(small_disk)}


def test_disk_full_mid_patch_answers_507_keeps_bytes_and_resumes(app, tus, small_disk):
    data = os.urandom(3 * MIB)
    upload_id = tus.start(len(data))

    full = tus.patch(upload_id, data, 0)

    assert full.status_code == 507
    assert full.mimetype == "text/plain"
    assert "The server is out of space" in full.text
    assert full.headers["Tus-Resumable"] == "1.0.0"
    kept = int(tus.head(upload_id).headers["Upload-Offset"])
    assert 0 < kept < len(data)
    assert tus.path(upload_id).read_bytes() == data[:kept]
    assert load_upload(app, upload_id).offset == kept

    resize_tmpfs(small_disk, "8m")  # an operator frees space; the client resumes later
    assert tus.patch(upload_id, data[kept:], kept).status_code == 204
    assert hashlib.sha1(tus.path(upload_id).read_bytes()).digest() == hashlib.sha1(data).digest()
    assert load_upload(app, upload_id).completed_at is not None


def test_disk_full_message_is_translated(tus, small_disk):
    upload_id = tus.start(3 * MIB)
    tus.client.get("/?lang=zh_Hans_CN")
    full = tus.patch(upload_id, os.urandom(3 * MIB), 0)
    assert full.status_code == 507
    assert "服务器存储空间已满" in full.text
