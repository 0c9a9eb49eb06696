"""The tus 1.0 server over HTTP: creation, resume, limits, checksum, locking, expiry, access."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from media.uploads.models import Upload
from media.uploads.services import delete_expired_uploads
from portal.auth.models import Role
from portal.database import utcnow
from portal.extensions import db
from portal.organisations.models import OrgStatus
from tests.media.uploads.conftest import (
    OCTETS,
    TUS,
    Body,
    load_upload,
    rss_bytes,
    sha1_header,
    sha256_file,
    upload_ids,
)

MIB = 1024 * 1024


def test_visitor_discovers_tus_options(client):
    response = client.options("/uploads/")
    assert response.status_code == 204
    assert response.headers["Tus-Resumable"] == "1.0.0"
    assert response.headers["Tus-Version"] == "1.0.0"
    extensions = set(response.headers["Tus-Extension"].split(","))
    assert extensions == {"creation", "termination", "expiration", "checksum"}
    assert int(response.headers["Tus-Max-Size"]) == 20 * 1024**3
    assert response.headers["Tus-Checksum-Algorithm"] == "sha1"


def test_merchant_creates_upload_and_gets_empty_file(app, tus, merchant, merchant_org):
    response = tus.create(1000, filename="../../etc/passwd")
    assert response.status_code == 201
    assert response.headers["Tus-Resumable"] == "1.0.0"
    assert "Upload-Expires" in response.headers
    location = response.headers["Location"]
    assert re.fullmatch(r"http://localhost/uploads/[0-9a-f]{32}", location)
    upload_id = location.rsplit("/", 1)[-1]
    assert tus.path(upload_id).read_bytes() == b""
    upload = load_upload(app, upload_id)
    assert upload.owner_id == merchant.id
    assert upload.org_id == merchant_org.id
    assert (upload.length, upload.offset, upload.completed_at) == (1000, 0, None)
    assert upload.filename == "../../etc/passwd"  # shown only; the path uses the id
    assert upload.filetype == "video/mp4"


def test_merchant_resumes_after_half_and_file_is_identical(app, tus):
    data = os.urandom(3 * MIB + 123)
    upload_id = tus.start(len(data))
    half = len(data) // 2

    first = tus.patch(upload_id, data[:half], 0)
    assert first.status_code == 204
    assert first.headers["Upload-Offset"] == str(half)

    head = tus.head(upload_id)
    assert head.status_code == 200
    assert head.headers["Upload-Offset"] == str(half)
    assert head.headers["Upload-Length"] == str(len(data))
    assert head.headers["Cache-Control"] == "no-store"
    assert "Upload-Expires" in head.headers
    assert head.headers["Tus-Resumable"] == "1.0.0"
    assert load_upload(app, upload_id).completed_at is None

    rest = tus.patch(upload_id, data[half:], half)
    assert rest.status_code == 204
    assert rest.headers["Upload-Offset"] == str(len(data))
    assert sha256_file(tus.path(upload_id)) == hashlib.sha256(data).hexdigest()
    assert load_upload(app, upload_id).completed_at is not None


def test_merchant_patches_wrong_offset_gets_409(tus):
    upload_id = tus.start(100)
    assert tus.patch(upload_id, b"x" * 10, 0).status_code == 204
    response = tus.patch(upload_id, b"y" * 10, 0)
    assert response.status_code == 409
    assert tus.path(upload_id).read_bytes() == b"x" * 10


@pytest.mark.parametrize("app_config", [{"MAX_UPLOAD_BYTES": 1000}])
def test_merchant_over_max_size_is_refused_before_upload(app, tus):
    response = tus.create(1001)
    assert response.status_code == 413
    assert response.mimetype == "text/plain"
    assert "1,000 byte" in response.text  # the limit, in Babel's units
    assert response.headers["Tus-Resumable"] == "1.0.0"
    assert upload_ids(app) == []
    assert tus.create(1000).status_code == 201


@pytest.mark.parametrize("app_config", [{"ORG_QUOTA_BYTES": 5000}])
def test_merchant_over_org_quota_is_refused(app, tus_as, make_user, merchant, merchant_org):
    tus = tus_as(merchant)
    tus.start(3000)
    colleague = tus_as(make_user(Role.MERCHANT, merchant_org))
    response = colleague.create(2001)
    assert response.status_code == 413
    assert "quota" in response.text
    assert len(upload_ids(app)) == 1
    assert colleague.create(2000).status_code == 201


@pytest.mark.parametrize("app_config", [{"ORG_QUOTA_BYTES": 5000}])
def test_quota_counts_only_own_organisation(tus_as, make_user, make_org, merchant):
    tus_as(merchant).start(5000)
    other = tus_as(make_user(Role.MERCHANT, make_org()))
    assert other.create(5000).status_code == 201


def test_checksum_mismatch_answers_460_and_keeps_offset(app, tus):
    upload_id = tus.start(20)
    assert (
        tus.patch(
            upload_id, b"a" * 10, 0, **{"Upload-Checksum": sha1_header(b"a" * 10)}
        ).status_code
        == 204
    )
    bad = tus.patch(upload_id, b"b" * 10, 10, **{"Upload-Checksum": sha1_header(b"c" * 10)})
    assert bad.status_code == 460
    assert bad.headers["Tus-Resumable"] == "1.0.0"
    assert load_upload(app, upload_id).offset == 10
    assert tus.path(upload_id).read_bytes() == b"a" * 10
    assert tus.head(upload_id).headers["Upload-Offset"] == "10"


def test_unknown_checksum_algorithm_is_400(tus):
    upload_id = tus.start(10)
    response = tus.patch(upload_id, b"a" * 10, 0, **{"Upload-Checksum": "md5 AAAA"})
    assert response.status_code == 400


def test_body_past_upload_length_is_413_and_nothing_written(tus):
    upload_id = tus.start(10)
    response = tus.patch(upload_id, b"z" * 11, 0)
    assert response.status_code == 413
    assert tus.path(upload_id).read_bytes() == b""
    assert tus.head(upload_id).headers["Upload-Offset"] == "0"


def test_wrong_content_type_is_415(tus):
    upload_id = tus.start(10)
    response = tus.client.patch(
        f"/uploads/{upload_id}",
        data=b"a" * 10,
        headers={**TUS, "Content-Type": "application/octet-stream", "Upload-Offset": "0"},
    )
    assert response.status_code == 415
    assert tus.path(upload_id).read_bytes() == b""


def test_missing_tus_resumable_is_412(tus, app):
    response = tus.client.post("/uploads/", headers={"Upload-Length": "10"})
    assert response.status_code == 412
    assert response.headers["Tus-Version"] == "1.0.0"
    assert upload_ids(app) == []
    upload_id = tus.start(10)
    assert tus.client.head(f"/uploads/{upload_id}").status_code == 412


def test_bad_upload_length_is_400(tus):
    assert tus.client.post("/uploads/", headers={**TUS, "Upload-Length": "-5"}).status_code == 400
    assert tus.client.post("/uploads/", headers={**TUS, "Upload-Length": "0"}).status_code == 400
    assert tus.client.post("/uploads/", headers=TUS).status_code == 400


def test_expired_upload_answers_410_and_cleaner_removes_files(app, tus):
    expired_id, active_id = tus.start(10), tus.start(10)
    finished_id = tus.start(3)
    tus.patch(finished_id, b"abc", 0)
    with app.app_context():
        past = utcnow() - timedelta(minutes=1)
        db.session.execute(
            update(Upload).where(Upload.id.in_([expired_id, finished_id])).values(expires_at=past)
        )
        db.session.commit()

    assert tus.head(expired_id).status_code == 410
    assert not tus.path(expired_id).exists()
    assert load_upload(app, expired_id) is None

    stale_id = tus.start(10)
    with app.app_context():
        assert delete_expired_uploads(utcnow() + timedelta(hours=1)) == 0
    assert tus.path(finished_id).read_bytes() == b"abc"  # finished: waits for its form

    with app.app_context():
        removed = delete_expired_uploads(utcnow() + timedelta(hours=25))
    assert removed == 3  # the active and stale uploads, and the finished one nobody claimed
    assert not tus.path(active_id).exists()
    assert not tus.path(stale_id).exists()
    assert not tus.path(finished_id).exists()
    assert upload_ids(app) == []


def test_upload_whose_file_vanished_answers_410_and_is_forgotten(app, tus):
    upload_id = tus.start(10)
    tus.path(upload_id).unlink()
    assert tus.patch(upload_id, b"x" * 10, 0).status_code == 410
    assert upload_ids(app) == []


def test_cleaner_keeps_uploads_before_expiry(app, tus):
    upload_id = tus.start(10)
    with app.app_context():
        assert delete_expired_uploads(utcnow()) == 0
    assert tus.path(upload_id).exists()


@pytest.mark.parametrize("same_org", [True, False])
def test_other_user_gets_404_for_foreign_upload(
    tus, tus_as, make_user, make_org, merchant_org, same_org
):
    upload_id = tus.start(10)
    other = tus_as(make_user(Role.MERCHANT, merchant_org if same_org else make_org()))
    assert other.head(upload_id).status_code == 404
    assert other.patch(upload_id, b"x" * 10, 0).status_code == 404
    assert other.delete(upload_id).status_code == 404
    assert tus.path(upload_id).read_bytes() == b""
    assert tus.head(upload_id).headers["Upload-Offset"] == "0"


def test_unknown_upload_is_404(tus):
    assert tus.head("0" * 32).status_code == 404
    assert tus.head("not-an-id").status_code == 404


def test_merchant_terminates_upload(app, tus):
    upload_id = tus.start(10)
    tus.patch(upload_id, b"12345", 0)
    response = tus.delete(upload_id)
    assert response.status_code == 204
    assert response.headers["Tus-Resumable"] == "1.0.0"
    assert not tus.path(upload_id).exists()
    assert upload_ids(app) == []
    assert tus.head(upload_id).status_code == 404


def test_visitor_cannot_create_upload(app, client):
    client.get("/?lang=en")
    response = client.post("/uploads/", headers={**TUS, "Upload-Length": "10"})
    assert response.status_code == 401
    assert "Sign in" in response.text
    assert response.headers["Tus-Resumable"] == "1.0.0"
    assert upload_ids(app) == []


def test_merchant_of_pending_org_gets_403(app, tus_as, make_user, make_org):
    pending = make_user(Role.MERCHANT, make_org(status=OrgStatus.PENDING))
    response = tus_as(pending).create(10)
    assert response.status_code == 403
    assert upload_ids(app) == []


@pytest.mark.parametrize("role", [Role.STREAMER, Role.TRAINER, Role.ADMIN])
def test_staff_and_streamers_upload_without_org(app, tus_as, make_user, role):
    tus = tus_as(make_user(role))
    upload_id = tus.start(4)
    assert tus.patch(upload_id, b"abcd", 0).status_code == 204
    upload = load_upload(app, upload_id)
    assert upload.org_id is None
    assert upload.completed_at is not None


def test_concurrent_append_gets_409_and_file_is_intact(tus):
    upload_id = tus.start(20)
    tus.patch(upload_id, b"a" * 5, 0)
    with tus.path(upload_id).open("r+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        response = tus.patch(upload_id, b"b" * 5, 5)
        assert response.status_code == 409
        assert "upload locked" in response.text
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    assert tus.path(upload_id).read_bytes() == b"a" * 5
    assert tus.head(upload_id).headers["Upload-Offset"] == "5"
    assert tus.patch(upload_id, b"b" * 5, 5).status_code == 204


def test_client_disconnect_keeps_bytes_that_arrived(app, tus):
    data = os.urandom(3 * MIB)
    upload_id = tus.start(len(data))
    sent = 2 * MIB + 17
    response = tus.client.patch(
        f"/uploads/{upload_id}",
        input_stream=Body(len(data), data=data, available=sent),
        headers={**TUS, "Content-Type": OCTETS, "Upload-Offset": "0"},
    )
    assert response.status_code == 400
    assert tus.head(upload_id).headers["Upload-Offset"] == str(sent)
    assert tus.patch(upload_id, data[sent:], sent).status_code == 204
    assert sha256_file(tus.path(upload_id)) == hashlib.sha256(data).hexdigest()


def test_large_patch_streams_with_flat_memory(tus):
    size = 200 * MIB
    upload_id = tus.start(size)
    body = Body(size)
    before = rss_bytes()
    response = tus.client.patch(
        f"/uploads/{upload_id}",
        input_stream=body,
        headers={**TUS, "Content-Type": OCTETS, "Upload-Offset": "0"},
    )
    assert response.status_code == 204, response.text
    assert response.headers["Upload-Offset"] == str(size)
    assert body.pos == size
    assert body.peak_rss - before < 50 * MIB
    assert tus.path(upload_id).stat().st_size == size
    assert sha256_file(tus.path(upload_id)) == body.digest.hexdigest()


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_csrf_token_is_required_and_accepted_in_header(app, tus):
    refused = tus.create(10)
    assert refused.status_code == 400
    assert upload_ids(app) == []
    page = tus.client.get("/")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.text).group(1)
    upload_id = tus.start(10, **{"X-CSRFToken": token})
    assert tus.patch(upload_id, b"0123456789", 0).status_code == 400
    response = tus.patch(upload_id, b"0123456789", 0, **{"X-CSRFToken": token})
    assert response.status_code == 204
    assert tus.path(upload_id).read_bytes() == b"0123456789"
    assert tus.delete(upload_id).status_code == 400
