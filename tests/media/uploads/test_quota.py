"""Upload quotas: reserved at creation for every role, race-free, freed when an upload goes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from media.recordings.models import Recording
from media.uploads.services import delete_expired_uploads
from portal.auth.models import Role
from portal.database import utcnow
from portal.extensions import db
from portal.organisations.models import BASE_ORG_SLUG
from tests.media.uploads.conftest import load_upload, upload_ids

GIB = 1024**3
SMALL_QUOTAS = {"ORG_QUOTA_BYTES": 4000, "STREAMER_QUOTA_BYTES": 4000, "STAFF_QUOTA_BYTES": 4000}


@contextmanager
def usage_reads_meet(app: Flask, parties: int) -> Iterator[None]:
    """Hold each request that has just read the upload usage until all have, or 2 s passed.

    Without a lock around check-and-reserve, every request then sees the same usage before any
    reserves (the worst interleaving, made certain). With the lock, the first request waits
    here alone while the others wait for the lock; the barrier breaks after 2 s and each goes on.
    """
    barrier = threading.Barrier(parties)

    def meet(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "sum(upload.length)" in statement.lower():
            with suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=2)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", meet)
    try:
        yield
    finally:
        event.remove(engine, "after_cursor_execute", meet)


@pytest.mark.parametrize("app_config", [SMALL_QUOTAS])
@pytest.mark.parametrize("role", [Role.MERCHANT, Role.STREAMER])
def test_parallel_creations_cannot_overbook_the_quota(app, tus_as, make_user, merchant_org, role):
    user = make_user(role, merchant_org if role == Role.MERCHANT else None)
    clients = [tus_as(user) for _ in range(6)]
    with usage_reads_meet(app, len(clients)), ThreadPoolExecutor(len(clients)) as pool:
        statuses = sorted(pool.map(lambda tus: tus.create(1000).status_code, clients))
    assert statuses == [201] * 4 + [413] * 2
    assert sum(load_upload(app, upload_id).length for upload_id in upload_ids(app)) == 4000


@pytest.mark.parametrize("app_config", [{"STREAMER_QUOTA_BYTES": 5000}])
def test_streamer_over_own_quota_is_refused(app, tus_as, streamer, make_user):
    tus = tus_as(streamer)
    tus.start(3000)
    refused = tus.create(2001)
    assert refused.status_code == 413
    assert refused.mimetype == "text/plain"
    assert "does not fit your storage quota: 2.9 kB of 4.9 kB used" in refused.text
    assert len(upload_ids(app)) == 1
    assert tus_as(make_user(Role.STREAMER)).create(5000).status_code == 201  # their own quota
    assert tus.create(2000).status_code == 201


@pytest.mark.parametrize("app_config", [{"STREAMER_QUOTA_BYTES": 5000}])
def test_streamer_practice_videos_count_against_their_quota(app, tus_as, streamer, make_org):
    base = make_org(BASE_ORG_SLUG)
    with app.app_context():
        video = Recording(
            org_id=base.id, title="练习", stored_name="x.mp4", size_bytes=4000,
            created_by_id=streamer.id,
        )  # fmt: skip
        db.session.add(video)
        db.session.commit()
    tus = tus_as(streamer)
    assert tus.create(1001).status_code == 413
    assert tus.create(1000).status_code == 201


@pytest.mark.parametrize("app_config", [{"STAFF_QUOTA_BYTES": 5000}])
@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_staff_over_own_quota_is_refused(app, tus_as, make_user, role):
    tus = tus_as(make_user(role))
    assert tus.create(5001).status_code == 413
    assert tus.create(5000).status_code == 201


@pytest.mark.parametrize("app_config", [{"ORG_QUOTA_BYTES": 5000}])
def test_terminating_an_upload_frees_its_reservation(app, tus):
    upload_id = tus.start(5000)
    assert tus.create(1).status_code == 413
    assert tus.delete(upload_id).status_code == 204
    assert tus.create(5000).status_code == 201


@pytest.mark.parametrize("app_config", [{"STREAMER_QUOTA_BYTES": 5000}])
def test_expired_upload_frees_its_reservation(app, tus_as, streamer):
    tus = tus_as(streamer)
    tus.start(5000)
    assert tus.create(1).status_code == 413
    with app.app_context():
        assert delete_expired_uploads(utcnow() + timedelta(hours=25)) == 1
    assert tus.create(5000).status_code == 201


def test_quota_note_tells_merchant_what_is_free(app, tus):
    tus.start(GIB)  # reserved from creation, before any byte arrives
    note = tus.client.get("/uploads/quota")
    assert note.status_code == 200
    assert "Your organisation's storage: 199.0 GB of 200.0 GB free." in note.text
    tus.client.get("/?lang=zh_Hans_CN")
    assert "店铺存储空间：剩余 199.0 GB，共 200.0 GB。" in tus.client.get("/uploads/quota").text


def test_quota_note_tells_streamer_their_own_space(app, tus_as, streamer):
    note = tus_as(streamer).client.get("/uploads/quota")
    assert "Your storage: 5.0 GB of 5.0 GB free." in note.text


def test_recordings_page_loads_the_quota_note_in_the_widget(client_as, merchant):
    page = client_as(merchant).get("/media/recordings/")
    assert page.status_code == 200
    assert 'hx-get="/uploads/quota"' in page.text


def test_visitor_gets_no_quota_note(client):
    assert client.get("/uploads/quota").status_code in {302, 401}
