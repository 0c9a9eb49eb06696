"""Fixtures and helpers of the stream item list tests: recordings without media, a small catalog,
the list as the service reads it, and the requests a merchant sends."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from media.recordings.models import Recording
from media.recordings.stream_items import stream_links
from media.transcripts.models import Transcript
from portal.catalog.models import Item
from portal.database import utcnow
from portal.extensions import db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def app_config() -> dict[str, Any]:
    """English pages and a queue of this test's own; no model (nothing is transcribed)."""
    return {"BABEL_DEFAULT_LOCALE": "en", "QUEUE_NAME": f"test-stream-{uuid.uuid4().hex[:12]}"}


@pytest.fixture
def add_recording(app) -> Callable[..., int]:
    """Add a recording row of ``org`` (optionally with an empty transcript); return its id."""

    def build(org, transcribed: bool = False) -> int:
        with app.app_context():
            recording = Recording(org_id=org.id, title="周三晚场", stored_name="x.mp4")
            db.session.add(recording)
            db.session.flush()
            if transcribed:
                db.session.add(
                    Transcript(org_id=org.id, recording_id=recording.id, language="zh",
                               model_name="test")
                )  # fmt: skip
            db.session.commit()
            return recording.id

    return build


@pytest.fixture
def catalog(make_item, merchant_org) -> dict[str, Item]:
    """Four items of the merchant; one archived."""
    return {
        "bangle": make_item(merchant_org, "JD-001", name="冰种翡翠手镯", aliases=["冰种手镯"]),
        "pendant": make_item(merchant_org, "HT-002", name="和田玉吊坠", aliases=["白玉吊坠"]),
        "pearl": make_item(
            merchant_org, "PL-003", name="Freshwater pearl necklace", aliases=["pearl strand"]
        ),
        "old": make_item(merchant_org, "OLD-9", name="旧款手镯", aliases=[], archived_at=utcnow()),
    }


def listed(app, recording_id: int) -> list[tuple[int | None, str]]:
    """The list as (link number, SKU), in list order, read through the service."""
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        return [(number, item.sku) for number, item in stream_links(recording)]


def base(recording_id: int) -> str:
    return f"/media/recordings/{recording_id}/items"


def add(browser, recording_id: int, *items: Item, **headers: str) -> Any:
    return browser.post(
        f"{base(recording_id)}/add", data={"item_ids": [str(i.id) for i in items]},
        headers=headers,
    )  # fmt: skip
