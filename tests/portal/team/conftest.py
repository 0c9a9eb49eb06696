"""Team fixtures: organisation A with an owner, staff, a streamer member, a live account and two
recordings (one streamed on the account), and organisation B's owner."""

from __future__ import annotations

from typing import Any

import pytest

from media.recordings.models import Recording
from portal.auth.models import OrgRole, Role
from portal.extensions import db
from portal.team.models import LiveAccount, Platform
from tests.portal.helpers import in_english

WHO = ("owner", "staff", "streamer", "other_org", "trainer", "anonymous")


def _recording(org_id: int, title: str, account_id: int | None, maker_id: int) -> int:
    recording = Recording(
        org_id=org_id, title=title, stored_name=f"{title}.mp4", live_account_id=account_id,
        created_by_id=maker_id,
    )  # fmt: skip
    db.session.add(recording)
    db.session.commit()
    return recording.id


@pytest.fixture
def team(app, make_org, make_user) -> dict[str, Any]:
    """Organisation A's people, account and recordings; B's owner; a trainer."""
    org_a, org_b = make_org("org-a"), make_org("org-b")
    people = {
        "owner": make_user(Role.MERCHANT, org_a, org_role=OrgRole.OWNER, name="王老板"),
        "staff": make_user(Role.MERCHANT, org_a, org_role=OrgRole.STAFF, name="小李"),
        "streamer": make_user(Role.STREAMER, org_a, org_role=OrgRole.STREAMER, name="主播小美"),
        "other_org": make_user(Role.MERCHANT, org_b, org_role=OrgRole.OWNER, name="B 老板"),
        "trainer": make_user(Role.TRAINER),
    }
    with app.app_context():
        account = LiveAccount(
            org_id=org_a.id, platform=Platform.DOUYIN, name="翠玉珠宝官方", studio="2号直播间",
            streamer_id=people["streamer"].id,
        )  # fmt: skip
        db.session.add(account)
        db.session.commit()
        ids = {
            "org": org_a.id,
            "org_b": org_b.id,
            "account": account.id,
            "on_account": _recording(org_a.id, "抖音早场", account.id, people["owner"].id),
            "no_account": _recording(org_a.id, "仓库直播", None, people["owner"].id),
        }
    return {"org_a": org_a, "org_b": org_b, "ids": ids, **people}


@pytest.fixture
def browser_of(app, team, client_as):
    """A browser (in English) for one of ``WHO``."""

    def build(who: str):
        if who == "anonymous":
            return in_english(app.test_client())
        return in_english(client_as(team[who]))

    return build
