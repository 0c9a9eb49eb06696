"""The gradebook on a phone (390 px) and a desktop (1366 px): readable, nothing off-screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSWORD
from tests.courses.test_gradebook import book  # noqa: F401 (the fixture)
from tests.support.axe import assert_accessible
from tests.support.browser import PHONE, open_page
from tests.support.pages import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "390"), (DESKTOP, "1366")])
def test_trainer_reads_the_gradebook_on_a_phone_and_a_desktop(
    live_server,
    browser,
    trainer,
    book,  # noqa: F811 (the fixture imported above)
    viewport,
    name,
    tmp_path,
):
    page = sign_in(open_page(browser, viewport), live_server, trainer.email, TEST_PASSWORD)
    page.goto(f"{live_server}/courses/manage/{book}/gradebook")

    assert page.locator("#gradebook tbody tr").count() == 2
    assert page.get_by_text("王小明").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page)
    assert page.console_errors == []
    folder = Path(os.environ.get("BELTCAST_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"gradebook-{name}.png"), full_page=True)
    page.context.close()
