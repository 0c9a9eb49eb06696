"""Administration: invitations, roles, suspension, organisations and categories."""

from __future__ import annotations

import pytest

from portal.auth.models import Role, User
from portal.catalog.models import Category
from portal.organisations.models import Organisation, OrgStatus
from tests.conftest import TEST_PASSWORD
from tests.portal.helpers import (
    capture_mail,
    count_rows,
    fetch,
    field_errors,
    in_english,
    login,
    mailed_links,
    mailed_urls,
    url_for_rule,
)
from tests.support.invisible import sprinkled_all

NEW_PASSWORD = "invited-password-5"


@pytest.fixture
def admin_browser(client_as, admin):
    """The administrator's browser, in English."""
    return in_english(client_as(admin))


def _invite(browser, headers=None, **fields):
    data = {"email": "new@example.com", "name": "新同事", "role": "trainer", "org": "0"}
    return browser.post("/admin/users", data=data | fields, headers=headers)


def _accept(app, link):
    browser = app.test_client()
    page = browser.get(link)
    assert page.status_code == 200
    response = browser.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    return browser


# Invitations


def test_admin_invites_trainer_who_sets_password_and_is_signed_in(app, admin_browser, caplog):
    capture_mail(caplog)

    response = _invite(admin_browser, email="Li@Example.com", name="李老师", role="trainer")

    assert response.status_code == 302
    invited = fetch(app, User, User.email == "li@example.com")
    assert (invited.role, invited.org_id, invited.password_hash) == (Role.TRAINER, None, None)
    assert login(app.test_client(), "li@example.com", NEW_PASSWORD).status_code == 200
    [link] = mailed_links(caplog)
    trainer_browser = _accept(app, link)
    assert "李老师" in trainer_browser.get("/").text
    assert trainer_browser.get("/catalog/all").status_code == 200
    assert login(app.test_client(), "li@example.com", NEW_PASSWORD).status_code == 302
    assert (
        app.test_client().post(link, data={"password": "x" * 10, "confirm": "x" * 10}).status_code
        == 400
    )


def test_admin_invites_merchant_of_organisation_who_reaches_own_catalog(
    app, admin_browser, caplog, merchant_org, make_item
):
    capture_mail(caplog)
    make_item(merchant_org, sku="CY-7")

    response = _invite(admin_browser, role="merchant", org=str(merchant_org.id))

    assert response.status_code == 302
    invited = fetch(app, User, User.email == "new@example.com")
    assert (invited.role, invited.org_id) == (Role.MERCHANT, merchant_org.id)
    [link] = mailed_links(caplog)
    merchant_browser = _accept(app, link)
    assert "CY-7" in merchant_browser.get("/catalog/").text


@pytest.mark.parametrize(
    ("app_config", "site"),
    [
        ({"BASE_URL": ""}, "http://127.0.0.1:8000"),
        ({"BASE_URL": "https://beltcast.example"}, "https://beltcast.example"),
    ],
    ids=["local-default", "configured"],
)
def test_admin_invitation_link_uses_public_base_url_whatever_the_host_header(
    client, admin, caplog, site
):
    capture_mail(caplog)
    forged = {"Host": "evil.example"}
    signing_in = {"email": admin.email, "password": TEST_PASSWORD}
    assert client.post("/auth/login", data=signing_in, headers=forged).status_code == 302

    _invite(client, headers=forged)

    [url] = mailed_urls(caplog)
    assert url.startswith(f"{site}/auth/invite/")


def test_admin_inviting_merchant_without_organisation_sees_error_in_place(
    app, admin_browser, caplog
):
    capture_mail(caplog)

    response = _invite(admin_browser, role="merchant", org="0")

    assert response.status_code == 200
    assert field_errors(response.text, "org") == ["A merchant must belong to an organisation."]
    assert count_rows(app, User, User.email == "new@example.com") == 0
    assert mailed_links(caplog) == []


def test_admin_inviting_existing_email_sees_error_in_place(app, admin_browser, streamer):
    response = _invite(admin_browser, email=streamer.email.upper())

    assert response.status_code == 200
    assert field_errors(response.text, "email") == ["An account with this e-mail already exists."]
    assert count_rows(app, User) == 2


# Roles and suspension


def test_admin_changes_streamer_into_merchant_of_organisation(
    app, admin_browser, client_as, streamer, merchant_org
):
    streamer_browser = client_as(streamer)
    assert streamer_browser.get("/catalog/").status_code == 403

    response = admin_browser.post(
        f"/admin/users/{streamer.id}", data={"role": "merchant", "org": str(merchant_org.id)}
    )

    assert response.status_code == 302
    changed = fetch(app, User, User.id == streamer.id)
    assert (changed.role, changed.org_id) == (Role.MERCHANT, merchant_org.id)
    assert streamer_browser.get("/catalog/").status_code == 302  # signed out: role changed
    browser = app.test_client()
    login(browser, streamer.email)
    assert browser.get("/catalog/").status_code == 200


def test_admin_cannot_remove_own_admin_role(app, admin_browser, admin):
    response = admin_browser.post(f"/admin/users/{admin.id}", data={"role": "trainer", "org": "0"})

    assert response.status_code == 200
    assert field_errors(response.text, "role") == ["You cannot remove your own administrator role."]
    assert fetch(app, User, User.id == admin.id).role == Role.ADMIN


def test_admin_suspends_user_whose_session_ends_at_next_request(
    app, admin_browser, client, streamer
):
    login(client, streamer.email)
    assert client.get("/auth/account").status_code == 200

    response = admin_browser.post(f"/admin/users/{streamer.id}/suspension", data={"suspend": "1"})

    assert response.status_code == 302
    assert fetch(app, User, User.id == streamer.id).is_suspended
    signed_out = client.get("/auth/account")
    assert signed_out.status_code == 302
    assert "/auth/login" in signed_out.headers["Location"]
    assert login(client, streamer.email).status_code == 200

    admin_browser.post(f"/admin/users/{streamer.id}/suspension", data={"suspend": "0"})
    assert login(client, streamer.email).status_code == 302


