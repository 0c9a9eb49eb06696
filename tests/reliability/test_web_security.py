"""Web security across the whole app: CSRF on every state-changing route, security headers on
every kind of response, and the login rate limit, also shared by two web processes on Redis.

Session rotation, reset tokens, safe redirects and certificate re-encoding are shown in
``tests/portal/test_auth.py``, ``tests/portal/test_security.py`` and
``tests/portal/test_catalog.py``.
"""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.routing import AnyConverter

from portal import PROJECT_ROOT
from portal.auth.models import Role
from portal.extensions import csrf
from tests.conftest import TEST_PASSWORD
from tests.portal.helpers import login, png_bytes, url_for_rule

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
STRING_ARGUMENTS = {"token": "not-a-token", "upload_id": "0" * 32, "filename": "x", "code": "x"}


def _write_routes(app: Flask) -> Iterator[tuple[str, str, str]]:
    """Yield (endpoint, method, url) for every state-changing route, courses included."""
    for rule in app.url_map.iter_rules():
        values = {
            name: 1 if name.endswith("_id") or name == "id" else STRING_ARGUMENTS.get(name, "x")
            for name in rule.arguments
            if not isinstance(rule._converters[name], AnyConverter)
        }
        url = url_for_rule(app, rule, values)
        for method in sorted(rule.methods & WRITE_METHODS):
            yield rule.endpoint, method, url


def _exempt_blueprint_names() -> set[str]:
    return {getattr(bp, "name", bp) for bp in csrf._exempt_blueprints}


def _csrf_exempt_write_routes(app: Flask) -> list[str]:
    exempt = []
    for endpoint, method, _url in _write_routes(app):
        view = app.view_functions[endpoint]
        blueprint = endpoint.rpartition(".")[0]
        if f"{view.__module__}.{view.__name__}" in csrf._exempt_views or (
            blueprint in _exempt_blueprint_names()
        ):
            exempt.append(f"{endpoint} {method}")
    return exempt


# CSRF


def test_only_token_authenticated_routes_are_csrf_exempt_and_none_of_them_writes(app):
    # The JSON API (media/clips/api.py) is exempt because it takes a bearer token, not the
    # session cookie; it only reads. The tus endpoints are not exempt (the widget sends the
    # header, tests/media/uploads/test_tus.py).
    assert _exempt_blueprint_names() == {"api"}
    assert _csrf_exempt_write_routes(app) == []


@pytest.mark.parametrize("extra_config", [{"WTF_CSRF_ENABLED": True}])
def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(
    app, client_as, make_user, merchant
):
    signed_in = client_as(merchant)
    page = signed_in.get("/")
    own_token = re.search(r'"X-CSRFToken": "([^"]+)"', page.text).group(1)
    other = client_as(make_user(Role.STREAMER))
    foreign_token = re.search(r'"X-CSRFToken": "([^"]+)"', other.get("/").text).group(1)
    attempts = {
        "missing": {},
        "wrong": {"X-CSRFToken": "x" * len(own_token)},
        "another session's": {"X-CSRFToken": foreign_token},
    }
    routes = list(_write_routes(app))
    wrong = {}

    for endpoint, method, url in routes:
        headers_common = {"Tus-Resumable": "1.0.0"} if endpoint.startswith("uploads.") else {}
        for what, headers in attempts.items():
            for browser in (signed_in, app.test_client()):
                data = {"csrf_token": headers.get("X-CSRFToken", "")} if method == "POST" else None
                answer = browser.open(
                    url, method=method, data=data, headers={**headers_common, **headers}
                )
                refused_for_csrf = "CSRF" in answer.text or "Your form expired" in answer.text
                if answer.status_code != 400 or not refused_for_csrf:
                    wrong[f"{endpoint} {method} ({what})"] = answer.status_code

    assert len(routes) > 50
    assert wrong == {}
    accepted = signed_in.post("/auth/language", data={"locale": "en", "csrf_token": own_token})
    assert accepted.status_code == 302  # the right token passes


# Headers on every kind of response


