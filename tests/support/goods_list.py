"""Browser steps of the items-at-scale journeys: stock the catalog, upload a stream, paste its
goods list, let it transcribe while the page polls, and check the items found and spelled."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from media.clips.models import Mention
from portal.catalog.models import Item
from portal.extensions import db
from tests.media.recordings.helpers import run_jobs


def stock_catalog(
    make_item: Callable[..., Any], org: Any, names: list[str], sku_prefix: str
) -> dict[str, str]:
    """Add an item of each name (no aliases), SKU ``sku_prefix`` + its number; name -> SKU."""
    skus = {name: f"{sku_prefix}{index:03d}" for index, name in enumerate(names, start=1)}
    for name in names:
        make_item(org, skus[name], name=name, aliases=[])
    return skus


def upload_stream(page: Any, base_url: str, video: Path, *, title: str, language: str) -> int:
    """Upload ``video`` on the recordings page, spoken in ``language``; return its id."""
    page.goto(f"{base_url}/media/recordings/")
    page.set_input_files("#upload_id-file", str(video))
    page.wait_for_function(
        "() => document.querySelector('[data-upload-submit]')?.disabled === false"
    )
    page.fill("#title", title)
    page.select_option("#language", language)
    page.click("[data-upload-submit]")
    page.wait_for_url(re.compile(r".*/media/recordings/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def paste_goods_list(page: Any, base_url: str, recording_id: int, skus: list[str]) -> None:
    """Paste the platform's goods list (link number, SKU) on the recording page and save it."""
    page.get_by_role("link", name="粘贴或导入平台的商品列表").click()
    rows = "".join(f"{number}\t{sku}\n" for number, sku in enumerate(skus, start=1))
    page.fill("#text", f"链接\t商品编号\n{rows}")
    page.get_by_role("button", name="预览").click()
    page.get_by_role("button", name="保存此列表").click()
    page.wait_for_url(f"{base_url}/media/recordings/{recording_id}#stream-items")
    assert f"本场商品现有 {len(skus)} 件。" in page.inner_text("main")


def transcribe_while_polling(page: Any, app: Flask) -> None:
    """Run the queued jobs (transcribe, find items, suggest clips) while the page polls."""
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.extend(run_jobs(app)), name="jobs")
    worker.start()
    try:
        page.wait_for_selector("#recording-status .step-done", timeout=240_000)
    finally:
        worker.join(timeout=600)
    assert done
    page.wait_for_selector("ol.transcript li.sentence", timeout=30_000)


def found_item_names(app: Flask, recording_id: int) -> set[str]:
    """The names of the catalog items the recording's mentions point at."""
    with app.app_context():
        return set(
            db.session.scalars(
                select(Item.name)
                .join(Mention, Mention.item_id == Item.id)
                .where(Mention.recording_id == recording_id)
            )
        )


def check_items_found_and_spelled(
    page: Any,
    app: Flask,
    recording_id: int,
    spoken: dict[int, str],
    *,
    by_number_only: int,
    fold: Callable[[str], str],
) -> None:
    """The recording found exactly the items ``spoken`` (link number -> name), its transcript
    spells each name said aloud (compared after ``fold``), and the workshop suggests each."""
    transcript = fold(page.inner_text("ol.transcript"))
    assert found_item_names(app, recording_id) == set(spoken.values()), transcript
    for number, name in spoken.items():
        if number != by_number_only:
            assert fold(name) in transcript, (name, transcript)
    page.click("main a.button[href$='/workshop']")
    page.wait_for_url("**/workshop")
    suggestions = page.inner_text("#suggestions")
    for name in spoken.values():
        assert name in suggestions, (name, suggestions)
