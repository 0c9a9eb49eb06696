"""Security: headers, CSRF (forms and htmx), rate limits, error pages, redirects, schema."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from portal.auth.models import Role
from portal.catalog.models import Item
from tests.conftest import TEST_PASSWORD
from tests.portal.helpers import count_rows, form_with, html_lang, in_english, login

TRANSLATIONS = Path(__file__).resolve().parents[2] / "portal" / "translations"


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in policy.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def _assert_security_headers(response) -> None:
    csp = _csp(response)
    everything = " ".join(v for values in csp.values() for v in values)
    assert "'unsafe-inline'" not in everything
    assert "'unsafe-eval'" not in everything
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert response.headers["X-Frame-Options"] == "DENY"


# Headers


def test_visitor_gets_security_headers_on_pages_static_files_and_errors(
    client, client_as, make_user
):
    streamer = client_as(make_user(Role.STREAMER))
    responses = {
        "page": client.get("/"),
        "static": client.get("/static/css/app.css"),
        "404": client.get("/no-such-page"),
        "405": client.get("/auth/logout"),
        "403": streamer.get("/admin/users"),
        "health": client.get("/healthz"),
    }

    assert {k: r.status_code for k, r in responses.items()} == {
        "page": 200, "static": 200, "404": 404, "405": 405, "403": 403, "health": 200,
    }  # fmt: skip
    for response in responses.values():
        _assert_security_headers(response)
    assert "Strict-Transport-Security" not in responses["page"].headers


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_visitor_over_tls_gets_hsts_and_secure_cookie(client):
    response = client.get("/?lang=en", base_url="https://localhost")

    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in response.headers["Set-Cookie"]


def test_user_session_cookie_is_httponly_and_samesite_lax(client, streamer):
    response = login(client, streamer.email)

    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def _pages_to_check(app, client, client_as, make_user, merchant_org, make_item):
    merchant = client_as(make_user(Role.MERCHANT, merchant_org))
    admin = client_as(make_user(Role.ADMIN))
    item = make_item(merchant_org, sku="CY-1")
    preview = merchant.post(
        "/catalog/import",
        data={"file": (io.BytesIO(b"sku,name\nCY-2,x\n"), "c.csv")},
        content_type="multipart/form-data",
    ).headers["Location"]
    visitor_urls = ["/", "/auth/login", "/auth/register", "/auth/apply", "/auth/forgot"]
    merchant_urls = [
        "/catalog/",
        "/catalog/items/new",
        f"/catalog/items/{item.id}",
        f"/catalog/items/{item.id}/edit",
        "/catalog/import",
        preview,
        "/auth/account",
    ]
    admin_urls = [
        "/admin/users",
        "/admin/organisations",
        "/admin/categories",
        "/catalog/all",
        f"/catalog/all/items/{item.id}",
        "/admin/jobs/",
    ]
    pages = {url: client.get(url) for url in visitor_urls}
    pages |= {url: merchant.get(url) for url in merchant_urls}
    pages |= {url: admin.get(url) for url in admin_urls}
    return pages


def test_pages_have_no_inline_script_style_or_handlers(
    app, client, client_as, make_user, merchant_org, make_item
):
    pages = _pages_to_check(app, client, client_as, make_user, merchant_org, make_item)

    for url, response in pages.items():
        assert response.status_code == 200, url
        html = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"<style\b", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "javascript:" not in html, url


# CSRF


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_visitor_posting_form_without_csrf_token_gets_400_page(client, streamer):
    response = client.post("/auth/login", data={"email": streamer.email, "password": TEST_PASSWORD})

    assert response.status_code == 400
    assert 'class="error-page"' in response.text
    _assert_security_headers(response)
    assert client.get("/auth/account").status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_merchant_htmx_post_with_csrf_header_from_page_is_accepted(
    app, client_as, merchant, merchant_org
):
    browser = client_as(merchant)
    page = browser.get("/catalog/")
    match = re.search(r"<body hx-headers='([^']+)'>", page.text)
    assert match, "the page body carries the CSRF header for htmx"
    headers = json.loads(match.group(1))
    assert set(headers) == {"X-CSRFToken"}

    refused = browser.post("/catalog/items/new", data={"sku": "CY-1", "name": "手镯"})
    accepted = browser.post(
        "/catalog/items/new",
        data={"sku": "CY-1", "name": "手镯"},
        headers=headers | {"HX-Request": "true"},
    )

    assert refused.status_code == 400
    assert 'id="error-message"' not in refused.text  # a full page for a normal post
    assert accepted.status_code in {204, 302}
    assert count_rows(app, Item, Item.org_id == merchant_org.id) == 1


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_htmx_post_without_csrf_gets_error_fragment(client_as, merchant):
    response = client_as(merchant).post(
        "/catalog/items/new", data={"sku": "CY-1", "name": "x"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 400
    assert response.text.startswith('<div id="error-message"')


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_user_cannot_be_signed_out_by_cross_site_post(client, streamer):
    login_page = client.get("/auth/login")
    form = form_with(login_page.text, "password")
    form.fields.update(email=streamer.email, password=TEST_PASSWORD)
    assert client.post("/auth/login", data=form.fields).status_code == 302

    assert client.post("/auth/logout").status_code == 400
    assert client.get("/auth/account").status_code == 200


# Rate limits


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "3 per minute"}])
def test_visitor_with_too_many_failed_logins_gets_429(client, streamer):
    for _ in range(3):
        assert login(client, streamer.email, "wrong-password").status_code == 200

    blocked = login(in_english(client), streamer.email, TEST_PASSWORD)

    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.text
    _assert_security_headers(blocked)
    assert client.get("/auth/account").status_code == 302
    assert client.get("/auth/login").status_code == 200  # reading the form is not limited


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "2 per minute"}])
def test_visitor_stopped_by_a_rate_limit_is_told_when_to_retry(client, streamer):
    for _ in range(2):
        assert login(client, streamer.email, "wrong-password").status_code == 200

    blocked = login(client, streamer.email, "wrong-password")

    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "2 per minute"}])
def test_visitor_stopped_at_sign_in_is_told_when_to_retry_there_too(client, streamer):
    for _ in range(2):
        login(client, streamer.email, "wrong-password")
    blocked = login(client, streamer.email, TEST_PASSWORD)  # 请先登录 is not all they read
    assert blocked.status_code == 429
    assert "此网络连接的尝试次数过多。请" in blocked.text
    assert re.search(r"请\d+秒钟后再试（\d{1,2}:\d{2} 之后）", blocked.text)
    form = client.get("/auth/login?next=/courses/")  # back on the form: the notice stays
    assert form.status_code == 200
    assert "此网络连接的尝试次数过多" in form.text
    english = client.get("/auth/login?lang=en").text
    assert re.search(r"Too many attempts from this connection\. Try again in \d+ seconds", english)


def test_visitor_never_limited_sees_no_notice_on_the_sign_in_form(client):
    page = client.get("/auth/login")
    assert "尝试次数过多" not in page.text


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "2 per minute"}])
def test_visitor_flooding_password_reset_gets_429(client):
    codes = [
        client.post("/auth/forgot", data={"email": "a@example.com"}).status_code for _ in "abc"
    ]

    assert codes == [302, 302, 429]


# Error pages and language


@pytest.mark.parametrize(
    ("role", "url", "code"),
    [(None, "/no-such-page", 404), (Role.STREAMER, "/catalog/", 403)],
)
def test_error_pages_are_chinese_by_default_and_english_on_request(
    client, client_as, make_user, role, url, code
):
    browser = client_as(make_user(role)) if role else client

    default = browser.get(url)
    english = browser.get(url, query_string={"lang": "en"})

    assert default.status_code == english.status_code == code
    assert html_lang(default.text) == "zh-CN"
    assert html_lang(english.text) == "en"
    assert f'<p class="error-code">{code}</p>' in default.text
    assert {404: "Page not found", 403: "Not allowed"}[code] in english.text


def _chinese_catalog() -> Path | None:
    for name in ("zh_Hans_CN", "zh_CN"):
        po = TRANSLATIONS / name / "LC_MESSAGES" / "messages.po"
        if po.exists():
            return po
    return None


class TestCompiledChineseCatalog:
    """The error pages with the Chinese catalog freshly compiled (skipped until it exists)."""

    @pytest.fixture
    def catalog(self):
        po = _chinese_catalog()
        if po is None:
            pytest.skip("no Chinese translations yet")
        with po.open("rb") as handle:
            return po, read_po(handle)

    @pytest.fixture
    def app_config(self, catalog, tmp_path_factory):
        po, messages = catalog
        folder = tmp_path_factory.mktemp("translations")
        target = folder / po.parent.parent.name / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(po, target / "messages.po")
        with (target / "messages.mo").open("wb") as handle:
            write_mo(handle, messages)
        return {"BABEL_TRANSLATION_DIRECTORIES": str(folder)}

    @pytest.mark.parametrize(
        ("role", "url", "code", "msgid"),
        [
            (None, "/no-such-page", 404, "Page not found"),
            (Role.STREAMER, "/catalog/", 403, "Not allowed"),
        ],
    )
    def test_error_page_title_is_translated(
        self, catalog, client, client_as, make_user, role, url, code, msgid
    ):
        translated = catalog[1].get(msgid)
        if translated is None or not translated.string or translated.fuzzy:
            pytest.skip(f"{msgid!r} is not translated yet")
        browser = client_as(make_user(role)) if role else client

        default = browser.get(url)
        english = browser.get(url, query_string={"lang": "en"})

        assert f"<h1>{translated.string}</h1>" in default.text
        assert f"<h1>{msgid}</h1>" in english.text


# Redirects

# ``next`` values a browser could read as another host (tabs, CR and LF are dropped, a backslash
# counts as a slash), each sent percent-encoded as a form would send it.
HOSTILE_NEXT_VALUES = [
    "//evil.example/",
    "///evil.example",
    "https://evil.example/",
    "HTTPS:evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "/ /evil.example",
    "/\x0b/evil.example",
    "/\x7f/evil.example",
    "/\u3000/evil.example",
    "/\u200b/evil.example",
    "/\u2028/evil.example",
    "/\uff0f/evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "evil.example",
    "",
]
# The same attack as it is typed into an address bar: the raw query string.
HOSTILE_NEXT_QUERIES = [
    "next=%2F%09%2Fevil.example",
    "next=%2F%0A%2Fevil.example",
    "next=%2F%0D%0A%2Fevil.example",
    "next=/%09/evil.example",
    "next=%09//evil.example",
    "next=//evil.example",
    "next=/%5C/evil.example",
    "next=%2F%252F%252Fevil.example",
    "next=/%E3%80%80/evil.example",
]
HOSTILE_NEXT = list(
    dict.fromkeys(
        [urlencode({"next": value}) for value in HOSTILE_NEXT_VALUES] + HOSTILE_NEXT_QUERIES
    )
)
LOCAL_NEXT = ["/catalog/?q=x", "/search?q=%E7%BF%A1%E7%BF%A0+bangle", "/library/#clips"]


def _sign_in(client, user, query: str):
    data = {"email": user.email, "password": TEST_PASSWORD}
    return client.post("/auth/login", query_string=query, data=data)


def _switch_language(client, user, query: str):
    return client.post("/auth/language", query_string=query, data={"locale": "en"})


@pytest.mark.parametrize("send", [_sign_in, _switch_language], ids=["login", "language"])
@pytest.mark.parametrize("query", HOSTILE_NEXT)
def test_user_is_never_sent_off_site_by_a_hostile_next(client, merchant, send, query):
    response = send(client, merchant, query)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("send", [_sign_in, _switch_language], ids=["login", "language"])
@pytest.mark.parametrize("next_url", LOCAL_NEXT)
def test_user_is_sent_to_a_local_next_url(client, merchant, send, next_url):
    response = send(client, merchant, urlencode({"next": next_url}))

    assert response.status_code == 302
    assert response.headers["Location"] == next_url


@pytest.mark.parametrize("path", ["/%09/evil.example", "/%0A/evil.example", "/%5C/evil.example"])
def test_visitor_switching_language_on_a_hostile_path_is_sent_home(client, path):
    page = client.get(path)
    form = form_with(page.text, "locale")

    response = client.post(form.action, data={"locale": "en"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# Schema


def test_models_and_migrations_agree(runner):
    # Alembic prints its verdict to the stdout it saw at import; the exit code tells:
    # detected differences exit 1.
    result = runner.invoke(args=["db", "check"])

    assert result.exit_code == 0, result.output
