"""Live accounts: who manages them, recordings that say their account, filters, a streamer's
own recordings, and who made or changed a recording (table-driven over roles)."""

from __future__ import annotations

import pytest

from media.clips.models import Clip
from media.recordings.models import Recording
from portal.extensions import db
from portal.team.models import LiveAccount
from tests.portal.helpers import count_rows, fetch, field_errors
from tests.portal.team.conftest import WHO

LOGIN = "login"
NEW = {"platform": "kuaishou", "name": "翠玉快手号", "studio": "3号直播间", "streamer_id": "0"}


def _answer(response) -> int | str:
    if response.status_code == 302 and response.headers["Location"].startswith("/auth/login"):
        return LOGIN
    return response.status_code


# who -> (accounts page, add, edit A's account page, save it, delete it)
ACCOUNT_RULES = {
    "owner": (200, 302, 200, 302, 302),
    "staff": (200, 302, 200, 302, 302),
    "streamer": (403, 403, 403, 403, 403),
    "other_org": (200, 302, 404, 404, 404),
    "trainer": (403, 403, 403, 403, 403),
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
}


@pytest.mark.parametrize("who", WHO)
def test_live_account_routes_answer_each_role(app, team, browser_of, who):
    account = f"/team/accounts/{team['ids']['account']}"
    browser = browser_of(who)
    answers = (
        _answer(browser.get("/team/accounts/")),
        _answer(browser.post("/team/accounts/", data=NEW)),
        _answer(browser.get(account)),
        _answer(browser.post(account, data=NEW | {"name": "改名"})),
        _answer(browser.post(f"{account}/delete")),
    )

    assert answers == ACCOUNT_RULES[who]
    deleted = ACCOUNT_RULES[who][4] == 302
    assert count_rows(app, LiveAccount, LiveAccount.id == team["ids"]["account"]) == (
        0 if deleted else 1
    )
    if not deleted:
        assert (
            fetch(app, LiveAccount, LiveAccount.id == team["ids"]["account"]).name == "翠玉珠宝官方"
        )


def test_accounts_page_lists_platform_name_studio_and_streamer(team, browser_of):
    page = browser_of("staff").get("/team/accounts/").text

    assert all(text in page for text in ("Douyin", "翠玉珠宝官方", "2号直播间", "主播小美"))
    assert "翠玉珠宝官方" not in browser_of("other_org").get("/team/accounts/").text


def test_same_name_on_the_same_platform_and_a_foreign_streamer_are_refused_in_place(
    team, browser_of
):
    browser = browser_of("owner")

    twice = browser.post(
        "/team/accounts/", data=NEW | {"platform": "douyin", "name": "翠玉珠宝官方"}
    )
    foreign = browser.post("/team/accounts/", data=NEW | {"streamer_id": str(team["trainer"].id)})

    assert twice.status_code == 200
    assert field_errors(twice.text, "name") == [
        "This platform already has an account of that name."
    ]
    assert foreign.status_code == 200
    assert field_errors(foreign.text, "streamer_id") == ["Not a valid choice."]


def test_deleting_an_account_keeps_its_recordings_on_no_account(app, team, browser_of):
    browser_of("owner").post(f"/team/accounts/{team['ids']['account']}/delete")

    recording = fetch(app, Recording, Recording.id == team["ids"]["on_account"])
    assert recording.live_account_id is None


# who -> (recordings list, the account's recording, the other recording, set its account)
RECORDING_RULES = {
    "owner": (200, 200, 200, 302),
    "staff": (200, 200, 200, 302),
    "streamer": (200, 200, 404, 403),
    "other_org": (200, 404, 404, 404),
    "trainer": (403, 403, 403, 403),
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN),
}


@pytest.mark.parametrize("who", WHO)
def test_recording_routes_answer_each_role(app, team, browser_of, who):
    ids, browser = team["ids"], browser_of(who)
    answers = (
        _answer(browser.get("/media/recordings/")),
        _answer(browser.get(f"/media/recordings/{ids['on_account']}")),
        _answer(browser.get(f"/media/recordings/{ids['no_account']}")),
        _answer(
            browser.post(
                f"/media/recordings/{ids['no_account']}/account",
                data={"live_account_id": str(ids["account"])},
            )
        ),
    )

    assert answers == RECORDING_RULES[who]
    recording = fetch(app, Recording, Recording.id == ids["no_account"])
    assert recording.live_account_id == (ids["account"] if answers[3] == 302 else None)


