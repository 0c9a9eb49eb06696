"""The upload widget in headless Debian chromium: progress, pause, resume after a restart.

A test-only page renders the widget inside base.html; a real server thread serves the app;
the merchant signs in through the login form (CSRF on). Upload bandwidth is throttled so the
upload can be paused and the browser closed half-way; choosing the same file in a new browser
with the same storage must resume the same upload, not start again.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, render_template_string
from werkzeug.serving import make_server

from tests.conftest import TEST_PASSWORD
from tests.media.uploads.conftest import load_upload, resize_tmpfs, sha256_file, upload_ids

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(os.environ.get("BELTCAST_SCREENSHOTS", "/tmp/beltcast-screenshots"))
FILE_BYTES = 3 * 1024 * 1024 + 4321
UPLOAD_BYTES_PER_S = 300_000

PAGE = """{% extends "base.html" %}
{% from "uploads/_widget.html" import upload_widget %}
{% block content %}
<form id="test-form" method="post" action="/">
  {{ upload_widget("upload_id", label="视频文件") }}
  <input type="hidden" id="upload_id" name="upload_id" value="">
  <button type="submit" class="primary" data-upload-submit>Add</button>
</form>
{% endblock %}"""

# Records what the widget shows: every status text and the uploaded event.
RECORDER = """() => {
  window.seen = [];
  const status = document.querySelector('[data-upload-status]');
  new MutationObserver(() => window.seen.push(status.textContent))
    .observe(status, {childList: true, characterData: true, subtree: true});
  document.addEventListener('beltcast:uploaded', (e) => { window.uploaded = e.detail; });
}"""


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    """Serve the app (plus a test page with the widget) from a thread."""
    app.add_url_rule("/_test/upload", "test_upload_page", lambda: render_template_string(PAGE))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.fixture
def launch(launch_chromium: Any) -> Any:
    """Start Debian's chromium through Playwright (never a downloaded browser)."""
    return launch_chromium


@pytest.fixture
def video_file(tmp_path: Path) -> Path:
    """A ~3 MB file of random bytes (the widget does not care what is inside)."""
    path = tmp_path / "直播回放.mp4"
    path.write_bytes(os.urandom(FILE_BYTES))
    return path


def _open_page(context: Any, live_url: str) -> tuple[Any, Any]:
    """Open the widget page with a throttled upload link; return the page and its CDP session."""
    page = context.new_page()
    page.goto(f"{live_url}/_test/upload")
    page.wait_for_function("() => window.tus && document.querySelector('[data-upload-widget]')")
    page.evaluate(RECORDER)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 5,
            "downloadThroughput": -1,
            "uploadThroughput": UPLOAD_BYTES_PER_S,
        },
    )
    return page, cdp


