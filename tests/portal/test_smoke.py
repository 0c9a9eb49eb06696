from portal.auth.models import Role


def test_visitor_sees_home_in_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="zh-CN"' in response.text


def test_merchant_sees_catalog(client_as, merchant, merchant_org, make_item):
    make_item(merchant_org, sku="CY-1", name="冰种翡翠手镯")
    response = client_as(merchant).get("/catalog/")
    assert response.status_code == 200
    assert "CY-1" in response.text


def test_streamer_cannot_open_catalog(client_as, make_user):
    response = client_as(make_user(Role.STREAMER)).get("/catalog/")
    assert response.status_code == 403