def test_admin_cannot_suspend_self(app, admin_browser, admin):
    response = admin_browser.post(f"/admin/users/{admin.id}/suspension", data={"suspend": "1"})

    assert response.status_code == 400
    assert "You cannot suspend yourself." in response.text
    assert not fetch(app, User, User.id == admin.id).is_suspended


def test_admin_filters_user_list_by_role(admin_browser, streamer, trainer):
    page = admin_browser.get("/admin/users?role=trainer")

    assert page.status_code == 200
    assert trainer.email in page.text
    assert streamer.email not in page.text


def _admin_requests(app, object_id):
    """Yield (endpoint, method, url) for every route under /admin."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        url = url_for_rule(app, rule, dict.fromkeys(rule.arguments, object_id))
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MERCHANT, Role.STREAMER])
def test_non_admin_gets_403_on_every_admin_route(app, client_as, make_user, merchant_org, role):
    user = make_user(role, merchant_org if role == Role.MERCHANT else None)
    browser = client_as(user)
    requests = list(_admin_requests(app, user.id))
    assert len(requests) >= 6

    answers = {(e, m): browser.open(url, method=m).status_code for e, m, url in requests}

    assert set(answers.values()) == {403}, answers
    assert fetch(app, User, User.id == user.id).role == role


def test_visitor_is_sent_to_login_from_every_admin_route(app, client):
    for endpoint, method, url in _admin_requests(app, 1):
        response = client.open(url, method=method)
        assert response.status_code == 302, endpoint
        assert "/auth/login" in response.headers["Location"]


# Organisations and categories


def test_admin_creates_approved_organisation(app, admin_browser):
    response = admin_browser.post(
        "/admin/organisations", data={"slug": "hetianyuan", "name": "和田玉苑"}
    )

    assert response.status_code == 302
    org = fetch(app, Organisation, Organisation.slug == "hetianyuan")
    assert (org.name, org.status) == ("和田玉苑", OrgStatus.APPROVED)
    assert "和田玉苑" in admin_browser.get("/admin/organisations").text


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("cuiyu", "The slug cuiyu is already used."),
        ("Bad Slug", "Lower-case letters, digits and -."),
    ],
)
def test_admin_creating_organisation_with_bad_slug_sees_error_in_place(
    app, admin_browser, merchant_org, slug, message
):
    response = admin_browser.post("/admin/organisations", data={"slug": slug, "name": "新店"})

    assert response.status_code == 200
    assert field_errors(response.text, "slug") == [message]
    assert count_rows(app, Organisation) == 1


def test_admin_adds_category(app, admin_browser):
    response = admin_browser.post(
        "/admin/categories", data={"name_zh": "玛瑙", "name_en": "Agate", "position": "85"}
    )

    assert response.status_code == 302
    category = fetch(app, Category, Category.name_zh == "玛瑙")
    assert (category.name_en, category.position) == ("Agate", 85)
    assert "Agate" in admin_browser.get("/admin/categories").text


def test_admin_renames_category(app, admin_browser):
    jadeite = fetch(app, Category, Category.name_zh == "翡翠")
    total = count_rows(app, Category)

    response = admin_browser.post(
        f"/admin/categories?edit={jadeite.id}",
        data={"name_zh": "翡翠玉", "name_en": "Jadeite jade", "position": "0"},
    )

    assert response.status_code == 302
    renamed = fetch(app, Category, Category.id == jadeite.id)
    assert (renamed.name_zh, renamed.name_en) == ("翡翠玉", "Jadeite jade")
    assert count_rows(app, Category) == total


def test_admin_adding_existing_category_name_sees_error_in_place(app, admin_browser):
    total = count_rows(app, Category)

    response = admin_browser.post(
        "/admin/categories", data={"name_zh": "翡翠", "name_en": "Jade again", "position": "1"}
    )

    assert response.status_code == 200
    assert field_errors(response.text, "name_zh") == ["This category exists already."]
    assert count_rows(app, Category) == total


def test_admin_invited_user_with_wrong_confirmation_keeps_invitation(app, admin_browser, caplog):
    capture_mail(caplog)
    _invite(admin_browser)
    [link] = mailed_links(caplog)
    browser = in_english(app.test_client())

    response = browser.post(link, data={"password": NEW_PASSWORD, "confirm": TEST_PASSWORD})

    assert response.status_code == 200
    assert field_errors(response.text, "confirm") == ["The passwords differ."]
    _accept(app, link)


def test_admin_texts_typed_with_invisible_characters_are_stored_without_them(app, admin_browser):
    invited = _invite(admin_browser, name=sprinkled_all("新同事"))
    category = admin_browser.post(
        "/admin/categories",
        data={
            "name_zh": sprinkled_all("玛瑙"),
            "name_en": sprinkled_all("Agate"),
            "position": "85",
        },
    )
    org = admin_browser.post(
        "/admin/organisations", data={"slug": "hetianyuan", "name": sprinkled_all("和田玉苑")}
    )

    assert (invited.status_code, category.status_code, org.status_code) == (302, 302, 302)
    assert fetch(app, User, User.email == "new@example.com").name == "新同事"
    assert fetch(app, Category, Category.position == 85).name_zh == "玛瑙"
    assert fetch(app, Category, Category.position == 85).name_en == "Agate"
    assert fetch(app, Organisation, Organisation.slug == "hetianyuan").name == "和田玉苑"
