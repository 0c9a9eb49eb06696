"""Storing a transcript writes misheard names as the catalog spells them, and keeps what was heard.

Everything made from the sentences follows: mentions, clip subtitles (and so the publish kit's
key facts) and the transcript downloads.
"""

from __future__ import annotations

from sqlalchemy import select

from media.clips.discovery import refresh_mentions
from media.clips.kit import key_fact_choices
from media.clips.models import Mention
from media.clips.rendering import spoken_lines
from media.clips.services import create_clip
from media.glossary import services as glossary
from media.glossary.models import GlossaryTerm
from media.recordings.models import Recording
from media.recordings.services import transcript_export
from media.transcripts.models import NameCorrection, Sentence, Transcript, Word
from portal.auth.models import User
from portal.extensions import db
from tests.media.transcripts.spoken import store_spoken

JADE_BANGLE = ["这款", "匪", "翠", "手镯", "是", "冰种", "的。"]


def _sentences(recording_id: int) -> list[Sentence]:
    query = select(Sentence).join(Transcript).where(Transcript.recording_id == recording_id)
    return list(db.session.scalars(query.order_by(Sentence.position)))


def test_misheard_catalog_name_is_stored_as_spelled(app, merchant_org, make_item):
    item = make_item(merchant_org, name="翡翠手镯", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [JADE_BANGLE])

        [sentence] = _sentences(recording_id)
        assert sentence.text == "这款翡翠手镯是冰种的。"
        assert sentence.heard_text == "这款匪翠手镯是冰种的。"
        [fix] = db.session.scalars(select(NameCorrection)).all()
        assert (fix.start_char, fix.end_char, fix.heard, fix.written) == (2, 4, "匪翠", "翡翠")
        assert (fix.term, fix.source, fix.org_id) == ("翡翠手镯", "catalog", merchant_org.id)
        assert (fix.word_start_ms, fix.word_end_ms, fix.undone_at) == (500, 1500, None)
        words = db.session.scalars(select(Word.text).order_by(Word.start_ms)).all()
        assert words == ["这款", "翡翠", "手镯", "是", "冰种", "的。"]
        refresh_mentions(db.session.get(Recording, recording_id))
        mention = db.session.scalars(select(Mention)).one()
        assert (mention.item_id, mention.kind, mention.matched_text) == (
            item.id,
            "exact",
            "翡翠手镯",
        )


def test_misheard_english_alias_is_found_once_corrected(app, merchant_org, make_item):
    item = make_item(merchant_org, name="貔貅吊坠", aliases=["lucky Pixiu"])
    words = [" Look", " at", " this", " lucky", " pixel", " charm."]
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [words], language="en")

        [sentence] = _sentences(recording_id)
        assert (sentence.text, sentence.heard_text) == (
            "Look at this lucky Pixiu charm.",
            "Look at this lucky pixel charm.",
        )
        refresh_mentions(db.session.get(Recording, recording_id))
        assert db.session.scalars(select(Mention.item_id)).all() == [item.id]


def test_a_listed_items_misheard_english_name_is_corrected(app, merchant_org, make_item):
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    words = [" I", " want", " to", " show", " you", " our", " ice", " jade", " ring", " now."]
    with app.app_context():
        off_list = store_spoken(merchant_org.id, [words], language="en")
        on_list = store_spoken(merchant_org.id, [words], language="en", listed=[ring.id])

        texts = {n: [s.text for s in _sentences(n)] for n in (off_list, on_list)}
        assert texts[off_list] == ["I want to show you our ice jade ring now."]
        assert texts[on_list] == ["I want to show you our icy jadeite ring now."]
        fix = db.session.scalars(select(NameCorrection)).one()
        assert (fix.heard, fix.written, fix.term) == ("ice jade", "icy jadeite", "icy jadeite ring")
        refresh_mentions(db.session.get(Recording, on_list))
        mention = db.session.scalars(select(Mention)).one()
        assert (mention.item_id, mention.kind) == (ring.id, "exact")


def test_glossary_term_is_corrected_without_any_item(app, merchant_org):
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [["这个", "皮修", "很", "可爱。"]])

        [sentence] = _sentences(recording_id)
        assert sentence.text == "这个貔貅很可爱。"
        fix = db.session.scalars(select(NameCorrection)).one()
        assert (fix.heard, fix.written, fix.source) == ("皮修", "貔貅", "glossary")


def test_switched_off_glossary_term_is_not_corrected(app, merchant_org, admin):
    with app.app_context():
        row = db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.term == "貔貅"))
        glossary.set_term_active(db.session.get(User, admin.id), row, False)
        recording_id = store_spoken(merchant_org.id, [["这个", "皮修", "很", "可爱。"]])

        [sentence] = _sentences(recording_id)
        assert (sentence.text, sentence.heard_text) == ("这个皮修很可爱。", None)
        assert db.session.scalars(select(NameCorrection)).all() == []


def test_another_organisations_items_are_not_used(app, make_org, merchant_org, make_item):
    make_item(make_org("other"), name="菲翠宝石", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [["这是", "飞翠", "宝石。"]])

        assert _sentences(recording_id)[0].text == "这是翡翠宝石。"  # the glossary's 翡翠


def test_common_words_are_stored_as_heard(app, merchant_org):
    heard = [["这份", "资料", "很", "好。"], ["这个", "比喻", "非常", "好。"]]
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, heard)

        assert [s.text for s in _sentences(recording_id)] == ["这份资料很好。", "这个比喻非常好。"]
        assert db.session.scalars(select(NameCorrection)).all() == []


def test_subtitles_key_facts_and_downloads_spell_the_item_right(
    app, merchant_org, merchant, make_item
):
    item = make_item(merchant_org, name="冰种翡翠手镯", aliases=[])
    lines = [
        ["今天", "讲", "冰种", "肺", "脆", "手镯。"],
        ["这款", "飞", "翠", "手镯", "很", "透。"],
    ]
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, lines)
        recording = db.session.get(Recording, recording_id)

        clip = create_clip(
            recording, db.session.get(User, merchant.id), first_sentence=0, last_sentence=1,
            item_ids=[item.id], title="冰种翡翠手镯",
        )  # fmt: skip

        assert [cue.text for cue in clip.cues] == ["今天讲冰种翡翠手镯。", "这款翡翠手镯很透。"]
        assert [text for _, text in key_fact_choices(clip)] == [cue.text for cue in clip.cues]
        srt = transcript_export(recording, "srt")
        assert "冰种翡翠手镯" in srt
        assert "肺脆" not in srt
        assert "飞翠" not in srt


def test_compliance_reads_the_words_as_first_heard(app, merchant_org, merchant, make_item):
    item = make_item(merchant_org, name="翡翠手镯", aliases=[])
    with app.app_context():
        recording = db.session.get(Recording, store_spoken(merchant_org.id, [JADE_BANGLE]))
        clip = create_clip(
            recording, db.session.get(User, merchant.id), first_sentence=0, last_sentence=0,
            item_ids=[item.id], title="翡翠手镯",
        )  # fmt: skip

        [line] = spoken_lines(clip)

    assert (line["text"], line["heard"]) == ("这款翡翠手镯是冰种的。", "这款匪翠手镯是冰种的。")
