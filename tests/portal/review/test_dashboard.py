"""The trainers' dashboard: merchants by state, waiting clips, overrides, weekly publishing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from media.clips.models import Clip, ClipState
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.database import utcnow
from portal.extensions import db
from portal.library.models import ComplianceOverride
from portal.organisations.models import OrgStatus
from tests.portal.helpers import in_english


def _table(html, table_id):
    """Return the rows of the table ``table_id`` as lists of cell texts (tags stripped)."""
    body = re.search(rf'<table id="{table_id}".*?</table>', html, re.DOTALL).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL) for row in rows]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]


def _age(app, clip_id, days):
    with app.app_context():
        db.session.execute(
            db.update(Clip)
            .where(Clip.id == clip_id)
            .values(updated_at=utcnow() - timedelta(days=days))
        )
        db.session.commit()


def _published_event(app, org, clip_id, weeks_ago):
    with app.app_context():
        db.session.add(AuditEvent(
            at=utcnow() - timedelta(weeks=weeks_ago), org_id=org.id, action="clip.transition",
            object_type="Clip", object_id=clip_id,
            details={"source": "approved", "target": "published", "reason": ""},
        ))  # fmt: skip
        db.session.commit()


def test_trainer_sees_the_dashboard(app, client_as, trainer, make_org, merchant_org, make_clip):
    make_org("waiting-1", status=OrgStatus.PENDING)
    make_org("waiting-2", status=OrgStatus.PENDING)
    make_org("gone", status=OrgStatus.SUSPENDED)
    older = make_clip(merchant_org, state=ClipState.IN_REVIEW)
    newer = make_clip(merchant_org, state=ClipState.IN_REVIEW)
    _age(app, older, 3)
    _age(app, newer, 1)
    with app.app_context():
        db.session.add(ComplianceOverride(
            org_id=merchant_org.id, clip_id=older, term="加微信", cue_index=1,
            reason="直播间内回复", trainer_id=trainer.id,
        ))  # fmt: skip
        db.session.commit()
    for weeks_ago in (0, 0, 2, 12):
        _published_event(app, merchant_org, older, weeks_ago)
    browser = in_english(client_as(trainer))

    assert 'href="/review/dashboard"' in browser.get("/review/").text
    page = browser.get("/review/dashboard")

    assert page.status_code == 200
    assert _table(page.text, "merchant-states")[1:] == [
        ["Pending screening", "2"], ["Approved", "1"], ["Rejected", "0"], ["Suspended", "1"],
    ]  # fmt: skip
    waiting = _table(page.text, "waiting-clips")[1:]
    assert [row[2] for row in waiting] == ["3 days", "1 day"]
    assert page.text.index(f"/review/clips/{older}") < page.text.index(f"/review/clips/{newer}")
    [override] = _table(page.text, "overrides")[1:]
    assert override[:3] == ["加微信", "直播间内回复", trainer.name]
    assert "翡翠手镯讲解" in override[3]
    weekly = _table(page.text, "published-weekly")
    assert len(weekly[0]) == 1 + 8 + 1
    assert weekly[1] == [merchant_org.name, "0", "0", "0", "0", "0", "1", "0", "2", "3"]


def test_dashboard_with_nothing_to_show(client_as, admin):
    page = in_english(client_as(admin)).get("/review/dashboard")
    assert page.status_code == 200
    assert "Nothing waits for review" in page.text
    assert "No clip was published in the last eight weeks." in page.text


@pytest.mark.parametrize("role", [Role.MERCHANT, Role.STREAMER])
def test_non_staff_cannot_open_the_dashboard(client_as, make_user, merchant_org, role):
    user = make_user(role, merchant_org if role == Role.MERCHANT else None)
    assert client_as(user).get("/review/dashboard").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get("/review/dashboard").status_code == 302
