"""The index stays current: transcripts stored and corrected, items renamed, clips edited,
lessons changed; ``flask search reindex`` rebuilds it from the database alone."""

from __future__ import annotations

from sqlalchemy import select

from courses.models import Lesson
from courses.signals import course_changed
from media.clips import services as clip_services
from media.clips.models import Clip
from media.recordings.models import Recording
from media.transcripts.models import Sentence
from portal.auth.models import User
from portal.extensions import db
from portal.search.models import SearchDocument, SearchTerm
from tests.portal.helpers import count_rows, fetch, form_with
from tests.portal.search.conftest import hit_links, hits


def _hits(browser, q, **args):
    return hits(browser.get("/search", query_string={"q": q, **args}).text)


def test_reindex_command_rebuilds_everything_from_the_database(
    app, runner, client_as, merchant, merchant_org, make_item, make_recording, make_lesson
):
    make_item(merchant_org, sku="R-1", name="满绿翡翠平安扣")  # no signal: not indexed yet
    make_recording(merchant_org.id, [(1.0, "平安扣寓意平安")])
    make_lesson(title="平安扣的选购", notes="看**种水**和颜色")
    browser = client_as(merchant)
    assert not any("满绿翡翠平安扣" in hit for hit in _hits(browser, "平安扣"))
    with app.app_context():
        db.session.execute(SearchTerm.__table__.delete())
        db.session.commit()

    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "item: 1 rows" in result.output
    assert "sentence: 1 rows" in result.output
    assert "lesson: 1 rows" in result.output
    found = _hits(browser, "平安扣")
    assert len(found) == 3
    assert any("种水" in hit for hit in _hits(browser, "种水"))
    assert count_rows(app, SearchTerm, SearchTerm.term == "翡翠") == 1
    assert fetch(app, SearchTerm, SearchTerm.term == "平安扣").pinyin == "pingankou"


def test_reindex_twice_gives_the_same_index(app, runner, merchant_org, make_recording):
    make_recording(merchant_org.id, [(1.0, "翡翠手镯"), (4.0, "和田玉")])

    runner.invoke(args=["search", "reindex"])
    with app.app_context():
        first = db.session.execute(select(SearchTerm.term, SearchTerm.doc_count)).all()
    runner.invoke(args=["search", "reindex"])

    with app.app_context():
        assert sorted(db.session.execute(select(SearchTerm.term, SearchTerm.doc_count))) == sorted(
            first
        )
    assert count_rows(app, SearchDocument) == 2


def test_index_follows_a_transcript_correction(
    app, client_as, merchant, merchant_org, make_recording
):
    # 飞碎 does not sound like 翡翠, so storing the transcript leaves it for the merchant to fix.
    recording_id = make_recording(merchant_org.id, [(5.0, "这个飞碎手镯很漂亮")])
    browser = client_as(merchant)
    assert _hits(browser, "飞碎")
    sentence_id = fetch(app, Sentence, Sentence.org_id == merchant_org.id).id

    saved = browser.post(
        f"/media/recordings/{recording_id}/sentences/{sentence_id}",
        data={"text": "这个翡翠手镯很漂亮"},
    )

    assert saved.status_code == 200
    assert any("这个翡翠手镯很漂亮" in hit for hit in _hits(browser, "翡翠"))
    assert _hits(browser, "飞碎") == []
    with app.app_context():
        assert db.session.get(SearchTerm, "飞碎") is None
        assert db.session.get(SearchTerm, "翡翠").doc_count == 1


def test_index_follows_an_item_rename(app, client_as, merchant, merchant_org, make_item):
    item = make_item(merchant_org, sku="N-1", name="糯种飘花手镯", aliases=[])
    browser = client_as(merchant)
    edit_page = browser.get(f"/catalog/items/{item.id}/edit").text
    fields = form_with(edit_page, "name").fields

    saved = browser.post(f"/catalog/items/{item.id}/edit", data=fields | {"name": "冰种帝王绿手镯"})

    assert saved.status_code == 302
    assert any("冰种帝王绿手镯" in hit for hit in _hits(browser, "帝王绿"))
    assert _hits(browser, "飘花") == []


def test_index_follows_clip_edits_and_archiving(
    app, client_as, merchant, merchant_org, make_item, make_clip
):
    item = make_item(merchant_org, sku="C-1", name="翡翠吊坠")
    clip_id = make_clip(merchant_org, item.id, title="吊坠讲解", lines=("看这个起光",))
    browser = client_as(merchant)
    assert any("吊坠讲解" in hit for hit in _hits(browser, "起光"))

    with app.app_context():
        clip = db.session.get(Clip, clip_id)
        actor = db.session.get(User, merchant.id)
        clip_services.update_details(
            clip, actor, title="观音吊坠讲解", description="老坑种", item_ids=[item.id]
        )

    assert any("观音吊坠讲解" in hit for hit in _hits(browser, "老坑"))
    assert f"/media/clips/{clip_id}" in hit_links(
        browser.get("/search", query_string={"q": "观音"}).text
    )


def test_deleting_a_recording_removes_its_sentences_from_the_index(
    app, client_as, merchant, merchant_org, make_recording
):
    recording_id = make_recording(merchant_org.id, [(1.0, "翡翠")])
    with app.app_context():
        db.session.delete(db.session.get(Recording, recording_id))
        db.session.commit()

    assert count_rows(app, SearchDocument) == 0
    assert _hits(client_as(merchant), "翡翠") == []


def test_lesson_video_sentences_open_the_lesson_at_their_second(
    app, client_as, streamer, make_lesson
):
    lesson_id = make_lesson(
        title="看种水", notes="", video_lines=[(2.0, "先看光线"), (15.6, "玻璃种翡翠透明度高")]
    )

    page = client_as(streamer).get("/search", query_string={"q": "玻璃种"}).text

    assert any("玻璃种翡翠透明度高" in hit and "0:15" in hit for hit in hits(page))
    if "courses.lesson" in app.view_functions:
        assert f"/courses/lessons/{lesson_id}?t=15" in hit_links(page)
    assert count_rows(app, SearchDocument, SearchDocument.kind == "sentence") == 0


def test_index_follows_lesson_changes_and_deletions(app, client_as, streamer, make_lesson):
    lesson_id = make_lesson(title="挑选手镯", notes="先量圈口")
    browser = client_as(streamer)
    assert _hits(browser, "圈口")

    with app.app_context():
        lesson = db.session.get(Lesson, lesson_id)
        course_id = lesson.module.course_id
        lesson.notes_md = "先看裂纹"
        db.session.commit()
        course_changed.send(course_id=course_id)
    assert _hits(browser, "圈口") == []
    assert _hits(browser, "裂纹")

    with app.app_context():
        db.session.delete(db.session.get(Lesson, lesson_id))
        db.session.commit()
        course_changed.send(course_id=course_id)
    assert count_rows(app, SearchDocument) == 0


def test_item_filter_choices_are_the_merchants_own(
    client_as, merchant, merchant_org, make_item, make_org
):
    make_item(merchant_org, sku="O-1", name="自家手镯")
    make_item(make_org("other"), sku="O-2", name="别家手镯")

    page = client_as(merchant).get("/search?q=手镯").text

    assert "自家手镯" in page
    assert "别家手镯" not in page
