"""A published clip's title and description edited after approval reach no public address.

The audit of docs/security.md ("What public pages show, and from where"): every public page,
feed, file and search result that names a published clip is fetched after the merchant types a
hostile title and description (a WeChat id with a price claim, a script tag, a web address);
none shows them until a trainer approves them. The merchant's editor shows the waiting text,
escaped.
"""

from __future__ import annotations

import pytest

from tests.portal.review.stage import Stage, published

HOSTILE = {
    "wechat": "加微信 abc123 全网最低价",
    "script": "<script>alert(1)</script>翡翠",
    "url": "https://evil.example/buy 翡翠",
}


def public_addresses(current: Stage) -> dict[str, str]:
    """Every public address that names the clip, by what it is."""
    clip = current.clip_id
    return {
        "grid": "/library/",
        "clip page": f"/library/clips/{clip}",
        "share page (Open Graph)": f"/share/{clip}",
        "embed player": f"/embed/{clip}",
        "JSON feed": "/library/feed.json",
        "Atom feed": "/library/feed.atom",
        "item page": f"/library/items/{current.item_id}",
        "subtitles": f"/library/clips/{clip}/vtt",
        "search": "/search?q=翡翠",
    }


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_title_and_description_typed_after_approval_stay_off_public_addresses(stage, hostile):
    current = published(stage)

    current.merchant.post(
        f"/media/clips/{current.clip_id}/details",
        data={"title": hostile, "description": hostile, "item_ids": [current.item_id]},
    )
    answers = {
        name: current.visitor.get(address) for name, address in public_addresses(current).items()
    }
    editor = current.merchant.get(f"/media/clips/{current.clip_id}").text

    for name, response in answers.items():
        assert response.status_code == 200, name
        text = response.get_data(as_text=True)
        assert hostile not in text, name
        for part in ("abc123", "evil.example", "alert("):
            assert part not in text, name
    assert "翡翠手镯讲解" in answers["clip page"].text
    assert f"/library/clips/{current.clip_id}" in answers["search"].text  # the clip was found
    assert "<script>alert(1)</script>" not in editor  # the merchant's own page, escaped