def _check_headers(name: str, response, *, tls: bool) -> list[str]:
    problems = []
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    if not policy or "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append(f"{name}: CSP {policy!r}")
    if directives.get("frame-ancestors") != ["'none'"] or headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{name}: framing {directives.get('frame-ancestors')}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{name}: nosniff")
    if headers.get("Referrer-Policy") not in {"same-origin", "strict-origin-when-cross-origin"}:
        problems.append(f"{name}: Referrer-Policy")
    hsts = headers.get("Strict-Transport-Security", "")
    if tls != hsts.startswith("max-age=31536000"):
        problems.append(f"{name}: HSTS {hsts!r} with tls={tls}")
    return problems


@pytest.mark.parametrize(
    "extra_config",
    [{}, {"SESSION_COOKIE_SECURE": True, "PROPAGATE_EXCEPTIONS": False}],
    ids=["http", "tls"],
)
def test_every_kind_of_response_carries_the_security_headers(
    app, client, client_as, make_user, merchant, merchant_org, extra_config
):
    def boom():
        raise RuntimeError("a bug")

    app.add_url_rule("/test-boom", "test_boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    tls = bool(extra_config)
    base = "https://localhost" if tls else "http://localhost"
    owner = client_as(merchant)
    created = owner.post(
        "/catalog/items/new",
        data={"sku": "H-1", "name": "手镯", "cert_image": (io.BytesIO(png_bytes()), "c.png")},
        content_type="multipart/form-data",
        base_url=base,
    )  # fmt: skip
    item_url = created.headers["Location"]
    feed = client.get("/library/feed.json", base_url=base)

    responses = {
        "html page": client.get("/", base_url=base),
        "json feed": feed,
        "json 304": client.get(
            "/library/feed.json", base_url=base, headers={"If-None-Match": feed.headers["ETag"]}
        ),
        "atom feed": client.get("/library/feed.atom", base_url=base),
        "csv export": owner.get("/catalog/export.csv", base_url=base),
        "image file": owner.get(f"{item_url}/certificate", base_url=base),
        "image range": owner.get(
            f"{item_url}/certificate", base_url=base, headers={"Range": "bytes=0-9"}
        ),
        "static css": client.get("/static/css/app.css", base_url=base),
        "static js": client.get("/static/js/app.js", base_url=base),
        "redirect": client.get("/catalog/", base_url=base),
        "400 tus": owner.post("/uploads/", headers={"Tus-Resumable": "1.0.0"},
                                             base_url=base),
        "401 tus": client.patch("/uploads/" + "0" * 32, headers={"Tus-Resumable": "1.0.0"},
                                base_url=base),
        "403": client_as(make_user(Role.STREAMER)).get("/catalog/", base_url=base),
        "404": client.get("/no-such-page", base_url=base),
        "405": client.get("/auth/logout", base_url=base),
        "500": client.get("/test-boom", base_url=base),
        "tus options": client.options("/uploads/", base_url=base),
        "health": client.get("/healthz", base_url=base),
    }  # fmt: skip

    codes = {name: r.status_code for name, r in responses.items()}
    assert codes == {
        "html page": 200, "json feed": 200, "json 304": 304, "atom feed": 200, "csv export": 200,
        "image file": 200, "image range": 206, "static css": 200, "static js": 200,
        "redirect": 302, "400 tus": 400, "401 tus": 401, "403": 403, "404": 404,
        "405": 405, "500": 500, "tus options": 204, "health": 200,
    }  # fmt: skip
    problems = [p for name, r in responses.items() for p in _check_headers(name, r, tls=tls)]
    assert problems == []
    assert "a bug" not in responses["500"].text


def test_only_the_embed_player_may_be_framed(app):
    frameable = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "beltcast_frameable", False)
    ]
    assert frameable == ["library.embed"]


# Rate limits


def test_visitor_guessing_passwords_twenty_times_is_stopped_with_429(client, make_user):
    user = make_user(Role.STREAMER)

    codes = [login(client, user.email, f"guess-{n}").status_code for n in range(20)]

    assert codes[:10] == [200] * 10  # BELTCAST_LOGIN_RATE_LIMIT: 10 per minute
    assert codes[10:] == [429] * 10
    assert login(client, user.email).status_code == 429  # even the right password now
    assert client.get("/auth/account").status_code == 302


