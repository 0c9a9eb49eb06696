"""Browser tests use the shared fixtures of tests/support/browser.py, and the settings below.

Every browser test app transcribes with the packaged Whisper model (prepared once per session,
``whisper_model_dir``) and has a job queue of its own, so a test may ingest a recording (the
session's ``workshop_video`` or its own) and run its jobs. A module may still override
``app_config``, extending ``transcribing_config``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from media.clips import services
from media.clips.discovery import refresh_mentions
from media.recordings.models import Recording
from media.recordings.services import source_path
from portal.auth.models import Role, User
from portal.catalog.models import Item
from portal.extensions import db
from tests.support.clipdata import add_transcript
from tests.support.mediagen import make_test_video


def transcribing_config(whisper_model_dir: Path) -> dict[str, str]:
    """Settings of a browser test app: the prepared Whisper model and an own job queue."""
    return {"WHISPER_MODEL": str(whisper_model_dir), "QUEUE_NAME": f"test-{uuid.uuid4().hex[:12]}"}


@pytest.fixture
def app_config(whisper_model_dir: Path) -> dict[str, str]:
    """The browser test settings (see ``transcribing_config``)."""
    return transcribing_config(whisper_model_dir)


NAMES = ["冰种翡翠手镯", "糯冰飘花吊坠", "和田玉平安扣", "南红玛瑙手串", "淡水珍珠项链"]
SAID = [
    "哈喽哈喽, 家人们晚上好",
    "今天给大家带来几款新货",
    "先看这只冰种翡翠手镯, 种水非常好",
    "圈口 56, 带 NGTC 证书",
    "直播间价格 1280 元",
    "然后我们再看糯冰飘花吊坠",
    "飘花很自然, 戴着很显气质",
    "这款和田玉平安扣是籽料",
    "寓意平平安安, 送长辈很合适",
    "南红玛瑙手串颜色很正",
]


def _stream(org_id: int) -> int:
    """A 2-minute recording with a real (silent) video, 30 sentences and 15 catalog items."""
    db.session.add_all(
        Item(org_id=org_id, sku=f"P-{n}", name=NAMES[n] if n < len(NAMES) else f"翡翠戒指 {n}号")
        for n in range(15)
    )
    recording = Recording(
        org_id=org_id, title="周五晚场", stored_name="friday.mp4", duration_s=120.0,
        width=360, height=640,
    )  # fmt: skip
    db.session.add(recording)
    db.session.commit()
    make_test_video(source_path(recording), seconds=120.0, size="360x640")
    texts = [SAID[n % len(SAID)] for n in range(30)]
    add_transcript(
        recording.id, org_id, [(n * 4000, n * 4000 + 3600, t) for n, t in enumerate(texts)]
    )
    refresh_mentions(recording)
    return recording.id


@pytest.fixture
def stream(app, make_user, merchant_org) -> tuple[User, int, int]:
    """A merchant, their 2-minute Mandarin recording (``_stream``) and a clip of its sentences
    2–6, for the phone tests of the workshop, editor and recording page."""
    merchant = make_user(Role.MERCHANT, merchant_org)
    with app.app_context():
        recording_id = _stream(merchant_org.id)
        recording = db.session.get(Recording, recording_id)
        actor = db.session.get(User, merchant.id)
        item = db.session.query(Item).filter_by(org_id=merchant_org.id, sku="P-0").one()
        clip = services.create_clip(
            recording, actor, first_sentence=2, last_sentence=6, item_ids=[item.id],
            title="冰种翡翠手镯 · 1280元 · 圈口56",
        )  # fmt: skip
        return merchant, recording_id, clip.id
