"""Tenancy: every object route hides another organisation's objects (404).

The test walks ``app.url_map``: a new route that takes an object id fails here until it
is added to ``OBJECT_ROUTES`` with who may use it.
"""

from __future__ import annotations

import io
from enum import Enum

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from portal.auth.models import Role
from portal.catalog.models import CatalogImport, Item
from tests.portal.helpers import count_rows, fetch, png_bytes


class Access(Enum):
    """Who may use an object route."""

    MERCHANT = "members of the owning organisation"
    STAFF = "trainers and administrators, any organisation, read-only"
    ADMIN = "administrators"


# endpoint -> (kind of object in its id, who may use it)
OBJECT_ROUTES: dict[str, tuple[str, Access]] = {
    "catalog.detail": ("item", Access.MERCHANT),
    "catalog.edit": ("item", Access.MERCHANT),
    "catalog.archive": ("item", Access.MERCHANT),
    "catalog.certificate_image": ("item", Access.MERCHANT),
    "catalog.import_preview": ("import", Access.MERCHANT),
    "catalog.staff_detail": ("item", Access.STAFF),
    "catalog.staff_certificate_image": ("item", Access.STAFF),
    "admin.user_detail": ("user", Access.ADMIN),
    "admin.suspension": ("user", Access.ADMIN),
}


def _object_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


@pytest.fixture
def world(app, make_org, make_user, client_as):
    """Organisation A with an item (with certificate) and a pending import; B's merchant."""
    org_a, org_b = make_org("org-a"), make_org("org-b")
    merchant_a = make_user(Role.MERCHANT, org_a)
    browser_a = client_as(merchant_a)
    created = browser_a.post(
        "/catalog/items/new",
        data={"sku": "A-1", "name": "A 的手镯", "cert_image": (io.BytesIO(png_bytes()), "c.png")},
        content_type="multipart/form-data",
    )
    assert created.status_code == 302
    uploaded = browser_a.post(
        "/catalog/import",
        data={"file": (io.BytesIO("sku,name\nA-2,新\n".encode()), "c.csv")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    ids = {
        "item": fetch(app, Item, Item.sku == "A-1").id,
        "import": fetch(app, CatalogImport, CatalogImport.org_id == org_a.id).id,
        "user": merchant_a.id,
    }
    return {
        "ids": ids,
        "org_a": org_a,
        "merchant_a": browser_a,
        "merchant_b": client_as(make_user(Role.MERCHANT, org_b)),
    }


def _requests(app, ids):
    """Yield (endpoint, access, method, url) for every object route, with A's ids."""
    for rule in _object_rules(app):
        kind, access = OBJECT_ROUTES[rule.endpoint]
        with app.test_request_context():
            url = url_for(rule.endpoint, **dict.fromkeys(rule.arguments, ids[kind]))
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, access, method, url


def test_every_object_route_is_listed_in_the_tenancy_table(app):
    endpoints = {rule.endpoint for rule in _object_rules(app)}

    assert endpoints == set(OBJECT_ROUTES), (
        "an object route was added or removed: list it in OBJECT_ROUTES with its access"
    )


def test_merchant_of_other_org_gets_404_on_every_object_route(app, world):
    browser_b = world["merchant_b"]
    answers = {}

    for endpoint, access, method, url in _requests(app, world["ids"]):
        data = {"sku": "B-1", "name": "改了", "restore": "1"} if method == "POST" else None
        answers[endpoint, method] = browser_b.open(url, method=method, data=data).status_code
        expected = 404 if access is Access.MERCHANT else 403
        assert answers[endpoint, method] == expected, (endpoint, method, url)

    assert any(code == 404 for code in answers.values())
    item = fetch(app, Item, Item.id == world["ids"]["item"])
    assert (item.sku, item.name, item.archived_at) == ("A-1", "A 的手镯", None)
    assert count_rows(app, CatalogImport) == 1
    assert count_rows(app, Item) == 1


def test_merchant_of_owning_org_reaches_every_merchant_object_route(app, world):
    browser_a = world["merchant_a"]

    for endpoint, access, method, url in _requests(app, world["ids"]):
        if method != "GET":
            continue
        expected = 200 if access is Access.MERCHANT else 403
        assert browser_a.get(url).status_code == expected, (endpoint, url)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_staff_reach_every_staff_object_route_of_any_org(app, world, make_user, client_as, role):
    browser = client_as(make_user(role))

    for endpoint, access, method, url in _requests(app, world["ids"]):
        if method != "GET":
            continue
        if access is Access.STAFF or (access is Access.ADMIN and role is Role.ADMIN):
            expected = 200
        else:
            expected = 403
        assert browser.get(url).status_code == expected, (endpoint, url)


def test_merchant_gets_404_for_object_ids_that_do_not_exist(app, world):
    browser_a = world["merchant_a"]
    missing = dict.fromkeys(world["ids"], 999_999)

    for endpoint, access, method, url in _requests(app, missing):
        if access is Access.MERCHANT:
            assert browser_a.open(url, method=method).status_code == 404, (endpoint, method)
