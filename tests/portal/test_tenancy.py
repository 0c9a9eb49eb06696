"""Tenancy: every object route hides another organisation's objects (404).

The test walks ``app.url_map``: a new route that takes an object id fails here until it
is added to ``OBJECT_ROUTES`` with who may use it (and its id argument to ``ID_KINDS``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import Enum

import pytest
from werkzeug.routing import IntegerConverter

from media.recordings.models import Recording
from portal.auth.models import Role
from portal.catalog.models import CatalogImport, Item
from portal.extensions import db
from tests.portal.helpers import count_rows, fetch, png_bytes, url_for_rule


class Access(Enum):
    """Who may use an object route."""

    MERCHANT = "members of the owning organisation"
    STAFF = "trainers and administrators, any organisation, read-only"
    ADMIN = "administrators"


@dataclass(frozen=True)
class Route:
    """An object route: who may use it, and what its owner gets on GET (None: not checked)."""

    access: Access
    owner_get: int | None = 200


OBJECT_ROUTES: dict[str, Route] = {
    "catalog.detail": Route(Access.MERCHANT),
    "catalog.edit": Route(Access.MERCHANT),
    "catalog.archive": Route(Access.MERCHANT),
    "catalog.certificate_image": Route(Access.MERCHANT),
    "catalog.import_preview": Route(Access.MERCHANT),
    "catalog.staff_detail": Route(Access.STAFF),
    "catalog.staff_certificate_image": Route(Access.STAFF),
    "admin.user_detail": Route(Access.ADMIN),
    "admin.suspension": Route(Access.ADMIN),
    "jobs.act": Route(Access.ADMIN),
    # Recordings: the fixture row has no file, job or transcript, so only the pages are
    # checked for the owner; every route must still answer 404 to another organisation.
    "recordings.detail": Route(Access.MERCHANT),
    "recordings.status": Route(Access.MERCHANT),
    "recordings.cancel": Route(Access.MERCHANT),
    "recordings.retry": Route(Access.MERCHANT),
    "recordings.video": Route(Access.MERCHANT, owner_get=None),
    "recordings.transcript_file": Route(Access.MERCHANT, owner_get=None),
    "recordings.sentence": Route(Access.MERCHANT, owner_get=None),
    "tokens.revoke": Route(Access.MERCHANT),
}

# id argument name -> which of organisation A's objects it names
ID_KINDS = {
    "item_id": "item",
    "import_id": "import",
    "user_id": "user",
    "job_id": "user",  # admin-only: any id
    "recording_id": "recording",
    "sentence_id": "recording",  # the recording is checked first
    "token_id": "token",
}


def _object_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


def _recording(app, org_a, browser_a):
    with app.app_context():
        recording = Recording(org_id=org_a.id, title="A 的直播", stored_name="a.mp4")
        db.session.add(recording)
        db.session.commit()
        return recording.id


def _token(app, org_a, browser_a):
    from portal.tokens.models import ApiToken

    assert browser_a.post("/account/tokens/", data={"name": "A 的上传器"}).status_code == 200
    return fetch(app, ApiToken, ApiToken.org_id == org_a.id).id


@pytest.fixture
def world(app, make_org, make_user, client_as):
    """Organisation A with an item (with certificate), a pending import, a recording..."""
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
        "recording": _recording(app, org_a, browser_a),
    }
    if "tokens.revoke" in app.view_functions:
        ids["token"] = _token(app, org_a, browser_a)
    return {
        "ids": ids,
        "merchant_a": browser_a,
        "merchant_b": client_as(make_user(Role.MERCHANT, org_b)),
    }


def _requests(app, ids):
    """Yield (endpoint, route, method, url) for every object route, with A's ids."""
    for rule in _object_rules(app):
        values = {arg: ids[ID_KINDS[arg]] for arg in rule.arguments if arg in ID_KINDS}
        url = url_for_rule(app, rule, values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, OBJECT_ROUTES[rule.endpoint], method, url


def test_every_object_route_is_listed_in_the_tenancy_table(app):
    rules = _object_rules(app)

    assert {rule.endpoint for rule in rules} == set(OBJECT_ROUTES), (
        "an object route was added or removed: list it in OBJECT_ROUTES with its access"
    )
    int_arguments = {
        name
        for rule in rules
        for name, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter)
    }
    assert int_arguments <= set(ID_KINDS)


def test_merchant_of_other_org_gets_404_on_every_object_route(app, world):
    browser_b = world["merchant_b"]
    answers = {}

    for endpoint, route, method, url in _requests(app, world["ids"]):
        data = {"sku": "B-1", "name": "改了", "restore": "1"} if method == "POST" else None
        answers[endpoint, method] = browser_b.open(url, method=method, data=data).status_code
        expected = 404 if route.access is Access.MERCHANT else 403
        assert answers[endpoint, method] == expected, (endpoint, method, url)

    assert list(answers.values()).count(404) >= 10
    item = fetch(app, Item, Item.id == world["ids"]["item"])
    assert (item.sku, item.name, item.archived_at) == ("A-1", "A 的手镯", None)
    assert count_rows(app, CatalogImport) == 1
    assert count_rows(app, Item) == 1
    if "token" in world["ids"]:
        from portal.tokens.models import ApiToken

        assert fetch(app, ApiToken, ApiToken.id == world["ids"]["token"]).revoked_at is None


def test_merchant_of_owning_org_reaches_every_merchant_object_route(app, world):
    browser_a = world["merchant_a"]

    for endpoint, route, method, url in _requests(app, world["ids"]):
        if method != "GET":
            continue
        if route.access is Access.MERCHANT and route.owner_get is not None:
            assert browser_a.get(url).status_code == route.owner_get, (endpoint, url)
        elif route.access is not Access.MERCHANT:
            assert browser_a.get(url).status_code == 403, (endpoint, url)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_staff_reach_every_staff_object_route_of_any_org(app, world, make_user, client_as, role):
    browser = client_as(make_user(role))

    for endpoint, route, method, url in _requests(app, world["ids"]):
        if method != "GET":
            continue
        if route.access is Access.STAFF or (route.access is Access.ADMIN and role is Role.ADMIN):
            expected = 200
        else:
            expected = 403
        assert browser.get(url).status_code == expected, (endpoint, url)


def test_merchant_gets_404_for_object_ids_that_do_not_exist(app, world):
    browser_a = world["merchant_a"]
    missing = dict.fromkeys([*world["ids"]], 999_999)

    for endpoint, route, method, url in _requests(app, missing):
        if route.access is Access.MERCHANT:
            assert browser_a.open(url, method=method).status_code == 404, (endpoint, method)
