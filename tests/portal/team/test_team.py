"""The team page: who sees it, who invites, changes roles and removes members (table-driven)."""

from __future__ import annotations

import pytest

from portal.auth.models import OrgRole, Role, User
from portal.team.models import LiveAccount
from tests.portal.helpers import (
    capture_mail,
    count_rows,
    fetch,
    field_errors,
    flashes,
    mailed_links,
)
from tests.portal.team.conftest import WHO

LOGIN = "login"
NEW_PASSWORD = "invited-password-5"


def _answer(response) -> int | str:
    if response.status_code == 302 and response.headers["Location"].startswith("/auth/login"):
        return LOGIN
    return response.status_code


# who -> (team page, invite, change a member of A's role, remove a member of A)
TEAM_RULES = {
    "owner": (200, 302, 302, 302),
    "staff": (200, 403, 403, 403),
    "streamer": (403, 403, 403, 403),
    "other_org": (200, 302, 404, 404),  # their own team; A's members do not exist for them
    "trainer": (403, 403, 403, 403),
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN),
}


@pytest.mark.parametrize("who", WHO)
def test_team_routes_answer_each_role(app, team, browser_of, who, caplog):
    capture_mail(caplog)
    member = team["staff"].id
    answers = (
        _answer(browser_of(who).get("/team/")),
        _answer(
            browser_of(who).post(
                "/team/",
                data={"name": "新人", "email": f"{who}-new@example.com", "org_role": "staff"},
            )
        ),
        _answer(browser_of(who).post(f"/team/{member}/role", data={"org_role": "streamer"})),
        _answer(browser_of(who).post(f"/team/{member}/remove")),
    )

    assert answers == TEAM_RULES[who]
    staff = fetch(app, User, User.id == member)
    if who == "owner":
        assert (staff.role, staff.org_id, staff.org_role) == (Role.STREAMER, None, None)
    else:
        assert (staff.role, staff.org_id, staff.org_role) == (
            Role.MERCHANT, team["org_a"].id, OrgRole.STAFF,
        )  # fmt: skip


def test_owner_sees_members_with_roles_and_forms_staff_read_only(team, browser_of):
    owner_page = browser_of("owner").get("/team/").text
    staff_page = browser_of("staff").get("/team/").text
    other_page = browser_of("other_org").get("/team/").text

    for name in ("王老板", "小李", "主播小美"):
        assert name in owner_page
        assert name in staff_page
        assert name not in other_page
    assert "Invite a member" in owner_page
    assert "/remove" in owner_page
    assert "Invite a member" not in staff_page
    assert "/remove" not in staff_page
    assert "owner invites, changes roles and removes members" in staff_page
    assert "B 老板" in other_page


def test_owner_invites_streamer_who_sets_password_and_opens_own_account_recordings(
    app, team, browser_of, caplog
):
    capture_mail(caplog)

    response = browser_of("owner").post(
        "/team/", data={"name": "主播阿强", "email": "Qiang@Example.com", "org_role": "streamer"}
    )

    assert response.status_code == 302
    invited = fetch(app, User, User.email == "qiang@example.com")
    assert (invited.role, invited.org_id, invited.org_role, invited.password_hash) == (
        Role.STREAMER, team["org_a"].id, OrgRole.STREAMER, None,
    )  # fmt: skip
    [link] = mailed_links(caplog)
    browser = app.test_client()
    assert browser.get(link).status_code == 200
    assert (
        browser.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code
        == 302
    )
    assert browser.get("/media/recordings/").status_code == 200


def test_invite_with_a_used_email_shows_the_error_beside_the_field(team, browser_of):
    page = browser_of("owner").post(
        "/team/", data={"name": "重复", "email": team["staff"].email, "org_role": "staff"}
    )

    assert page.status_code == 200
    assert field_errors(page.text, "email") == ["An account with this e-mail already exists."]


def test_owner_makes_staff_an_owner_and_a_streamer_staff(app, team, browser_of):
    browser = browser_of("owner")

    browser.post(f"/team/{team['staff'].id}/role", data={"org_role": "owner"})
    browser.post(f"/team/{team['streamer'].id}/role", data={"org_role": "staff"})

    assert fetch(app, User, User.id == team["staff"].id).is_org_owner
    streamer = fetch(app, User, User.id == team["streamer"].id)
    assert (streamer.role, streamer.org_role) == (Role.MERCHANT, OrgRole.STAFF)
    # No longer a streamer: the account has nobody streaming on it.
    account = fetch(app, LiveAccount, LiveAccount.id == team["ids"]["account"])
    assert account.streamer_id is None


def test_the_last_owner_cannot_step_down_nor_remove_themselves(app, team, browser_of):
    browser = browser_of("owner")
    owner_id = team["owner"].id

    demoted = browser.post(
        f"/team/{owner_id}/role", data={"org_role": "staff"}, follow_redirects=True
    )
    removed = browser.post(f"/team/{owner_id}/remove", follow_redirects=True)

    assert "The organisation needs at least one owner." in flashes(demoted.text)
    assert "You cannot remove yourself from the team." in flashes(removed.text)
    assert fetch(app, User, User.id == owner_id).is_org_owner


def test_an_owner_steps_down_once_there_is_another_owner(app, team, browser_of):
    browser = browser_of("owner")
    browser.post(f"/team/{team['staff'].id}/role", data={"org_role": "owner"})

    browser.post(f"/team/{team['owner'].id}/role", data={"org_role": "staff"})

    assert fetch(app, User, User.id == team["owner"].id).org_role == OrgRole.STAFF
    assert (
        count_rows(app, User, User.org_role == OrgRole.OWNER, User.org_id == team["org_a"].id) == 1
    )


def test_removed_member_loses_the_organisation_and_their_sessions(app, team, browser_of):
    streamer_browser = browser_of("streamer")
    assert streamer_browser.get("/media/recordings/").status_code == 200

    browser_of("owner").post(f"/team/{team['streamer'].id}/remove")

    removed = fetch(app, User, User.id == team["streamer"].id)
    assert (removed.role, removed.org_id, removed.org_role) == (Role.STREAMER, None, None)
    assert streamer_browser.get("/media/recordings/").status_code == 302  # signed out
    assert fetch(app, LiveAccount, LiveAccount.id == team["ids"]["account"]).streamer_id is None
