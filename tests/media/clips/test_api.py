"""The JSON API and ``flask clips export``: suggestions and clips, by session or API token."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from sqlalchemy import update

from media.clips.models import Clip, ClipCue, ClipVersion, Mention, Suggestion, SuggestionItem
from media.recordings.models import Recording
from portal.auth.models import Role
from portal.database import utcnow
from portal.extensions import db
from portal.tokens.models import ApiToken
from tests.media.clips.helpers import one, rows, sentences

SECRET = re.compile(r'<code class="token-secret">(.*?)</code>')


def create_token(browser, name: str = "shop script") -> str:
    """Create a token on the tokens page; return the secret it shows once."""
    page = browser.post("/account/tokens/", data={"name": name})
    assert page.status_code == 200
    found = SECRET.findall(page.text)
    assert len(found) == 1, "the new token's secret is shown exactly once"
    return unescape(found[0])


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def browser(client_as, merchant):
    return client_as(merchant)


@pytest.fixture
def clip_id(browser, recording_id, items) -> int:
    """A clip of sentences 1–3 about the bangle and the necklace, one line corrected, one hidden."""
    response = browser.post(
        f"/media/recordings/{recording_id}/clips",
        data={"first_sentence": 1, "last_sentence": 3, "title": "手镯 in the light",
              "item_ids": [items["bangle"].id, items["pearl"].id]},
    )  # fmt: skip
    assert response.status_code == 302
    clip = int(response.location.rsplit("/", 1)[1])
    browser.post(f"/media/clips/{clip}/details", data={
        "title": "手镯 in the light", "description": "冰种，通透。",
        "item_ids": [items["bangle"].id, items["pearl"].id]})  # fmt: skip
    return clip


@pytest.fixture
def foreign(app, other_merchant):
    """Another organisation's recording and clip: (recording id, clip id)."""
    with app.app_context():
        recording = Recording(org_id=other_merchant.org_id, title="别家的直播", stored_name="b.mp4")
        db.session.add(recording)
        db.session.flush()
        clip = Clip(org_id=other_merchant.org_id, recording_id=recording.id, title="别家的片段",
                    start_ms=0, end_ms=5000)  # fmt: skip
        db.session.add(clip)
        db.session.commit()
        return recording.id, clip.id


def mentioned_inside(app, suggestion, item_id) -> list[float]:
    """The seconds ``item_id`` is mentioned inside the suggestion (the middle of the mention)."""
    found = rows(app, Mention, Mention.recording_id == suggestion.recording_id,
                 Mention.item_id == item_id, order_by=Mention.start_ms)  # fmt: skip
    middle = [m for m in found if suggestion.start_ms <= (m.start_ms + m.end_ms) / 2
              <= suggestion.end_ms]  # fmt: skip
    return [m.start_ms / 1000 for m in middle]


def expected_suggestions(app, recording_id, items):
    by_id = {item.id: item for item in items.values()}
    found = rows(app, Suggestion, Suggestion.recording_id == recording_id)
    found.sort(key=lambda s: (-s.score, s.start_ms))
    assert all(len(rows(app, SuggestionItem, SuggestionItem.suggestion_id == s.id)) == 1
               for s in found), "the two items are in separate paragraphs"  # fmt: skip
    return {
        "recording": recording_id,
        "stream_items": [],  # no item list: nothing is on or off it
        "suggestions": [
            {
                "sku": by_id[s.main_item_id].sku,
                "skus": [by_id[s.main_item_id].sku],
                "item": by_id[s.main_item_id].name,
                "start": s.start_ms / 1000,
                "end": s.end_ms / 1000,
                "score": round(s.score, 4),
                "mentions": s.mention_count,
                "items": [
                    {
                        "sku": by_id[s.main_item_id].sku,
                        "name": by_id[s.main_item_id].name,
                        "mentions": mentioned_inside(app, s, s.main_item_id),
                        "on_list": None,
                    },
                ],
            }
            for s in found
        ],
    }


def test_merchant_reads_suggestions_json_with_session(app, browser, recording_id, items):
    response = browser.get(f"/api/recordings/{recording_id}/suggestions.json")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert document == expected_suggestions(app, recording_id, items)
    assert sorted(s["sku"] for s in document["suggestions"]) == ["JB-1", "PN-1"]


def test_script_reads_suggestions_with_token_shown_once(app, client, browser, recording_id, items):
    secret = create_token(browser)
    assert secret.startswith("bct_")
    listing = browser.get("/account/tokens/").text
    assert secret not in listing
    assert f"<code>{secret[:12]}…</code>" in listing

    response = client.get(
        f"/api/recordings/{recording_id}/suggestions.json", headers=bearer(secret)
    )

    assert response.status_code == 200
    assert response.get_json() == expected_suggestions(app, recording_id, items)
    token = one(app, ApiToken)
    assert token.last_used_at is not None
    assert secret not in token.token_hash


