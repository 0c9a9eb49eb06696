"""The worker's sweeper also does housekeeping: expired uploads go."""

from datetime import timedelta

from media.uploads.models import Upload
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.worker import sweep_once
from portal.storage import media_storage, upload_key


def test_sweeper_round_removes_expired_unfinished_uploads(app, make_user, streamer):
    with app.app_context():
        upload = Upload(
            id="ab" * 16, owner_id=streamer.id, length=10, offset=3, filename="x.mp4",
            filetype="video/mp4", expires_at=utcnow() - timedelta(hours=1),
        )  # fmt: skip
        db.session.add(upload)
        db.session.commit()
        part = media_storage(app).path(upload_key(upload.id))
        part.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(b"abc")
        sweep_once()
        assert db.session.get(Upload, "ab" * 16) is None
        assert not part.exists()
