"""Checking a clip: its visible subtitles, times from its in point, certified items."""

from __future__ import annotations

import pytest
from flask import render_template

from media.clips.models import Clip, ClipCue, ClipItem
from media.recordings.models import Recording
from portal.claims.matching import Term, TimedCue, find_hits
from portal.compliance import services
from portal.extensions import db

CERTIFIED = {"cert_lab": "NGTC", "cert_number": "A123456"}


@pytest.fixture
def build_clip(app, merchant_org):
    """Build a clip from 100 s to 130 s of a recording with ``cues`` and ``items``."""

    def build(cues, items=()):
        with app.app_context():
            recording = Recording(org_id=merchant_org.id, title="翡翠专场", stored_name="r.mp4")
            db.session.add(recording)
            db.session.flush()
            clip = Clip(
                org_id=merchant_org.id,
                recording_id=recording.id,
                title="冰种手镯",
                start_ms=100_000,
                end_ms=130_000,
            )
            clip.cues = [
                ClipCue(
                    sentence_position=n, start_ms=start, end_ms=end, text=text, is_hidden=hidden
                )
                for n, (start, end, text, hidden) in enumerate(cues)
            ]
            clip.links = [ClipItem(item_id=item.id, position=n) for n, item in enumerate(items)]
            db.session.add(clip)
            db.session.commit()
            return clip.id

    return build


def _check(app, clip_id):
    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        return services.check_clip(clip), {cue.id: cue.text for cue in clip.cues}


def test_check_clip_finds_terms_with_times_from_the_clip_start(app, build_clip):
    clip_id = build_clip(
        [
            (100_000, 104_000, "大家好，看这只手镯", False),
            (110_000, 114_000, "原价两万，想要的加 微 信", False),
        ]
    )

    hits, texts = _check(app, clip_id)

    assert [(h.term, h.category) for h in hits] == [("原价", "price"), ("加微信", "contact")]
    assert all(10.0 <= h.start_s < 14.0 for h in hits)
    assert texts[hits[0].cue_index] == "原价两万，想要的加 微 信"


def test_check_clip_keeps_hidden_cues_as_spoken(app, build_clip):
    """Hiding a subtitle does not unsay it (issue 14: flags vanished with the line)."""
    clip_id = build_clip(
        [(100_000, 104_000, "保证第一", True), (104_000, 108_000, "好看吗", False)]
    )

    hits, _texts = _check(app, clip_id)

    assert [(h.term, h.source, h.note) for h in hits] == [("第一", "spoken", "hidden")]


def test_check_clip_clamps_a_cue_starting_before_the_in_point(app, build_clip):
    clip_id = build_clip([(98_000, 102_000, "最美的", False)])

    [hit], _texts = _check(app, clip_id)

    assert hit.start_s == 0.0


def test_authenticity_claim_is_satisfied_when_every_item_is_certified(
    app, build_clip, make_item, merchant_org
):
    items = [make_item(merchant_org, **CERTIFIED), make_item(merchant_org, **CERTIFIED)]
    clip_id = build_clip([(100_000, 104_000, "天然A货", False)], items)

    hits, _texts = _check(app, clip_id)

    assert [(h.term, h.satisfied) for h in hits] == [("天然", True), ("A货", True)]


@pytest.mark.parametrize(
    "certificates",
    [
        pytest.param([CERTIFIED, {}], id="one item without certificate"),
        pytest.param([{"cert_lab": "NGTC", "cert_number": ""}], id="lab but no number"),
        pytest.param([], id="no items"),
    ],
)
def test_authenticity_claim_is_flagged_unless_all_items_are_certified(
    app, build_clip, make_item, merchant_org, certificates
):
    items = [make_item(merchant_org, **fields) for fields in certificates]
    clip_id = build_clip([(100_000, 104_000, "天然的", False)], items)

    [hit], _texts = _check(app, clip_id)

    assert (hit.term, hit.satisfied) == ("天然", False)


def test_deactivated_terms_are_not_checked(app, build_clip, admin):
    clip_id = build_clip([(100_000, 104_000, "保证第一", False)])
    with app.app_context():
        row = next(t for t in services.list_terms() if t.term == "第一")
        services.set_term_active(db.session.merge(admin), row, False)

    hits, _texts = _check(app, clip_id)

    assert hits == []


def _render_hits(app, hits, **context):
    with app.test_request_context("/?lang=en"):
        return render_template("compliance/_hits.html", hits=hits, **context)


def test_hits_partial_marks_the_term_and_escapes_the_rest(app):
    cue = TimedCue(12.0, 14.0, "<b>加 微 信</b> & 天然", 5)
    hits = find_hits(
        [cue], [Term(1, "contact", "加微信"), Term(2, "authenticity", "天然")], items_certified=True
    )

    html = _render_hits(app, hits, seek_offset_s=100.0)

    assert "&lt;b&gt;<mark>加 微 信</mark>&lt;/b&gt; &amp; 天然" in html
    assert 'data-seek="112.353"' in html  # 100 s in point + 12 s cue + 3/17 of 2 s
    assert html.count("OK: items carry certificates") == 1
    assert "<b>" not in html


def test_hits_partial_says_when_nothing_was_found(app):
    html = _render_hits(app, [])

    assert 'id="compliance-hits"' in html
    assert "No banned terms found." in html


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        pytest.param("最后大家看这只手镯", [], id="finally is no claim"),
        pytest.param("最近第一次上新，欢迎参加我们的抽奖", [], id="ordinary words"),
        pytest.param("这是最好的手镯", ["最"], id="best is a claim"),
        pytest.param("最后一批最低价", ["最低价"], id="claim after an exception"),
        pytest.param("今晚第一件", ["第一"], id="other ordinals are passed by hand"),
    ],
)
def test_seeded_exceptions_let_ordinary_words_pass(app, build_clip, text, terms):
    clip_id = build_clip([(100_000, 104_000, text, False)])

    hits, _texts = _check(app, clip_id)

    assert [h.term for h in hits] == terms