def test_streamer_lists_and_opens_only_their_accounts_recordings_read_only(team, browser_of):
    browser = browser_of("streamer")
    listed = browser.get("/media/recordings/").text
    page = browser.get(f"/media/recordings/{team['ids']['on_account']}").text

    assert "抖音早场" in listed
    assert "仓库直播" not in listed
    assert "Add a recording" not in listed
    assert "Delete recording" not in page
    assert "Save account" not in page
    assert "翠玉珠宝官方" in page
    assert browser.post("/media/recordings/", data={"title": "x"}).status_code == 403
    assert browser.post(f"/media/recordings/{team['ids']['on_account']}/delete").status_code == 403


def test_setting_the_account_names_who_changed_the_recording(app, team, browser_of):
    ids, browser = team["ids"], browser_of("staff")

    browser.post(
        f"/media/recordings/{ids['no_account']}/account",
        data={"live_account_id": str(ids["account"])},
    )
    page = browser.get(f"/media/recordings/{ids['no_account']}").text

    assert "Made by 王老板" in page
    assert "last changed by 小李" in page
    assert "Douyin · 翠玉珠宝官方 (2号直播间)" in page
    recording = fetch(app, Recording, Recording.id == ids["no_account"])
    assert recording.updated_by_id == team["staff"].id


def test_another_organisations_account_cannot_be_given_to_a_recording(app, team, browser_of):
    with app.app_context():
        theirs = LiveAccount(org_id=team["ids"]["org_b"], platform="douyin", name="B 的号")
        db.session.add(theirs)
        db.session.commit()
        theirs_id = theirs.id

    page = browser_of("owner").post(
        f"/media/recordings/{team['ids']['no_account']}/account",
        data={"live_account_id": str(theirs_id)},
    )

    assert page.status_code == 200
    assert field_errors(page.text, "live_account_id") == ["Not a valid choice."]
    assert fetch(app, Recording, Recording.id == team["ids"]["no_account"]).live_account_id is None


def _clip(app, team, recording_key: str, title: str) -> None:
    with app.app_context():
        db.session.add(
            Clip(org_id=team["org_a"].id, recording_id=team["ids"][recording_key], title=title,
                 start_ms=0, end_ms=5000, created_by_id=team["staff"].id)
        )  # fmt: skip
        db.session.commit()


def test_recording_and_clip_lists_filter_by_account(app, team, browser_of):
    _clip(app, team, "on_account", "抖音片段")
    _clip(app, team, "no_account", "仓库片段")
    browser, account = browser_of("owner"), team["ids"]["account"]

    recordings = browser.get(f"/media/recordings/?account={account}").text
    clips = browser.get(f"/clips/draft?account={account}").text
    every_clip = browser.get("/clips/draft").text

    assert "抖音早场" in recordings
    assert "仓库直播" not in recordings
    assert "抖音片段" in clips
    assert "仓库片段" not in clips
    assert "抖音片段" in every_clip
    assert "仓库片段" in every_clip
    foreign = browser_of("other_org").get(f"/media/recordings/?account={account}").text
    assert "抖音早场" not in foreign


def test_streamer_of_the_organisation_cannot_touch_its_clips(app, team, browser_of):
    _clip(app, team, "on_account", "抖音片段")
    with app.app_context():
        clip_id = db.session.scalar(db.select(Clip.id).filter_by(title="抖音片段"))
    browser = browser_of("streamer")

    answers = [
        browser.get(f"/media/clips/{clip_id}").status_code,
        browser.post(f"/review/clips/{clip_id}/comments", data={"body": "我来评论"}).status_code,
        browser.post(f"/review/clips/{clip_id}/publish").status_code,
        browser.get("/clips/draft").status_code,
    ]

    assert answers == [403, 404, 404, 403]
