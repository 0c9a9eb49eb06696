"""Upload services used by other features: hand-over, discard, cleaner, quota and policy."""

from __future__ import annotations

import fcntl
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.exceptions import NotFound

from media.uploads import quotas, services
from media.uploads.models import Upload
from media.usage import org_usage_bytes
from portal.auth.models import Role, User
from portal.database import utcnow
from portal.errors import ServiceError
from portal.extensions import db
from portal.organisations.models import OrgStatus
from portal.storage import upload_key
from tests.media.uploads.conftest import upload_ids


@pytest.fixture
def finished(tus) -> str:
    """A finished upload of the merchant."""
    upload_id = tus.start(5)
    assert tus.patch(upload_id, b"hello", 0).status_code == 204
    return upload_id


def test_recording_form_claims_finished_upload(app, tus, merchant, finished):
    dest = Path(app.config["MEDIA_ROOT"]) / "recordings" / "1" / "source.mp4"
    with app.app_context():
        upload = services.get_completed_upload_or_404(finished, merchant.id)
        services.claim_upload(upload, "recordings/1/source.mp4")
        db.session.commit()
    assert dest.read_bytes() == b"hello"
    assert not tus.path(finished).exists()
    assert upload_ids(app) == []


def test_completed_upload_loader_hides_unfinished_foreign_and_missing(
    app, tus, merchant, make_user, merchant_org, finished
):
    unfinished = tus.start(5)
    colleague = make_user(Role.MERCHANT, merchant_org)
    with app.app_context():
        for upload_id, owner_id in [
            (unfinished, merchant.id),
            (finished, colleague.id),
            ("f" * 32, merchant.id),
        ]:
            with pytest.raises(NotFound):
                services.get_completed_upload_or_404(upload_id, owner_id)


def test_claim_refuses_unfinished_upload(app, tus, merchant):
    upload_id = tus.start(5)
    with app.app_context():
        upload = db.session.get(Upload, upload_id)
        with pytest.raises(ServiceError):
            services.claim_upload(upload, "x.mp4")
    assert tus.path(upload_id).exists()


def test_discard_removes_file_and_row(app, tus, finished):
    with app.app_context():
        services.discard_upload(db.session.get(Upload, finished))
    assert not tus.path(finished).exists()
    assert upload_ids(app) == []


def test_discard_tolerates_missing_file(app, tus, finished):
    tus.path(finished).unlink()
    with app.app_context():
        services.discard_upload(db.session.get(Upload, finished))
    assert upload_ids(app) == []


def test_cleaner_skips_upload_being_written(app, tus):
    upload_id = tus.start(5)
    with tus.path(upload_id).open("r+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with app.app_context():
            assert services.delete_expired_uploads(utcnow() + timedelta(days=2)) == 0
    assert upload_ids(app) == [upload_id]
    with app.app_context():
        assert services.delete_expired_uploads(utcnow() + timedelta(days=2)) == 1
    assert not tus.path(upload_id).exists()


def test_org_usage_sums_uploads_of_that_org_only(
    app, tus_as, merchant, make_user, make_org, streamer
):
    tus_as(merchant).start(1000)
    tus_as(merchant).start(234)
    tus_as(make_user(Role.MERCHANT, make_org())).start(5000)
    tus_as(streamer).start(7000)
    with app.app_context():
        assert org_usage_bytes(merchant.org_id) == 1234


def test_upload_key_accepts_only_generated_ids():
    assert upload_key("a" * 32) == f"uploads/{'a' * 32}.part"
    for bad in ["../../etc/passwd", "A" * 32, "a" * 31, ""]:
        with pytest.raises(ValueError, match="not an upload id"):
            upload_key(bad)


@pytest.mark.parametrize(
    ("role", "status", "allowed"),
    [
        (Role.MERCHANT, OrgStatus.APPROVED, True),
        (Role.MERCHANT, OrgStatus.PENDING, False),
        (Role.MERCHANT, OrgStatus.SUSPENDED, False),
        (Role.MERCHANT, OrgStatus.REJECTED, False),
        (Role.STREAMER, None, True),
        (Role.TRAINER, None, True),
        (Role.ADMIN, None, True),
    ],
)
def test_can_upload_policy(app, make_user, make_org, role, status, allowed):
    org = make_org(status=status) if status else None
    user = make_user(role, org)
    with app.app_context():
        assert services.can_upload(db.session.get(User, user.id)) is allowed


def test_suspended_org_cannot_continue_an_upload(app, tus, merchant_org):
    upload_id = tus.start(5)
    with app.app_context():
        org = db.session.get(type(merchant_org), merchant_org.id)
        org.status = OrgStatus.SUSPENDED
        db.session.commit()
    assert tus.patch(upload_id, b"hello", 0).status_code == 403
    assert tus.delete(upload_id).status_code == 204


@pytest.mark.parametrize(("lang", "smallest"), [("en", "999 byte"), ("zh", "999 B")])
def test_format_bytes_in_the_current_language(app, lang: str, smallest: str):
    sizes = (999, 1536, 20 * 1024**3, 3 * 1024**4)
    with app.test_request_context(f"/?lang={lang}"):
        shown = [quotas.format_bytes(size) for size in sizes]
    assert shown == [smallest, "1.5 kB", "20.0 GB", "3.0 TB"]
