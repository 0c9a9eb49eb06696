"""A term added after a clip was published: the clip stays published, and the admin who added
the term and the trainers' dashboard name it, so a trainer can unpublish it."""

from __future__ import annotations

import re

import pytest

from media.clips.models import ClipState
from portal.auth.models import Role
from portal.claims.models import ComplianceTerm
from portal.extensions import db
from portal.library.exposure import published_holding
from tests.portal.helpers import in_english
from tests.portal.review.stage import override_flags, published

IN_TITLE = "手镯讲解"  # the stage's title is 翡翠手镯讲解; nothing else it publishes holds it
NOWHERE = "包治百病"


def _section(html: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}".*?</section>', html, re.DOTALL)
    assert found, f"no section {section_id}"
    return found.group(0)


def _add(admin, term: str):
    data = {"category": "absolute", "term": term, "note": "", "exceptions": ""}
    return admin.post("/admin/compliance/", data=data, follow_redirects=True)


@pytest.fixture
def admin_browser(admin, client_as):
    return in_english(client_as(admin))


@pytest.mark.parametrize(
    ("term", "named"),
    [(IN_TITLE, True), (NOWHERE, False)],
)
def test_adding_a_term_names_the_published_clips_holding_it(stage, admin_browser, term, named):
    current = published(stage)

    answer = _add(admin_browser, term)

    assert answer.status_code == 200
    held = _section(answer.text, "term-held")
    link = f'href="/review/clips/{current.clip_id}"'
    if named:
        assert f"Published clips holding “{term}”: 1" in held
        assert link in held
        assert "翡翠手镯讲解" in held
        assert "cuiyu" in held.lower()
    else:
        assert f"Published clips holding “{term}”: 0" in held
        assert "No published clip holds this term." in held
        assert link not in held
    with current.app.app_context():
        assert current.clip().state == ClipState.PUBLISHED  # the library keeps it


def test_the_dashboard_lists_published_clips_holding_a_banned_term(stage, admin_browser):
    current = published(stage)
    board = _section(current.trainer.get("/review/dashboard").text, "held")
    assert "without an override: 0" in board

    _add(admin_browser, IN_TITLE)

    board = _section(current.trainer.get("/review/dashboard").text, "held")
    assert "without an override: 1" in board
    assert f'href="/review/clips/{current.clip_id}"' in board
    assert IN_TITLE in board
    # A trainer overrides the new flag on the review page: the clip is no longer listed.
    override_flags(current, reason="标题是讲解的名称")
    board = _section(current.trainer.get("/review/dashboard").text, "held")
    assert "without an override: 0" in board


def test_switching_a_term_on_again_and_editing_it_answer_the_same(stage, admin_browser, app):
    current = published(stage)
    _add(admin_browser, IN_TITLE)
    with app.app_context():
        term_id = db.session.scalar(
            db.select(ComplianceTerm.id).where(ComplianceTerm.term == IN_TITLE)
        )
    admin_browser.post(f"/admin/compliance/{term_id}/active", data={"active": "0"})
    assert "without an override: 0" in current.trainer.get("/review/dashboard").text

    on = admin_browser.post(
        f"/admin/compliance/{term_id}/active", data={"active": "1"}, follow_redirects=True
    )
    assert f"Published clips holding “{IN_TITLE}”: 1" in _section(on.text, "term-held")

    data = {"category": "absolute", "term": "翡翠手镯", "note": "", "exceptions": ""}
    edited = admin_browser.post(f"/admin/compliance/{term_id}", data=data, follow_redirects=True)
    assert "Published clips holding “翡翠手镯”: 1" in _section(edited.text, "term-held")


def test_the_held_lists_are_for_staff_and_admins_only(stage, make_org, make_user, client_as):
    current = published(stage)
    other = in_english(client_as(make_user(Role.MERCHANT, make_org("other"))))
    for merchant in (current.merchant, other):  # the clip's own merchant and another one
        page = merchant.get("/review/dashboard")
        assert page.status_code == 403
        assert "翡翠手镯讲解" not in page.text
    for browser in (current.merchant, other, current.trainer):
        answer = _add(browser, IN_TITLE)
        assert answer.status_code == 403
        assert "翡翠手镯讲解" not in answer.text


def test_the_scan_stops_at_its_limit_and_says_so(stage, admin_browser, app):
    current = published(stage)
    _add(admin_browser, IN_TITLE)

    with app.app_context():
        whole, capped = published_holding(), published_holding(limit=0)

    assert ([row.clip.id for row in whole.clips], whole.capped) == ([current.clip_id], False)
    assert (capped.clips, capped.scanned, capped.capped) == ([], 0, True)
