"""A web worker stopped mid-PATCH (killed, timed out): the offset is what was safely on disk.

The request body stops with ``SystemExit`` part-way, as in a gunicorn worker stopped while
reading (a kill -9 runs nothing at all: the same for the row and the file, whose lock the kernel
drops). No handler of the upload code runs, so only what it recorded while streaming counts.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from media.uploads.services import CHUNK_BYTES
from tests.media.uploads.conftest import OCTETS, TUS, Body, load_upload, sha1_header

MIB = 1024 * 1024


def _patch_until_crash(tus, upload_id: str, data: bytes, sent: int, **headers: str) -> None:
    # A slow link: about 4 reads of 1 MiB a second, so the stream outlasts a checkpoint.
    body = Body(len(data), data=data, available=sent, crash=SystemExit, delay_s=0.25)
    with pytest.raises(SystemExit):
        tus.client.patch(
            f"/uploads/{upload_id}",
            input_stream=body,
            headers={**TUS, "Content-Type": OCTETS, "Upload-Offset": "0", **headers},
        )


def test_worker_stopped_mid_patch_keeps_the_offset_of_bytes_on_disk(app, tus):
    data = os.urandom(7 * MIB + 123)
    upload_id = tus.start(len(data))
    sent = 5 * MIB + 17

    _patch_until_crash(tus, upload_id, data, sent)

    offset = int(tus.head(upload_id).headers["Upload-Offset"])
    assert sent - 2 * CHUNK_BYTES <= offset <= sent
    assert tus.path(upload_id).read_bytes()[:offset] == data[:offset]
    rest = data[offset:]
    resumed = tus.patch(upload_id, rest, offset, **{"Upload-Checksum": sha1_header(rest)})
    assert resumed.status_code == 204
    assert hashlib.sha1(tus.path(upload_id).read_bytes()).digest() == hashlib.sha1(data).digest()
    assert load_upload(app, upload_id).completed_at is not None


def test_worker_stopped_mid_checksummed_patch_keeps_nothing_unverified(app, tus):
    data = os.urandom(7 * MIB)
    upload_id = tus.start(len(data))

    _patch_until_crash(tus, upload_id, data, 5 * MIB, **{"Upload-Checksum": sha1_header(data)})

    assert tus.head(upload_id).headers["Upload-Offset"] == "0"
    assert tus.patch(upload_id, data, 0).status_code == 204  # the stray bytes are cut off first
    assert hashlib.sha1(tus.path(upload_id).read_bytes()).digest() == hashlib.sha1(data).digest()
