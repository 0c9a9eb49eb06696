"""Upload a file over tus the way the resumable widget does, for HTTP tests."""

from __future__ import annotations

import base64
from typing import Any

TUS = {"Tus-Resumable": "1.0.0"}


def tus_upload(client: Any, data: bytes, filename: str = "upload.mp4") -> str:
    """Upload ``data`` in two PATCH requests, as the widget does; return the upload id."""
    encoded = base64.b64encode(filename.encode()).decode()
    created = client.post(
        "/uploads/",
        headers={**TUS, "Upload-Length": str(len(data)), "Upload-Metadata": f"filename {encoded}"},
    )
    assert created.status_code == 201, created.text
    upload_id = created.headers["Location"].rsplit("/", 1)[-1]
    half = len(data) // 2
    for offset, chunk in ((0, data[:half]), (half, data[half:])):
        patched = client.patch(
            f"/uploads/{upload_id}",
            data=chunk,
            headers={
                **TUS,
                "Content-Type": "application/offset+octet-stream",
                "Upload-Offset": str(offset),
            },
        )
        assert patched.status_code == 204, patched.text
    return upload_id
