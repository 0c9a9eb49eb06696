"""Public players offer the WebVTT track only for versions without burned-in subtitles."""

from __future__ import annotations

import pytest

from media.clips.models import ClipVersion
from portal.extensions import db


def _burn(app, clip_id, burned):
    with app.app_context():
        version = db.session.query(ClipVersion).filter_by(clip_id=clip_id).one()
        version.burn_subtitles = burned
        db.session.commit()


@pytest.mark.parametrize("path", ["/library/clips/{id}", "/embed/{id}"])
def test_visitor_of_burned_version_gets_no_second_subtitles_track(
    app, client, merchant_org, make_library_clip, path
):
    clip_id = make_library_clip(merchant_org)
    _burn(app, clip_id, burned=True)

    page = client.get(path.format(id=clip_id))

    assert page.status_code == 200
    assert "<track" not in page.text


@pytest.mark.parametrize("path", ["/library/clips/{id}", "/embed/{id}"])
def test_visitor_of_unburned_version_may_turn_on_the_track(
    app, client, merchant_org, make_library_clip, path
):
    clip_id = make_library_clip(merchant_org)
    _burn(app, clip_id, burned=False)

    page = client.get(path.format(id=clip_id))

    assert f'src="/library/clips/{clip_id}/vtt"' in page.text
    assert " default" not in page.text.split("<track", 1)[1].split(">", 1)[0]
