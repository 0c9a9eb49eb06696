"""A visitor on a phone checks a certificate by typing its number at /verify/ (no sign-in)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import PHONE, open_page
from tests.support.pages import scroll_width

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")


def test_phone_visitor_types_a_number_and_is_told_it_is_unknown(browser, live_server) -> None:
    page = open_page(browser, PHONE)
    page.goto(f"{live_server}/verify/")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "verify-form-phone.png"), full_page=True)
    page.click("form.verify-form button[type=submit]")
    assert page.locator("#code[aria-invalid=true]").count() == 1
    assert "请输入证书编号。" in page.inner_text("form.verify-form")
    page.fill("#code", "abcd-0123 4567")
    page.click("form.verify-form button[type=submit]")
    page.wait_for_url(f"{live_server}/verify/ABCD01234567")
    assert "Beltcast" in page.inner_text("main h1")
    assert page.input_value("#code") == "ABCD01234567"  # to correct it in place
    assert scroll_width(page) <= PHONE["width"]
    assert not [e for e in page.console_errors if "status of 404" not in e]  # the answer is a 404
    page.context.close()
