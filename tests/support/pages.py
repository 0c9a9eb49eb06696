"""Page helpers shared by the browser tests and the journeys: sign in, check a page, screenshots.

Screenshots are written only when ``BELTCAST_SCREENSHOTS`` names a folder
(``make screenshots`` sets it to ``docs/screenshots``).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from tests.support.axe import assert_accessible
from tests.support.browser import open_page

SCREENSHOTS_ENV = "BELTCAST_SCREENSHOTS"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def sign_in(page: Any, base_url: str, email: str, password: str) -> Any:
    """Sign in through the real form; wait for the home page."""
    page.goto(f"{base_url}/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def click_menu_link(page: Any, href: str) -> None:
    """Follow the header menu's link to ``href``, opening the phone's menu drawer first."""
    toggle = page.locator(".menu-toggle")
    if toggle.count() and toggle.is_visible() and not page.locator(".menu-drawer[open]").count():
        toggle.click()
    page.click(f"header a[href='{href}']")


def scroll_width(page: Any) -> int:
    """Return the document's scroll width (wider than the viewport means sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth")


def wait_for_htmx(page: Any) -> None:
    """Wait until no htmx request is in flight (htmx marks busy elements with a class)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")  # CSP: no eval


def override_render_checks(page: Any, reason: str) -> None:
    """Override the newest failing render check report with ``reason``, as a merchant does
    before submitting a version whose checks found something (the editor reloads)."""
    report = page.locator(".qa-report.failing").first
    report.locator("summary").click()
    report.locator("textarea").fill(reason)
    with page.expect_navigation():
        report.locator("button[type=submit]").click()
    assert reason in page.inner_text(".qa-override")


def screenshot_folder() -> Path | None:
    """Return the folder screenshots go to, or None when they are not asked for."""
    folder = os.environ.get(SCREENSHOTS_ENV, "").strip()
    return Path(folder) if folder else None


def save_small_png(png: bytes, path: Path) -> None:
    """Save a screenshot with a 256-colour palette (a third of the size; UI colours are flat)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    palette = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)


@dataclass
class Visit:
    """One person's browser tab in a journey, at one viewport and language.

    ``check`` runs axe, refuses sideways scrolling and console errors, and saves a screenshot
    named ``<journey>-<step>-<viewport>[-en].png`` when screenshots are asked for.
    """

    browser: Any
    base_url: str
    journey: str
    viewport: str = "phone"
    locale: str = "zh"
    timeout_ms: int = 15_000
    page: Any = field(init=False)

    def __post_init__(self) -> None:
        browser_locale = "zh-CN" if self.locale == "zh" else "en-US"  # native controls' language
        self.page = open_page(
            self.browser, VIEWPORTS[self.viewport], self.timeout_ms, locale=browser_locale
        )
        self.page.on("dialog", lambda dialog: dialog.accept())  # data-confirm asks first
        if self.locale != "zh":
            self.page.goto(f"{self.base_url}/?lang={self.locale}")

    def goto(self, path: str) -> Any:
        """Open ``path`` of the live server."""
        self.page.goto(f"{self.base_url}{path}")
        return self.page

    def sign_in(self, email: str, password: str) -> Any:
        """Sign in as ``email``."""
        return sign_in(self.page, self.base_url, email, password)

    def shot_name(self, step: str) -> str:
        """The file name of this step's screenshot."""
        suffix = "" if self.locale == "zh" else f"-{self.locale}"
        return f"{self.journey}-{step}-{self.viewport}{suffix}.png"

    def check(self, step: str, *, exclude: tuple[str, ...] = (), full_page: bool = True) -> None:
        """Check the page as it is now (axe, no sideways scroll, no errors); maybe shoot it."""
        page = self.page
        expected = "zh-CN" if self.locale == "zh" else "en"
        assert page.locator("html").get_attribute("lang") == expected
        width = VIEWPORTS[self.viewport]["width"]
        assert scroll_width(page) <= width, f"{step}: the page scrolls sideways at {width} px"
        assert_accessible(page, exclude=exclude)
        assert not self.errors(), f"{step}: {self.errors()}"
        self.shoot(step, full_page=full_page)

    def shoot(self, step: str, *, full_page: bool = True) -> None:
        """Save a screenshot of the page when screenshots are asked for."""
        folder = screenshot_folder()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            if full_page:  # from the top: a sticky player would float down the page otherwise
                self.page.evaluate("() => window.scrollTo(0, 0)")
            save_small_png(self.page.screenshot(full_page=full_page), folder / self.shot_name(step))

    def errors(self) -> list[str]:
        """Console and page errors so far."""
        return list(self.page.console_errors)

    def close(self) -> None:
        """Close the tab's browser context."""
        self.page.context.close()


def wait_for_rendered_video(page: Any, run_jobs: Callable[[], list[int]]) -> None:
    """After the editor's render form was sent: see the page poll, run the queued render with
    ``run_jobs``, and wait until the new version's video can play."""
    page.wait_for_selector("#clip-versions[hx-trigger]")
    assert run_jobs()
    page.wait_for_function(
        "() => [...document.querySelectorAll('video.clip-video')].some(v => v.readyState >= 1)",
        timeout=30_000,
    )
