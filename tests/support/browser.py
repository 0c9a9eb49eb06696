"""Browser fixtures shared by every browser test (a pytest plugin loaded by tests/conftest.py).

Chromium is Debian's /usr/bin/chromium; Playwright never downloads a browser here. One
Playwright driver serves the whole session: the sync API allows only one per thread.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve the test ``app`` on a free 127.0.0.1 port; yield its base URL.

    The portal's ``BASE_URL`` becomes that address, so mailed and shared links lead back to it.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    """The session's one Playwright driver (skips when Debian's chromium is missing)."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def launch_chromium(playwright_driver: Any) -> Iterator[Callable[[], Any]]:
    """Start (several) headless Chromium browsers; all are closed after the test."""
    started: list[Any] = []

    def start() -> Any:
        browser = playwright_driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        started.append(browser)
        return browser

    yield start
    for browser in started:
        if browser.is_connected():
            browser.close()


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[Any]:
    """One headless Chromium for the session."""
    chromium = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


def open_page(
    browser: Any, viewport: dict[str, int], timeout_ms: int = 10_000, locale: str | None = None
) -> Any:
    """Open a page in a new context; its ``console_errors`` collects console and page errors.

    ``locale`` is the browser's own language (native controls, Accept-Language). Close the page
    with ``page.context.close()``.
    """
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return page


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized page (390 x 844) that records console errors."""
    page = open_page(browser, PHONE)
    yield page
    page.context.close()