def _redis_url() -> str | None:
    url = os.environ.get("BELTCAST_REDIS_URL", "redis://127.0.0.1:6379/0")
    host = urllib.parse.urlparse(url)
    try:
        socket.create_connection((host.hostname, host.port or 6379), timeout=1).close()
    except OSError:
        return None
    return url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client for a real server (urllib, no redirects followed)."""

    def __init__(self) -> None:
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object) -> None:
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect
        )

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, server: str, email: str, password: str) -> int:
        """Fetch the form (for its CSRF token), then sign in."""
        _status, page = self.request(f"{server}/auth/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _body = self.request(
            f"{server}/auth/login", {"csrf_token": token, "email": email, "password": password}
        )
        return status


def _answers(url: str) -> bool:
    try:
        return Browser().request(url)[0] == 200
    except OSError:
        return False


@pytest.fixture
def two_web_processes(app: Flask, tmp_path) -> Iterator[list[str]]:
    """Two gunicorn processes of the test app sharing Redis for rate limits."""
    redis_url = _redis_url()
    if redis_url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI starts one for the PostgreSQL + Redis run)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BELTCAST_")}
    env.update(
        BELTCAST_INSTANCE_PATH=app.instance_path,
        BELTCAST_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        BELTCAST_REDIS_URL=redis_url,
        BELTCAST_SECRET_KEY=app.config["SECRET_KEY"],
        BELTCAST_BASE_URL=app.config["BASE_URL"],
        BELTCAST_QUEUE_NAME=app.config["QUEUE_NAME"],
    )
    factory = f"portal:create_app({{'RATELIMIT_KEY_PREFIX': 'test-{uuid.uuid4().hex}'}})"
    servers, processes = [], []
    for number in range(2):
        port = _free_port()
        log = (tmp_path / f"web-{number}.log").open("wb")
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    factory,
                ],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        log.close()
        servers.append(f"http://127.0.0.1:{port}")
    try:
        for server in servers:
            deadline = time.monotonic() + 60
            while not _answers(f"{server}/healthz"):
                assert time.monotonic() < deadline, (tmp_path / "web-0.log").read_text()
                time.sleep(0.2)
        yield servers
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.slow
def test_failed_logins_are_counted_across_two_web_processes_on_redis(two_web_processes, make_user):
    user = make_user(Role.STREAMER)
    first, second = two_web_processes

    codes = [Browser().login(two_web_processes[n % 2], user.email, f"guess-{n}") for n in range(20)]

    assert codes[:10] == [200] * 10
    assert codes[10:] == [429] * 10
    assert Browser().login(second, user.email, TEST_PASSWORD) == 429
    assert Browser().login(first, user.email, TEST_PASSWORD) == 429


def test_media_file_missing_from_disk_answers_404_not_500(world):
    # The row names a.mp4, which is not on disk (deleted by hand, or a volume not mounted).
    response = world["merchant_a"].get(f"/media/recordings/{world['ids']['recording']}/video")

    assert response.status_code == 404
    assert 'class="error-page"' in response.text


def test_nul_character_in_a_field_or_query_is_refused_with_400(app, client_as, merchant):
    # PostgreSQL refuses NUL in text columns: without the guard these were 500s on CI's run.
    browser = client_as(merchant)

    answers = [
        browser.post("/catalog/items/new", data={"sku": "N-1", "name": "a\x00b"}),
        browser.post("/auth/account", data={"name": "a\x00b", "locale": "en"}),
        browser.post("/catalog/items/new", data={"sku": "N-1", "name": "x", "a\x00": "1"}),
        browser.get("/search/?q=a%00b"),
        browser.get("/catalog/?q=%00"),
    ]

    assert [a.status_code for a in answers] == [400] * 5
    assert browser.post("/catalog/items/new", data={"sku": "N-1", "name": "ab"}).status_code == 302
