"""Numbers no id column holds never reach the database.

An id of 2**31 or more (past PostgreSQL's INTEGER; 2**63: past SQLite's) in any ``<int:...>``
route answers 404, to anyone: it names nothing. A page number or an id filter in the query string
that is huge, negative or not a number is read as "page 1" or "no filter". Never a 500. The route
walk covers every rule of ``app.url_map`` with an integer argument, courses included, so a new
route is checked the day it is added. Search dates: ``tests/portal/search/test_search.py``.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from portal.auth.models import Role
from tests.portal.helpers import url_for_rule

HUGE = (2**31, 2**63, 2**64)  # past PostgreSQL's INTEGER, past SQLite's, past both
NOT_A_PAGE = (*map(str, HUGE), str(2**62), "-1", "0", "x", "1" * 5000)
NOT_AN_ID = (*map(str, HUGE), "-1", "x", "1" * 5000)


@pytest.fixture
def extra_config():
    """Answer 500 as production does (a test app would raise the error instead)."""
    return {"PROPAGATE_EXCEPTIONS": False}


def _huge_id_requests(app):
    """Yield (endpoint, method, url) for every route with an integer argument, set to HUGE."""
    for rule in app.url_map.iter_rules():
        numbers = [
            name
            for name, converter in rule._converters.items()
            if isinstance(converter, IntegerConverter)
        ]
        if not numbers:
            continue
        for number in HUGE:
            url = url_for_rule(app, rule, dict.fromkeys(numbers, number))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url


@pytest.mark.parametrize("who", ["anonymous", "merchant"])
def test_id_too_big_for_the_database_answers_404_on_every_route(app, client_as, merchant, who):
    browser = app.test_client() if who == "anonymous" else client_as(merchant)
    walked, wrong = 0, {}

    for endpoint, method, url in _huge_id_requests(app):
        walked += 1
        status = browser.open(url, method=method).status_code
        if status != 404:
            wrong[f"{endpoint} {method} {url}"] = status

    assert walked > 150
    assert wrong == {}


# Listing pages with a ``page`` number, and who reads them.
PAGED = {
    "/catalog/": Role.MERCHANT,
    "/catalog/all": Role.ADMIN,
    "/admin/users": Role.ADMIN,
    "/admin/jobs/": Role.ADMIN,
    "/library/": None,
    "/search?q=翡翠&kind=item": None,
}
# Pages narrowed by an id in the query string, and who reads them.
ID_FILTERS = {
    "/library/?category=": None,
    "/library/?item=": None,
    "/catalog/all?org=": Role.ADMIN,
    "/admin/categories?edit=": Role.ADMIN,
    "/search?q=翡翠&recording=": Role.MERCHANT,
    "/search?q=翡翠&item=": Role.MERCHANT,
}


def _browser(app, client_as, make_user, merchant_org, role):
    if role is None:
        return app.test_client()
    return client_as(make_user(role, merchant_org if role is Role.MERCHANT else None))


def test_page_number_out_of_range_or_junk_shows_the_first_page(
    app, client_as, make_user, make_item, merchant_org
):
    make_item(merchant_org, sku="FC-1", name="冰种翡翠手镯")
    wrong = {}

    for path, role in PAGED.items():
        browser = _browser(app, client_as, make_user, merchant_org, role)
        for page in NOT_A_PAGE:
            separator = "&" if "?" in path else "?"
            response = browser.get(f"{path}{separator}page={page}")
            if response.status_code != 200:
                wrong[f"{path} page={page}"] = response.status_code
    shown = _browser(app, client_as, make_user, merchant_org, Role.MERCHANT).get(
        f"/catalog/?page={2**63}"
    )

    assert wrong == {}
    assert "冰种翡翠手镯" in shown.text


def test_id_filter_out_of_range_or_junk_is_ignored(app, client_as, make_user, merchant_org):
    wrong = {}

    for path, role in ID_FILTERS.items():
        browser = _browser(app, client_as, make_user, merchant_org, role)
        for value in NOT_AN_ID:
            response = browser.get(f"{path}{value}")
            if response.status_code != 200:
                wrong[f"{path}{value}"] = response.status_code

    assert wrong == {}
