"""The whole stream's overview in the workshop (issue 16): loudness and thumbnails, made once by
the transcription job (the session's seed stream went through it for real) and stored beside the
recording; the workshop draws them above the items' lanes, and a recording without one still
shows its workshop."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pytest
from PIL import Image

from media.recordings.models import Recording
from media.recordings.overview import MAX_WINDOWS, TILE_PX, overview_files, tile_count
from media.recordings.services import source_path
from portal.extensions import db
from tests.portal.helpers import is_private


@pytest.fixture
def browser(client_as, merchant):
    """The merchant's signed-in browser."""
    return client_as(merchant)


@pytest.fixture
def recording(app, recording_id) -> Recording:
    with app.app_context():
        found = db.session.get(Recording, recording_id)
        db.session.expunge(found)
        return found


def stored_overview(app, recording: Recording):
    with app.app_context():
        return overview_files(source_path(recording))


def test_transcription_stores_loudness_and_a_row_of_thumbnails_beside_the_recording(app, recording):
    json_path, sprite_path = stored_overview(app, recording)
    assert json_path.parent == sprite_path.parent
    assert json_path.name == recording.stored_name.rsplit(".", 1)[0] + ".overview.json"

    stored = json.loads(json_path.read_text())
    tiles = tile_count(recording.duration_s)
    assert tiles == int(recording.duration_s // 10) >= 4  # about a minute: one per 10 s
    assert (stored["tiles"], stored["tile_px"]) == (tiles, TILE_PX)
    windows = len(stored["levels_db"])
    assert windows * stored["window_s"] == pytest.approx(recording.duration_s, abs=2)
    assert windows <= MAX_WINDOWS
    assert max(stored["levels_db"]) > -30  # speech
    assert min(stored["levels_db"]) < max(stored["levels_db"]) - 10  # and the quiet end
    with Image.open(sprite_path) as sprite:
        assert (sprite.format, sprite.size) == ("JPEG", (tiles * TILE_PX, TILE_PX))
        tile_means = [
            sum(sprite.crop((n * TILE_PX, 0, (n + 1) * TILE_PX, TILE_PX)).convert("L").getdata())
            / TILE_PX**2
            for n in range(tiles)
        ]
    assert min(tile_means) > 30  # every tile holds a picture (the test pattern), none is black
    assert len({round(mean) for mean in tile_means}) > 1  # from several key frames, not one


def test_workshop_shows_the_overview_above_the_lanes_and_serves_its_thumbnails(
    app, browser, recording
):
    html = browser.get(f"/media/recordings/{recording.id}/workshop").text

    timeline = html[html.index('class="timeline"') :]
    overview = re.search(r'<div class="overview" data-overview data-duration="([\d.]+)"', timeline)
    assert overview
    assert float(overview.group(1)) == recording.duration_s
    sprite_url = f"/media/recordings/{recording.id}/overview.jpg"
    tiles = tile_count(recording.duration_s)
    assert (
        f'<img class="overview-thumbs" src="{sprite_url}" width="{tiles * TILE_PX}" '
        f'height="{TILE_PX}"'
    ) in timeline
    points = re.search(r'<polygon class="loudness" points="([^"]+)"', timeline).group(1).split()
    assert (points[0], points[-1]) == ("0,40", "1000,40")
    levels = json.loads(stored_overview(app, recording)[0].read_text())["levels_db"]
    assert len(points) == len(levels) + 2  # a point per window, and the two bottom corners
    assert timeline.index('class="overview"') < timeline.index('class="lane"')
    assert 'src="/static/js/overview.js' in html

    sprite = browser.get(sprite_url)
    assert (sprite.status_code, sprite.mimetype) == (200, "image/jpeg")
    assert is_private(sprite)
    assert Image.open(BytesIO(sprite.data)).size == (tiles * TILE_PX, TILE_PX)


def test_another_merchant_gets_404_for_the_thumbnails(client_as, other_merchant, recording):
    response = client_as(other_merchant).get(f"/media/recordings/{recording.id}/overview.jpg")

    assert response.status_code == 404


def test_recording_without_an_overview_still_shows_its_workshop(app, browser, recording):
    for path in stored_overview(app, recording):
        path.unlink()

    page = browser.get(f"/media/recordings/{recording.id}/workshop")

    assert page.status_code == 200
    assert 'class="overview"' not in page.text
    assert page.text.count('<div class="lane">') == 2
    assert browser.get(f"/media/recordings/{recording.id}/overview.jpg").status_code == 404
