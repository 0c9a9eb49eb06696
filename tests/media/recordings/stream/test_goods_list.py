"""Pasting or importing the platform's goods list: a preview with every row matched (SKU, then
name, then alias) or reported in place, then confirm; nothing partial is ever saved."""

from __future__ import annotations

import io
from typing import Any

import pytest

from media.recordings.models import StreamItem
from tests.media.recordings.stream.conftest import add, base, listed
from tests.portal.helpers import count_rows, field_errors, forms_of


def paste(browser, recording_id: int, text: str) -> Any:
    return browser.post(f"{base(recording_id)}/import", data={"text": text})


def confirm(browser, recording_id: int, text: str) -> Any:
    return browser.post(f"{base(recording_id)}/import/confirm", data={"text": text})


def test_import_page_explains_the_columns(client_as, merchant, merchant_org, add_recording):
    recording_id = add_recording(merchant_org)

    response = client_as(merchant).get(f"{base(recording_id)}/import")

    assert response.status_code == 200
    for shown in ("链接", "商品编号", 'name="text"', 'name="file"'):
        assert shown in response.text


def test_pasted_list_with_chinese_headers_is_previewed_then_saved_on_confirm(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    text = "链接,商品编号\n1,HT-002\n2,Freshwater pearl necklace\n5,冰种手镯\n"

    preview = paste(browser, recording_id, text)

    assert preview.status_code == 200
    assert listed(app, recording_id) == []  # nothing saved before confirming
    for shown in ("和田玉吊坠", "HT-002", "PL-003", "冰种翡翠手镯", "by SKU", "by name"):
        assert shown in preview.text
    assert "by alias" in preview.text
    form = next(
        f for f in forms_of(preview.text) if f.action == f"{base(recording_id)}/import/confirm"
    )
    assert form.fields["text"] == text
    saved = confirm(browser, recording_id, form.fields["text"])
    assert saved.status_code == 302
    assert listed(app, recording_id) == [(1, "HT-002"), (2, "PL-003"), (5, "JD-001")]


def test_unmatched_and_wrong_rows_are_reported_in_place_and_nothing_is_saved(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"])
    text = (
        "序号,SKU,商品名称\n1,HT-002,\n2,,不存在的手镯\n3,OLD-9,\n1,PL-003,\nx,JD-001,\n,HT-002,\n"
    )

    for response in (paste(browser, recording_id, text), confirm(browser, recording_id, text)):
        assert response.status_code == 200
        page = response.text
        assert "No item of your catalog has this SKU, name or alias." in page  # lines 3 and 4
        assert "Link number 1 repeats line 2." in page
        assert "The link number must be a whole number from 1 to 999." in page
        assert "The item repeats line 2." in page
        assert "Nothing was saved" in page
        assert not any(f.action == f"{base(recording_id)}/import/confirm" for f in forms_of(page))
    assert listed(app, recording_id) == [(1, "JD-001")]


def test_name_shared_by_two_items_asks_for_the_sku(
    app, client_as, merchant, merchant_org, add_recording, catalog, make_item
):
    make_item(merchant_org, "JD-002", name="冰种翡翠手镯", aliases=[])
    recording_id = add_recording(merchant_org)

    response = paste(client_as(merchant), recording_id, "1,冰种翡翠手镯\n")

    assert "Several items match (JD-001, JD-002): use the SKU." in response.text
    assert listed(app, recording_id) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 HT-002\n4、冰种翡翠手镯\nPL-003\n", [(3, "HT-002"), (4, "JD-001"), (None, "PL-003")]),
        ("link,sku\n7,ht-002\n", [(7, "HT-002")]),
        ("商品名称\t链接\n冰种手镯\t9\n", [(9, "JD-001")]),
        ("HT-002\n\n  \n", [(None, "HT-002")]),
    ],
)  # fmt: skip
def test_pasted_lines_without_headers_or_with_tabs_are_read(
    app, client_as, merchant, merchant_org, add_recording, catalog, text, expected
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)

    assert paste(browser, recording_id, text).status_code == 200
    assert confirm(browser, recording_id, text).status_code == 302
    assert listed(app, recording_id) == expected


def test_import_replaces_the_whole_list(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    add(browser, recording_id, catalog["bangle"], catalog["pendant"])

    preview = paste(browser, recording_id, "1,PL-003\n2,JD-001\n")
    assert "replaces the 2 items on the list now" in preview.text
    confirm(browser, recording_id, "1,PL-003\n2,JD-001\n")

    assert listed(app, recording_id) == [(1, "PL-003"), (2, "JD-001")]
    assert count_rows(app, StreamItem) == 2


def test_gbk_csv_file_with_bom_free_chinese_headers_is_previewed(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)
    browser = client_as(merchant)
    raw = "链接,商品名称\n1,和田玉吊坠\n2,冰种翡翠手镯\n".encode("gbk")

    preview = browser.post(
        f"{base(recording_id)}/import", data={"file": (io.BytesIO(raw), "goods.csv")},
        content_type="multipart/form-data",
    )  # fmt: skip

    assert preview.status_code == 200
    form = next(
        f for f in forms_of(preview.text) if f.action == f"{base(recording_id)}/import/confirm"
    )
    assert confirm(browser, recording_id, form.fields["text"]).status_code == 302
    assert listed(app, recording_id) == [(1, "HT-002"), (2, "JD-001")]


@pytest.mark.parametrize(
    ("data", "error"),
    [({"text": ""}, "Paste the list or choose a CSV file."),
     ({"text": "链接,商品编号\n"}, "The list has no rows."),
     ({"text": "1,HT-002\n" * 501}, "The list has more than 500 rows."),
     ({"file": (io.BytesIO(b"\xff\xfe\x00bad"), "goods.csv")}, "neither UTF-8 nor GBK")],
)  # fmt: skip
def test_empty_or_unreadable_list_is_an_error_beside_the_field(
    app, client_as, merchant, merchant_org, add_recording, catalog, data, error
):
    recording_id = add_recording(merchant_org)

    response = client_as(merchant).post(
        f"{base(recording_id)}/import", data=data, content_type="multipart/form-data"
    )

    assert response.status_code == 200
    field = "file" if "file" in data else "text"
    assert any(error in e for e in field_errors(response.text, field))


def test_archived_item_by_sku_is_not_matched(
    app, client_as, merchant, merchant_org, add_recording, catalog
):
    recording_id = add_recording(merchant_org)

    response = paste(client_as(merchant), recording_id, "1,OLD-9\n")

    assert "No item of your catalog has this SKU, name or alias." in response.text
