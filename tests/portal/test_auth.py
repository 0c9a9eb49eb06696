"""Accounts: sign in and out, registration, merchant applications, resets, language."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from argon2 import Type
from itsdangerous import TimestampSigner

from portal.auth.models import Role, User
from portal.organisations.models import Organisation, OrgStatus
from tests.conftest import TEST_PASSWORD
from tests.portal.conftest import PRODUCTION_HASHER
from tests.portal.helpers import (
    capture_mail,
    count_rows,
    fetch,
    field_errors,
    flashes,
    form_with,
    html_lang,
    in_english,
    login,
    mailed_links,
    mailed_urls,
)
from tests.support.invisible import sprinkled_all

NEW_PASSWORD = "new-secret-password-7"


# Signing in and out


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_merchant_signs_in_through_login_form_and_sees_own_name(client, make_user, merchant_org):
    user = make_user(Role.MERCHANT, merchant_org, name="陈老板", email="chen@example.com")
    page = client.get("/auth/login")
    assert page.status_code == 200
    form = form_with(page.text, "password")
    assert "csrf_token" in form.fields
    form.fields.update(email="Chen@Example.com", password=TEST_PASSWORD)

    response = client.post(form.action or "/auth/login", data=form.fields)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert user.name in home.text
    assert "/auth/logout" in home.text


def test_visitor_with_wrong_password_or_unknown_email_gets_same_generic_message(client, merchant):
    wrong_password = login(client, merchant.email, "not-the-password")
    unknown_email = login(client, "nobody@example.com", TEST_PASSWORD)

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert flashes(wrong_password.text) == flashes(unknown_email.text)
    assert len(flashes(wrong_password.text)) == 1
    assert "Wrong e-mail or password." in flashes(
        login(in_english(client), merchant.email, "x").text
    )
    assert client.get("/auth/account").status_code == 302


def test_suspended_user_cannot_sign_in(client, make_user):
    user = make_user(Role.STREAMER, is_suspended=True)

    response = login(in_english(client), user.email)

    assert response.status_code == 200
    assert flashes(response.text) == ["This account is suspended. Contact the base staff."]
    assert client.get("/auth/account").status_code == 302


def test_user_signing_in_gets_new_session_cookie_and_old_cookie_dies_at_logout(client, streamer):
    client.get("/?lang=en")
    visitor_cookie = client.get_cookie("session").value

    assert login(client, streamer.email).status_code == 302
    signed_in_cookie = client.get_cookie("session").value
    assert signed_in_cookie != visitor_cookie
    assert client.get("/auth/account").status_code == 200

    client.post("/auth/logout")
    assert client.get("/auth/account").status_code == 302

    client.set_cookie("session", signed_in_cookie)  # replay the stolen signed-in cookie
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


# Registering as a streamer


def _registration(**changes: str) -> dict[str, str]:
    data = {
        "name": "小周",
        "email": "zhou@example.com",
        "password": TEST_PASSWORD,
        "confirm": TEST_PASSWORD,
    }
    return data | changes


def test_visitor_registers_as_streamer_and_is_signed_in(app, client):
    response = client.post("/auth/register", data=_registration(email="Zhou@Example.com"))

    assert response.status_code == 302
    user = fetch(app, User, User.email == "zhou@example.com")
    assert user is not None
    assert user.role == Role.STREAMER
    assert user.org_id is None
    assert "小周" in client.get("/").text


def test_registered_password_is_stored_as_argon2id(app, client):
    client.post("/auth/register", data=_registration())

    user = fetch(app, User, User.email == "zhou@example.com")
    assert user.password_hash.startswith("$argon2id$")
    assert TEST_PASSWORD not in user.password_hash


def test_production_password_hasher_uses_strong_argon2id_parameters():
    # Tests hash with cheap parameters (tests/portal/conftest.py); production must not.
    hasher = PRODUCTION_HASHER
    assert hasher.type is Type.ID
    assert hasher.time_cost >= 2
    assert hasher.memory_cost >= 19 * 1024  # KiB, the OWASP minimum for argon2id
    assert PRODUCTION_HASHER.hash("x").startswith("$argon2id$v=19$")


def test_names_typed_with_invisible_characters_are_stored_without_them(
    app, client, client_as, streamer
):
    registered = client.post("/auth/register", data=_registration(name=sprinkled_all("小周")))
    applied = app.test_client().post(
        "/auth/apply",
        data={"org_name": sprinkled_all("翠玉坊珠宝"), "contact_phone": "+86 138 0000 0000",
              "name": sprinkled_all("陈老板"), "email": "chen@example.com",
              "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
    )  # fmt: skip
    renamed = client_as(streamer).post(
        "/auth/account", data={"name": sprinkled_all("新主播"), "locale": "zh_CN"}
    )

    assert (registered.status_code, applied.status_code, renamed.status_code) == (302, 302, 302)
    names = {
        email: fetch(app, User, User.email == email).name
        for email in ("zhou@example.com", "chen@example.com", streamer.email)
    }
    assert names == {
        "zhou@example.com": "小周",
        "chen@example.com": "陈老板",
        streamer.email: "新主播",
    }
    org = fetch(app, Organisation, Organisation.slug == "cui-yu-fang-zhu-bao")
    assert org.name == "翠玉坊珠宝"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Invalid email address."),
        (
            {"password": "short", "confirm": "short"},
            "password",
            "Field must be between 8 and 128 characters long.",
        ),
        ({"confirm": "something-else-1"}, "confirm", "The passwords differ."),
    ],
)
def test_visitor_registering_with_invalid_field_sees_error_in_place(
    app, client, changes, field, message
):
    response = in_english(client).post("/auth/register", data=_registration(**changes))

    assert response.status_code == 200
    assert field_errors(response.text, field) == [message]
    assert count_rows(app, User) == 0


def test_visitor_registering_with_taken_email_sees_error_in_place(app, client, streamer):
    response = in_english(client).post(
        "/auth/register", data=_registration(email=streamer.email.upper())
    )

    assert response.status_code == 200
    assert field_errors(response.text, "email") == ["An account with this e-mail already exists."]
    assert count_rows(app, User) == 1


# Applying as a merchant


def test_visitor_applying_as_merchant_creates_pending_org_and_member(app, client):
    response = client.post(
        "/auth/apply",
        data={
            "org_name": "翠玉坊珠宝",
            "contact_phone": "+86 138 0000 0000",
            "name": "陈老板",
            "email": "chen@example.com",
            "password": TEST_PASSWORD,
            "confirm": TEST_PASSWORD,
        },
    )

    assert response.status_code == 302
    org = fetch(app, Organisation, Organisation.name == "翠玉坊珠宝")
    assert org is not None
    assert org.status == OrgStatus.PENDING
    assert org.slug == "cui-yu-fang-zhu-bao"
    assert org.contact_phone == "+86 138 0000 0000"
    user = fetch(app, User, User.email == "chen@example.com")
    assert (user.role, user.org_id) == (Role.MERCHANT, org.id)
    home = client.get("/")
    assert 'class="status status-pending"' in home.text
    assert "翠玉坊珠宝" in home.text


def test_visitor_applying_with_bad_phone_sees_error_and_nothing_is_created(app, client):
    response = in_english(client).post(
        "/auth/apply",
        data={
            "org_name": "翠玉坊",
            "contact_phone": "call me",
            "name": "陈老板",
            "email": "chen@example.com",
            "password": TEST_PASSWORD,
            "confirm": TEST_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert field_errors(response.text, "contact_phone") == ["Digits only."]
    assert count_rows(app, Organisation) == 0
    assert count_rows(app, User) == 0


# Password reset


def test_user_resets_password_through_mailed_link_once_only(app, client, caplog, streamer):
    capture_mail(caplog)
    response = client.post("/auth/forgot", data={"email": streamer.email})
    assert response.status_code == 302
    [link] = mailed_links(caplog)

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert streamer.name in client.get("/").text  # signed in by the reset

    fresh = app.test_client()
    assert login(fresh, streamer.email, TEST_PASSWORD).status_code == 200
    assert login(fresh, streamer.email, NEW_PASSWORD).status_code == 302

    again = in_english(app.test_client())
    reused = again.post(link, data={"password": "third-password-9", "confirm": "third-password-9"})
    assert reused.status_code == 400
    assert "invalid, expired or already used" in reused.text
    assert login(app.test_client(), streamer.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("app_config", "site"),
    [
        ({"BASE_URL": ""}, "http://127.0.0.1:8000"),
        ({"BASE_URL": "https://beltcast.example/"}, "https://beltcast.example"),
    ],
    ids=["local-default", "configured"],
)
def test_visitor_forging_host_header_gets_reset_link_on_configured_site(
    client, caplog, streamer, site
):
    capture_mail(caplog)

    client.post("/auth/forgot", data={"email": streamer.email}, headers={"Host": "evil.example"})

    [url] = mailed_urls(caplog)
    assert url.startswith(f"{site}/auth/reset/")
    assert client.get(urlsplit(url).path).status_code == 200  # a valid token


def test_visitor_asking_reset_for_unknown_email_gets_same_answer_and_no_mail(client, caplog):
    capture_mail(caplog)

    response = client.post("/auth/forgot", data={"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mailed_links(caplog) == []


def test_user_with_expired_reset_link_cannot_set_password(client, caplog, monkeypatch, streamer):
    capture_mail(caplog)
    two_hours_ago = int(time.time()) - 2 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: two_hours_ago)
        client.post("/auth/forgot", data={"email": streamer.email})
    [link] = mailed_links(caplog)

    response = in_english(client).post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert response.status_code == 400
    assert "invalid, expired or already used" in response.text
    assert login(client, streamer.email, NEW_PASSWORD).status_code == 200


def test_visitor_with_forged_reset_token_gets_error(client):
    response = in_english(client).get("/auth/reset/not-a-real-token")

    assert response.status_code == 400
    assert "invalid, expired or already used" in response.text


# Language


def test_visitor_choosing_english_by_query_is_remembered(client):
    assert html_lang(client.get("/").text) == "zh-CN"

    assert html_lang(client.get("/?lang=en").text) == "en"
    assert html_lang(client.get("/auth/login").text) == "en"


def test_visitor_switching_language_in_footer_form_sees_new_language(client):
    page = client.get("/auth/login")
    form = form_with(page.text, "locale")
    assert form.options["locale"] == ["zh_CN", "en"]
    form.fields["locale"] = "en"

    response = client.post(form.action, data=form.fields)

    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert html_lang(client.get(response.headers["Location"]).text) == "en"


def test_visitor_on_lang_query_page_switching_back_in_footer_sees_chinese(client):
    page = client.get("/?lang=en")
    form = form_with(page.text, "locale")
    form.fields["locale"] = "zh_CN"

    response = client.post(form.action, data=form.fields, follow_redirects=True)

    assert html_lang(response.text) == "zh-CN"


def test_visitor_choosing_english_keeps_it_after_signing_in(client, streamer):
    client.get("/?lang=en")

    assert login(client, streamer.email).status_code == 302

    assert html_lang(client.get("/").text) == "en"


def test_user_language_setting_persists_across_sessions(app, client, streamer):
    login(client, streamer.email)
    response = client.post("/auth/account", data={"name": "新主播", "locale": "en"})
    assert response.status_code == 302
    client.post("/auth/logout")
    assert html_lang(client.get("/").text) == "zh-CN"  # a signed-out visitor again

    other_browser = app.test_client()
    login(other_browser, streamer.email)

    page = other_browser.get("/")
    assert html_lang(page.text) == "en"
    assert "新主播" in page.text
    assert fetch(app, User, User.id == streamer.id).locale == "en"


def test_user_switching_language_in_footer_saves_it_on_account(app, client_as, streamer):
    browser = client_as(streamer)

    browser.post("/auth/language?next=/", data={"locale": "en"})

    assert fetch(app, User, User.id == streamer.id).locale == "en"
    assert html_lang(app.test_client().get("/").text) == "zh-CN"


def test_language_switch_ignores_offsite_next(client):
    response = client.post("/auth/language?next=//evil.example/", data={"locale": "en"})

    assert response.headers["Location"] == "/"


# Account page


def test_user_changing_password_with_wrong_current_password_sees_error_in_place(
    app, client, streamer
):
    login(in_english(client), streamer.email)

    response = client.post(
        "/auth/password",
        data={
            "current_password": "not-my-password",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert field_errors(response.text, "current_password") == ["The current password is wrong."]
    assert login(app.test_client(), streamer.email).status_code == 302


def test_user_changes_password_and_other_sessions_end(app, client, streamer):
    login(client, streamer.email)
    other_device = app.test_client()
    login(other_device, streamer.email)

    response = client.post(
        "/auth/password",
        data={"current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get("/auth/account").status_code == 200
    assert other_device.get("/auth/account").status_code == 302
    assert login(app.test_client(), streamer.email, NEW_PASSWORD).status_code == 302
