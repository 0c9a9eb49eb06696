"""A merchant on a phone picks this stream's items: searches the catalog, ticks two, changes a
link number, reorders, removes one, then pastes the platform's goods list and confirms it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from media.clips.discovery import refresh_mentions
from media.recordings.models import Recording
from media.recordings.names_again import NAMES_JOB
from media.recordings.stream_items import stream_links
from portal.auth.models import Role
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.runner import execute_job
from tests.conftest import TEST_PASSWORD
from tests.media.transcripts.spoken import store_spoken
from tests.support.axe import assert_accessible
from tests.support.browser import open_page
from tests.support.pages import PHONE, scroll_width, sign_in, wait_for_htmx

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


def listed(app, recording_id: int) -> list[tuple[int | None, str]]:
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        return [(number, item.sku) for number, item in stream_links(recording)]


def shoot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def test_merchant_picks_numbers_orders_and_imports_the_streams_items_on_a_phone(
    app, live_server, page, make_user, make_item, merchant_org, tmp_path
):
    bangle = make_item(merchant_org, "JD-001", name="冰种翡翠手镯", aliases=["冰种手镯"])
    make_item(merchant_org, "JD-002", name="糯种飘花翡翠手镯（圈口56）", aliases=["飘花手镯"])
    make_item(merchant_org, "HT-003", name="和田玉籽料平安扣吊坠", aliases=["平安扣"])
    with app.app_context():
        recording = Recording(org_id=merchant_org.id, title="周三晚场", stored_name="x.mp4")
        db.session.add(recording)
        db.session.commit()
        recording_id = recording.id
    merchant = make_user(Role.MERCHANT, merchant_org)
    sign_in(page, live_server, merchant.email, TEST_PASSWORD)

    page.goto(f"{live_server}/media/recordings/{recording_id}")
    section = page.locator("#stream-items")
    assert "本场商品" in section.locator("summary").inner_text()
    page.fill("#stream-q", "手镯")
    page.locator("#stream-item-results input[type=checkbox]").first.wait_for()
    assert page.locator("#stream-item-results li").count() == 2
    page.get_by_label("糯种飘花翡翠手镯（圈口56）").check()
    page.get_by_label("冰种翡翠手镯").check()
    page.get_by_role("button", name="添加勾选的商品").click()
    expect(page.locator(".stream-item")).to_have_count(2)
    assert listed(app, recording_id) == [(1, "JD-001"), (2, "JD-002")]

    wait_for_htmx(page)  # the list's swap has settled: the new search box listens
    page.fill("#stream-q", "平安扣")
    page.locator("#stream-q").press("Enter")  # searching at once, as a hurried merchant would
    expect(page.locator("#stream-item-results li")).to_have_count(1, timeout=15_000)
    page.get_by_label("和田玉籽料平安扣吊坠").check()
    page.get_by_role("button", name="添加勾选的商品").click()
    expect(page.locator(".stream-item")).to_have_count(3)

    page.fill(f"#link-{bangle.id}", "5")
    page.locator(f"#link-{bangle.id}").press("Enter")
    expect(page.locator(".stream-item-name").first).to_contain_text("糯种")
    assert listed(app, recording_id) == [(2, "JD-002"), (3, "HT-003"), (5, "JD-001")]
    page.get_by_role("button", name="把“冰种翡翠手镯”移出本场商品").click()
    expect(page.locator(".stream-item")).to_have_count(2)
    assert listed(app, recording_id) == [(2, "JD-002"), (3, "HT-003")]
    page.get_by_role("button", name="上移“和田玉籽料平安扣吊坠”").click()
    expect(page.locator(".stream-item-name").first).to_contain_text("平安扣")
    assert listed(app, recording_id) == [(2, "HT-003"), (3, "JD-002")]
    # Checks and screenshots last: both leave style="" on inputs, which an htmx swap would copy.
    assert scroll_width(page) <= PHONE["width"]
    assert_accessible(page)
    shoot(page, tmp_path, "stream-items-phone")

    page.get_by_role("link", name="粘贴或导入平台的商品列表").click()
    page.fill("#text", "链接\t商品编号\n1\tHT-003\n2\t冰种手镯\n")
    page.get_by_role("button", name="预览").click()
    page.get_by_role("button", name="保存此列表").wait_for()
    assert "保存后将替换本场现有的 2 件商品。" in page.inner_text("main")
    assert scroll_width(page) <= PHONE["width"]
    assert_accessible(page)
    shoot(page, tmp_path, "stream-items-import-phone")
    page.get_by_role("button", name="保存此列表").click()
    page.wait_for_url(f"{live_server}/media/recordings/{recording_id}#stream-items")
    assert "本场商品现有 2 件。" in page.inner_text("main")
    assert listed(app, recording_id) == [(1, "HT-003"), (2, "JD-001")]
    assert page.console_errors == [], page.console_errors


def test_merchant_who_skipped_the_list_adds_the_items_found_in_one_tap_on_a_phone(
    app, live_server, browser, make_user, make_item, merchant_org, tmp_path
):
    """zh-CN, 390 x 844: the empty list offers the items found by name; one tap lists them, and
    the job the change queues corrects a listed name the transcript had misheard."""
    make_item(merchant_org, "JD-001", name="冰种翡翠手镯", aliases=[])
    make_item(merchant_org, "HT-003", name="和田玉籽料平安扣吊坠", aliases=["平安扣"])
    amber = make_item(merchant_org, "AM-007", name="糯种琥珀戒指", aliases=[])
    spoken = [["这款", "冰种翡翠手镯", "很", "透。"], ["再看", "平安扣，", "和田玉", "籽料。"],
              ["冰种翡翠手镯", "还有", "一只。"], ["这款", "糯种琥珀戒指", "很", "漂亮。"],
              ["最后", "这只", "莫种", "琥珀", "戒指。"]]  # fmt: skip
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, spoken)
        refresh_mentions(db.session.get(Recording, recording_id))
    page = open_page(browser, PHONE, locale="zh-CN")
    sign_in(page, live_server, make_user(Role.MERCHANT, merchant_org).email, TEST_PASSWORD)

    page.goto(f"{live_server}/media/recordings/{recording_id}?lang=zh")
    offer = page.locator("#found-items")
    expect(offer.locator("li")).to_have_count(3)
    assert set(offer.locator("li").all_inner_texts()) == {
        "冰种翡翠手镯", "和田玉籽料平安扣吊坠", "糯种琥珀戒指"
    }  # fmt: skip
    assert scroll_width(page) <= PHONE["width"]
    assert_accessible(page)
    page.locator("#stream-items").screenshot(path=str(tmp_path / "found-items-before-phone.png"))
    _keep(tmp_path / "found-items-before-phone.png")

    page.get_by_role("button", name="把文字稿中找到的 3 件商品设为本场商品").click()
    expect(page.locator(".stream-item")).to_have_count(3)
    expect(page.locator("#stream-items [role=status]")).to_contain_text("已设为本场商品")
    assert sorted(sku for _, sku in listed(app, recording_id)) == ["AM-007", "HT-003", "JD-001"]
    assert scroll_width(page) <= PHONE["width"]
    page.locator("#stream-items").screenshot(path=str(tmp_path / "found-items-after-phone.png"))
    _keep(tmp_path / "found-items-after-phone.png")

    with app.app_context():  # the worker's turn: the job the change queued
        job = db.session.scalars(select(Job).where(Job.kind == NAMES_JOB)).one()
        execute_job(job.id, "test")
    page.goto(f"{live_server}/media/recordings/{recording_id}?lang=zh")
    corrected = page.locator("#transcript").get_by_text("糯种琥珀戒指")
    expect(corrected).to_have_count(2)
    assert amber.name in page.locator("#transcript").inner_text()
    assert "莫种琥珀戒指" not in page.locator("#transcript").inner_text()
    shoot(page, tmp_path, "found-items-corrected-phone")
    page.context.close()


def _keep(path: Path) -> None:
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
