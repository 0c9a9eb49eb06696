"""Every paginated list shares one pager: previous/next keep the page's other arguments."""

from __future__ import annotations

from html import unescape

from portal.auth.models import Role
from portal.catalog.models import Item
from portal.extensions import db


def test_catalog_pages_keep_the_search(app, client_as, merchant, merchant_org):
    with app.app_context():
        db.session.add_all(
            Item(org_id=merchant_org.id, sku=f"P-{n:03d}", name=f"平安扣 {n}", aliases=[])
            for n in range(55)
        )
        db.session.commit()
    browser = client_as(merchant)

    first = unescape(browser.get("/catalog/?q=平安扣").text)
    second = unescape(browser.get("/catalog/?q=平安扣&page=2").text)

    assert 'href="/catalog/?page=2&q=' in first
    assert 'href="/catalog/?page=1&q=' in second
    assert "P-054" in first + second
    assert "P-000" in first + second


def test_admin_user_pages_keep_the_role_filter(client_as, admin, make_user, merchant_org):
    for n in range(51):
        make_user(Role.MERCHANT, merchant_org, name=f"商家 {n}")
    page = client_as(admin).get("/admin/users?role=merchant")

    assert page.status_code == 200
    assert "/admin/users?page=2&amp;role=merchant" in page.text
