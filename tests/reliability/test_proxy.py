"""Behind nginx: media handed over with X-Accel-Redirect after the access check, and the
client's address taken from X-Forwarded-For only when the proxy is trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.auth.models import Role
from tests.portal.helpers import login

ACCEL = {"MEDIA_ACCEL_PREFIX": "/_media/"}


@pytest.fixture
def recording_file(app, world) -> Path:
    """The bytes of organisation A's recording (the row names a.mp4)."""
    path = Path(app.config["MEDIA_ROOT"]) / "recordings" / str(world["ids"]["org"]) / "a.mp4"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4000)
    return path


@pytest.mark.parametrize("extra_config", [ACCEL])
def test_owner_gets_media_as_x_accel_redirect_after_the_access_check(app, world, recording_file):
    url = f"/media/recordings/{world['ids']['recording']}/video"
    owner, other = world["merchant_a"], world["merchant_b"]

    whole = owner.get(url)
    part = owner.get(url, headers={"Range": "bytes=0-99"})
    foreign = other.get(url)
    static = owner.get("/static/css/app.css")

    expected = f"/_media/recordings/{world['ids']['org']}/a.mp4"
    for answer in (whole, part):
        assert answer.status_code == 200  # nginx answers the Range from the file
        assert answer.headers["X-Accel-Redirect"] == expected
        assert answer.data == b""
        assert answer.mimetype == "video/mp4"
        assert "Content-Range" not in answer.headers
        assert "X-Sendfile" not in answer.headers
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert foreign.status_code == 404
    assert "X-Accel-Redirect" not in foreign.headers
    assert static.status_code == 200
    assert b"{" in static.data  # static assets are still sent by the portal
    assert "X-Accel-Redirect" not in static.headers
    assert "X-Sendfile" not in static.headers


@pytest.mark.parametrize("extra_config", [ACCEL])
def test_unchanged_media_answers_304_without_handing_over(app, world, recording_file):
    url = f"/media/recordings/{world['ids']['recording']}/video"
    first = world["merchant_a"].get(url)

    again = world["merchant_a"].get(url, headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert "X-Accel-Redirect" not in again.headers


def test_without_the_setting_the_portal_sends_media_itself(world, recording_file):
    answer = world["merchant_a"].get(f"/media/recordings/{world['ids']['recording']}/video")

    assert answer.status_code == 200
    assert answer.data == recording_file.read_bytes()
    assert "X-Accel-Redirect" not in answer.headers


@pytest.mark.parametrize("extra_config", [{"PROXY_HOPS": 1}])
def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(client, make_user):
    user = make_user(Role.STREAMER)
    guesser = {"X-Forwarded-For": "203.0.113.5"}

    codes = [
        client.post(
            "/auth/login", data={"email": user.email, "password": "wrong"}, headers=guesser
        ).status_code
        for _ in range(11)
    ]
    neighbour = client.post(
        "/auth/login",
        data={"email": user.email, "password": "wrong"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )

    assert codes == [200] * 10 + [429]
    assert neighbour.status_code == 200


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_reset_the_limit(client, make_user):
    user = make_user(Role.STREAMER)
    for number in range(10):
        assert login(client, user.email, "wrong").status_code == 200, number

    forged = client.post(
        "/auth/login",
        data={"email": user.email, "password": "wrong"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )

    assert forged.status_code == 429