def test_script_reads_a_clip_with_items_times_and_subtitles(
    app, client, browser, clip_id, recording_id
):
    found = sentences(app, recording_id)
    first, second, third = rows(app, ClipCue, order_by=ClipCue.start_ms)
    browser.post(f"/media/clips/{clip_id}/cues/{first.id}", data={"text": "翡翠手镯，缅甸来的。"})
    browser.post(f"/media/clips/{clip_id}/cues/{third.id}", data={"text": third.text,
                                                                  "is_hidden": "y"})  # fmt: skip
    secret = create_token(browser)

    by_token = client.get(f"/api/clips/{clip_id}.json", headers=bearer(secret))
    by_session = browser.get(f"/api/clips/{clip_id}.json")

    assert by_token.status_code == by_session.status_code == 200
    assert by_token.get_json() == by_session.get_json()
    start_ms = found[1].start_ms

    def relative(ms: int) -> float:
        return round((ms - start_ms) / 1000, 3)

    assert by_token.get_json() == {
        "clip": clip_id,
        "recording": recording_id,
        "title": "手镯 in the light",
        "description": "冰种，通透。",
        "state": "draft",
        "items": [{"sku": "JB-1", "name": "翡翠手镯"}, {"sku": "PN-1", "name": "淡水珍珠项链"}],
        "start": start_ms / 1000,
        "end": found[3].end_ms / 1000,
        "ranges": [{"start": start_ms / 1000, "end": found[3].end_ms / 1000}],
        "duration": relative(found[3].end_ms),
        "subtitles": [
            {"start": 0.0, "end": relative(found[1].end_ms), "text": "翡翠手镯，缅甸来的。",
             "hidden": False},
            {"start": relative(found[2].start_ms), "end": relative(found[2].end_ms),
             "text": second.text, "hidden": False},
            {"start": relative(found[3].start_ms), "end": relative(found[3].end_ms),
             "text": found[3].text, "hidden": True},
        ],
        "version": None,
    }  # fmt: skip


def test_script_sees_the_newest_rendered_version_in_clip_json(app, browser, clip_id):
    with app.app_context():
        for number, ready in ((1, True), (2, False)):
            db.session.add(
                ClipVersion(org_id=one(app, Clip).org_id, clip_id=clip_id, number=number,
                            created_at=utcnow(), profile="vertical", start_ms=0, end_ms=5000,
                            stored_stem=f"v{number}", is_ready=ready, duration_s=5.0,
                            width=720, height=1280)
            )  # fmt: skip
        db.session.commit()

    version = browser.get(f"/api/clips/{clip_id}.json").get_json()["version"]

    assert version == {
        "number": 1, "profile": "vertical", "width": 720, "height": 1280, "duration": 5.0
    }  # fmt: skip


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer bct_not-a-real-token"},
        {"Authorization": "Bearer something-else"},
        {"Authorization": "Bearer "},
    ],
    ids=["none", "unknown", "foreign-format", "empty"],
)
def test_caller_without_valid_credentials_gets_401(client, recording_id, clip_id, headers):
    for url in (f"/api/recordings/{recording_id}/suggestions.json", f"/api/clips/{clip_id}.json"):
        assert client.get(url, headers=headers).status_code == 401, url


def test_script_with_revoked_token_gets_401(app, client, browser, recording_id):
    secret = create_token(browser)
    url = f"/api/recordings/{recording_id}/suggestions.json"
    assert client.get(url, headers=bearer(secret)).status_code == 200

    revoked = browser.post(f"/account/tokens/{one(app, ApiToken).id}/revoke")

    assert revoked.status_code == 302
    assert "Revoked" in browser.get("/account/tokens/").text
    assert client.get(url, headers=bearer(secret)).status_code == 401


def test_staff_session_gets_403_from_the_api(client_as, make_user, recording_id):
    trainer = client_as(make_user(Role.TRAINER))

    answer = trainer.get(f"/api/recordings/{recording_id}/suggestions.json")
    assert answer.status_code == 403
    assert answer.json == {"error": "not allowed"}


def test_other_org_gets_404_by_session_and_by_token(
    app, client, client_as, browser, other_merchant, recording_id, clip_id, foreign
):
    other = client_as(other_merchant)
    other_secret = create_token(other, "their script")
    own_secret = create_token(browser)
    theirs = [f"/api/recordings/{foreign[0]}/suggestions.json", f"/api/clips/{foreign[1]}.json"]
    ours = [f"/api/recordings/{recording_id}/suggestions.json", f"/api/clips/{clip_id}.json"]

    for url in ours:
        assert other.get(url).status_code == 404, url
        assert client.get(url, headers=bearer(other_secret)).status_code == 404, url
        # a token names its organisation even when a session of another one comes along
        assert other.get(url, headers=bearer(own_secret)).status_code == 200, url
    for url in theirs:
        assert browser.get(url).status_code == 404, url
        assert client.get(url, headers=bearer(own_secret)).status_code == 404, url
        assert client.get(url, headers=bearer(other_secret)).status_code == 200, url


def test_operator_export_prints_the_api_document(app, runner, browser, recording_id):
    api = browser.get(f"/api/recordings/{recording_id}/suggestions.json").get_json()

    result = runner.invoke(args=["clips", "export", str(recording_id)])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api
    assert "翡翠手镯" in result.output  # readable, not \\u-escaped


def test_operator_export_refreshes_on_request_and_refuses_unknown_recordings(
    app, runner, recording_id
):
    with app.app_context():
        db.session.execute(update(Suggestion).values(score=0.5))
        db.session.commit()

    stale = json.loads(runner.invoke(args=["clips", "export", str(recording_id)]).output)
    fresh = json.loads(
        runner.invoke(args=["clips", "export", str(recording_id), "--refresh"]).output
    )
    missing = runner.invoke(args=["clips", "export", "999999"])

    assert {s["score"] for s in stale["suggestions"]} == {0.5}
    assert all(s["score"] > 1 for s in fresh["suggestions"])
    assert missing.exit_code != 0
    assert "no recording 999999" in missing.output