def _sign_in(context: Any, live_url: str, email: str) -> None:
    page = context.new_page()
    page.goto(f"{live_url}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state()
    page.close()


def _progress(page: Any) -> float:
    return float(page.eval_on_selector("[data-upload-progress]", "p => p.value"))


def _wait_for(condition: Any, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_merchant_uploads_pauses_and_resumes_after_browser_restart(
    app, live_url, launch, merchant, video_file
):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    browser = launch()
    first = browser.new_context(locale="zh-CN")
    _sign_in(first, live_url, merchant.email)
    page, _cdp = _open_page(first, live_url)
    assert page.is_disabled("[data-upload-submit]")
    assert page.is_hidden("[data-upload-pause]")
    assert page.is_hidden("[data-upload-resume]")

    page.set_input_files("[data-upload-file]", str(video_file))
    page.wait_for_function("() => document.querySelector('[data-upload-progress]')?.value > 15")
    page.screenshot(path=str(SCREENSHOT_DIR / "upload-progress.png"), full_page=True)
    page.click("[data-upload-pause]")
    assert page.is_visible("[data-upload-resume]")
    assert page.is_hidden("[data-upload-pause]")
    # The aborted request still stored the bytes that reached the server.
    _wait_for(lambda: upload_ids(app) and load_upload(app, upload_ids(app)[0]).offset > 0)
    (upload_id,) = upload_ids(app)
    paused_at = load_upload(app, upload_id).offset
    page.screenshot(path=str(SCREENSHOT_DIR / "upload-paused.png"), full_page=True)

    page.click("[data-upload-resume]")
    page.wait_for_function("() => document.querySelector('[data-upload-progress]')?.value > 40")
    page.click("[data-upload-pause]")
    _wait_for(lambda: load_upload(app, upload_id).offset > paused_at)
    storage = first.storage_state()
    # The browser is closed half-way. (Closing it, or going offline, while a request is in
    # flight makes Chrome drop the throttle and finish the request, hence the pause first.)
    browser.close()
    stopped_at = load_upload(app, upload_id).offset
    assert stopped_at < FILE_BYTES

    second = launch().new_context(locale="zh-CN", storage_state=storage)
    page, _cdp = _open_page(second, live_url)
    page.set_input_files("[data-upload-file]", str(video_file))
    page.wait_for_function("() => window.uploaded", timeout=60_000)

    detail = page.evaluate("window.uploaded")
    assert detail["uploadId"] == upload_id  # resumed, not started again
    assert detail["filename"] == video_file.name
    assert page.input_value("#upload_id") == upload_id
    assert page.is_enabled("[data-upload-submit]")
    seen = page.evaluate("window.seen")
    assert any("%" in text and "MB/s" in text for text in seen), seen
    assert any(video_file.name in text for text in seen), seen
    resuming = page.get_attribute("[data-upload-widget]", "data-msg-resuming")
    assert resuming in seen
    page.screenshot(path=str(SCREENSHOT_DIR / "upload-done.png"), full_page=True)
    second.close()

    assert upload_ids(app) == [upload_id]
    assert load_upload(app, upload_id).completed_at is not None
    part = Path(app.config["MEDIA_ROOT"]) / "uploads" / f"{upload_id}.part"
    assert sha256_file(part) == hashlib.sha256(video_file.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "app_config", [{"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False, "MAX_UPLOAD_BYTES": 1000}]
)
def test_widget_shows_server_message_when_file_is_too_large(
    app, live_url, launch, merchant, video_file
):
    context = launch().new_context(locale="en")
    _sign_in(context, live_url, merchant.email)
    page, _cdp = _open_page(context, live_url)
    page.set_input_files("[data-upload-file]", str(video_file))
    page.wait_for_function("() => window.seen.some(t => t.includes('1,000'))", timeout=20_000)
    assert page.is_disabled("[data-upload-submit]")
    assert page.is_hidden("[data-upload-resume]")
    assert upload_ids(app) == []
    context.close()


@pytest.mark.parametrize(
    "app_config", [{"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False, "ORG_QUOTA_BYTES": 5000}]
)
def test_widget_shows_space_left_and_why_a_file_does_not_fit(
    app, live_url, launch, merchant, video_file
):
    context = launch().new_context(locale="zh-CN")
    _sign_in(context, live_url, merchant.email)
    page, _cdp = _open_page(context, live_url)
    quota = "#upload-quota"
    page.wait_for_selector(quota)
    assert page.text_content(quota).strip() == "店铺存储空间：剩余 4.9 kB，共 4.9 kB。"
    page.set_input_files("[data-upload-file]", str(video_file))
    page.wait_for_function("() => window.seen.some(t => t.includes('超出了贵店铺的存储配额'))")
    assert page.is_hidden("[data-upload-resume]")
    assert upload_ids(app) == []
    context.close()


def test_widget_says_the_disk_is_full_and_resumes_once_there_is_space(
    app, live_url, launch, merchant, video_file, small_disk
):
    app.config["MEDIA_ROOT"] = str(small_disk)  # 2 MiB: the ~3 MB file does not fit
    context = launch().new_context(locale="zh-CN")
    _sign_in(context, live_url, merchant.email)
    page, _cdp = _open_page(context, live_url)
    page.set_input_files("[data-upload-file]", str(video_file))
    page.wait_for_function(
        "() => window.seen.some(t => t.includes('服务器存储空间已满'))", timeout=30_000
    )
    assert page.is_visible("[data-upload-resume]")
    (upload_id,) = upload_ids(app)
    kept = load_upload(app, upload_id).offset
    assert 0 < kept < FILE_BYTES

    resize_tmpfs(small_disk, "8m")
    page.click("[data-upload-resume]")
    page.wait_for_function("() => window.uploaded", timeout=60_000)
    assert page.evaluate("window.uploaded.uploadId") == upload_id
    part = small_disk / "uploads" / f"{upload_id}.part"
    assert sha256_file(part) == hashlib.sha256(video_file.read_bytes()).hexdigest()
    context.close()
