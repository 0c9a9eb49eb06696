"""Journey fixtures: the demo base in a fresh database, and browser tabs per person."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.auth.models import User
from portal.catalog.models import Item
from portal.demo import DEMO_PASSWORD, load_demo_data
from portal.extensions import db
from portal.organisations.models import Organisation
from tests.support.pages import Visit

FAILURE_SHOTS = Path(tempfile.gettempdir()) / "beltcast-journey-failures"
# (viewport, language) pairs: every journey runs on a phone and a desktop in Chinese, and one
# run in English.
VIEWS = [
    pytest.param("phone", "zh", id="phone-zh"),
    pytest.param("desktop", "zh", id="desktop-zh"),
    pytest.param("phone", "en", id="phone-en"),
]


@dataclass(frozen=True)
class Demo:
    """Ids and logins of the demo base (see portal/demo.py)."""

    org_ids: dict[str, int]  # by slug
    item_ids: dict[str, int]  # by SKU
    emails: dict[str, str]  # by role (merchant: 翠玉坊's owner)
    password: str = DEMO_PASSWORD


@pytest.fixture
def demo(app: Flask) -> Demo:
    """Load the demo base (``flask beltcast demo-data``) into the test's fresh database."""
    with app.app_context():
        list(load_demo_data())
        orgs = {org.slug: org.id for org in db.session.scalars(select(Organisation))}
        items = {item.sku: item.id for item in db.session.scalars(select(Item))}
        emails = {
            str(user.role): user.email
            for user in db.session.scalars(select(User).order_by(User.id.desc()))
        }
        emails["merchant"] = "merchant@cuiyufang.example"
    return Demo(org_ids=orgs, item_ids=items, emails=emails)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's report on the test item (the tabs' teardown reads it)."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def visit(
    request: pytest.FixtureRequest, browser: Any, live_server: str
) -> Iterator[Callable[..., Visit]]:
    """Open a browser tab for one person of a journey; every tab is closed afterwards.

    When the test fails, each tab's last page is saved as a screenshot in FAILURE_SHOTS.
    """
    opened: list[Visit] = []

    def open_visit(journey: str, viewport: str = "phone", locale: str = "zh") -> Visit:
        tab = Visit(browser, live_server, journey, viewport, locale)
        opened.append(tab)
        return tab

    yield open_visit
    failed = getattr(request.node, "report_call", None)
    for number, tab in enumerate(opened):
        if failed is not None and failed.failed:
            FAILURE_SHOTS.mkdir(exist_ok=True)
            shot = FAILURE_SHOTS / f"{request.node.name}-{number}-{tab.journey}.png"
            tab.page.screenshot(path=str(shot), full_page=True)
            print(f"{tab.journey} was at {tab.page.url}: {shot}")
        tab.close()
