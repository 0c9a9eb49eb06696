"""A list picked after the transcript exists corrects the names again, respecting the merchant.

``correct_again`` on a real database: it corrects with the new list, keeps what was heard, takes
back what only an item taken off the list justified, never touches a sentence edited by hand nor
writes again a correction the merchant undid, and changes nothing when run twice; a table of
journeys (add items, correct, undo, edit, change the list, correct again) checks that whatever
the order. The job queued by a list change does it too.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from media.clips.kit import key_fact_choices
from media.clips.rendering import spoken_lines
from media.clips.services import create_clip
from media.recordings.listed_items import listed_or_small_catalog
from media.recordings.models import Recording
from media.recordings.names_again import NAMES_JOB
from media.recordings.services import transcript_export
from media.recordings.stream_items import add_items, get_entry_or_404, remove_item, stream_item_ids
from media.transcripts import corrections
from media.transcripts.corrections import (
    CorrectedAgain,
    correct_again,
    sentence_pieces,
    undo_correction,
)
from media.transcripts.models import NameCorrection, Sentence, Transcript, Word
from media.transcripts.services import edit_sentence
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.catalog.models import Item
from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.runner import execute_job
from tests.media.transcripts.spoken import store_spoken
from tests.support.meanwhile import meanwhile

RING = [" I", " want", " to", " show", " you", " our", " ice", " jade", " ring", " now."]
AMBER = ["这款", "莫种", "琥珀", "戒指", "很", "漂亮。"]
BOTH = [" The", " ice", " jade", " ring", " is", " here", " and", " ice", " jade", " ring."]


def _sentences(recording_id: int) -> list[Sentence]:
    query = select(Sentence).join(Transcript).where(Transcript.recording_id == recording_id)
    return list(db.session.scalars(query.order_by(Sentence.position)))


def _corrections(sentence: Sentence, *, undone: bool | None = None) -> list[NameCorrection]:
    query = select(NameCorrection).where(NameCorrection.sentence_id == sentence.id)
    if undone is not None:
        query = query.where(NameCorrection.undone_at.is_not(None) if undone else
                            NameCorrection.undone_at.is_(None))  # fmt: skip
    return list(db.session.scalars(query.order_by(NameCorrection.id)))


def _words(recording_id: int, position: int) -> list[str]:
    query = (
        select(Word.text)
        .join(Transcript, Transcript.id == Word.transcript_id)
        .where(Transcript.recording_id == recording_id, Word.sentence_position == position)
        .order_by(Word.start_ms)
    )
    return list(db.session.scalars(query))


def test_a_list_picked_afterwards_corrects_the_names_and_keeps_what_was_heard(
    app, merchant_org, make_item
):
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING], language="en")
        recording = db.session.get(Recording, recording_id)
        [sentence] = _sentences(recording_id)
        assert (sentence.text, sentence.heard_text) == (
            "I want to show you our ice jade ring now.",
            None,
        )

        done = correct_again(recording, {ring.id})

        assert done == CorrectedAgain(corrections=1, sentences=1, changed_meanwhile=0)
        [sentence] = _sentences(recording_id)
        assert sentence.text == "I want to show you our icy jadeite ring now."
        assert sentence.heard_text == "I want to show you our ice jade ring now."
        [fix] = _corrections(sentence)
        assert (fix.heard, fix.written, fix.term, fix.source) == (
            "ice jade",
            "icy jadeite",
            "icy jadeite ring",
            "catalog",
        )
        assert sentence.text[fix.start_char : fix.end_char] == fix.written
        assert (fix.word_start_ms, fix.word_end_ms) == (3000, 4000)
        assert _words(recording_id, 0) == [
            "I", "want", "to", "show", "you", "our", "icy jadeite", "ring", "now.",
        ]  # fmt: skip
        assert [piece.correction for piece in sentence_pieces(sentence)][1] == fix
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "transcript.names_corrected_again")).one()  # fmt: skip
        assert event.org_id == merchant_org.id

        assert correct_again(recording, {ring.id}) == CorrectedAgain()  # twice: nothing more
        assert len(_corrections(_sentences(recording_id)[0])) == 1


def test_a_chinese_name_of_the_list_is_corrected_again(app, merchant_org, make_item):
    amber = make_item(merchant_org, name="糯种琥珀戒指", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [AMBER])
        assert _sentences(recording_id)[0].text == "这款莫种琥珀戒指很漂亮。"

        correct_again(db.session.get(Recording, recording_id), {amber.id})

        [sentence] = _sentences(recording_id)
        assert (sentence.text, sentence.heard_text) == (
            "这款糯种琥珀戒指很漂亮。",
            "这款莫种琥珀戒指很漂亮。",
        )
        assert "".join(_words(recording_id, 0)) == sentence.text


def test_an_undone_correction_is_not_written_again(app, merchant_org, merchant, make_item):
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING], language="en")
        recording = db.session.get(Recording, recording_id)
        correct_again(recording, {ring.id})
        [sentence] = _sentences(recording_id)
        [fix] = _corrections(sentence)
        undo_correction(fix, sentence, db.session.get(User, merchant.id))

        assert correct_again(recording, {ring.id}) == CorrectedAgain()

        [sentence] = _sentences(recording_id)
        assert sentence.text == "I want to show you our ice jade ring now."
        assert _corrections(sentence, undone=False) == []
        assert sentence.heard_text == "I want to show you our ice jade ring now."


def test_only_the_undone_one_of_two_names_stays_heard(app, merchant_org, merchant, make_item):
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    amber = make_item(merchant_org, name="糯种琥珀戒指", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING, AMBER])
        recording = db.session.get(Recording, recording_id)
        correct_again(recording, {ring.id})
        english, chinese = _sentences(recording_id)
        undo_correction(_corrections(english)[0], english, db.session.get(User, merchant.id))

        done = correct_again(recording, {ring.id, amber.id})

        assert done == CorrectedAgain(corrections=1, sentences=1)
        english, chinese = _sentences(recording_id)
        assert english.text == "I want to show you our ice jade ring now."
        assert chinese.text == "这款糯种琥珀戒指很漂亮。"


@pytest.mark.parametrize("edit_back", [False, True], ids=["edited", "edited-back"])
def test_a_sentence_edited_by_hand_is_left_alone(app, merchant_org, merchant, make_item, edit_back):
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING, RING], language="en")
        first, _ = _sentences(recording_id)
        actor = db.session.get(User, merchant.id)
        edit_sentence(first, actor, "I want to show you our ice jade ring today.")
        if edit_back:  # the text shown is the recognised one again, but a person wrote it
            edit_sentence(first, actor, first.text)
            assert first.edited_text is None

        correct_again(db.session.get(Recording, recording_id), {ring.id})

        first, second = _sentences(recording_id)
        assert first.text == "I want to show you our ice jade ring now."
        assert first.heard_text is None
        assert _corrections(first) == []
        assert second.text == "I want to show you our icy jadeite ring now."


def test_a_sentence_changed_while_correcting_is_left_for_the_next_run(
    app, merchant_org, merchant, make_item, monkeypatch
):
    """The write checks the sentence is as read: the merchant's edit in between wins."""
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING], language="en")
        recording = db.session.get(Recording, recording_id)
        [sentence] = _sentences(recording_id)
        read = corrections._draft_of

        def edited_meanwhile(text, words):  # the merchant's request commits after the read
            with db.engine.begin() as other:
                other.execute(
                    update(Sentence).where(Sentence.id == sentence.id).values(edited_text="Hi.")
                )
            return read(text, words)

        monkeypatch.setattr(corrections, "_draft_of", edited_meanwhile)
        done = correct_again(recording, {ring.id})

        assert done == CorrectedAgain(changed_meanwhile=1)
        db.session.expire_all()
        [sentence] = _sentences(recording_id)
        assert (sentence.text, sentence.edited_text) == (RING_TEXT, "Hi.")
        assert _corrections(sentence) == []
        assert _words(recording_id, 0)[6:9] == ["ice", "jade", "ring"]


RING_TEXT = "I want to show you our ice jade ring now."


def test_two_mentions_of_a_name_are_both_corrected_once(app, merchant_org, make_item):
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [BOTH], language="en")
        recording = db.session.get(Recording, recording_id)
        correct_again(recording, {ring.id})
        correct_again(recording, {ring.id})

        [sentence] = _sentences(recording_id)
        assert sentence.text == "The icy jadeite ring is here and icy jadeite ring."
        fixes = _corrections(sentence)
        assert len(fixes) == 2
        assert all(sentence.text[f.start_char : f.end_char] == f.written for f in fixes)


def test_a_list_change_queues_the_job_which_corrects_and_refreshes_mentions(
    app, merchant_org, make_item
):
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING], language="en")
        recording = db.session.get(Recording, recording_id)
        add_items(recording, None, [ring.id])
        add_items(recording, None, [ring.id])  # still waiting: not queued twice

        [job] = db.session.scalars(select(Job).where(Job.kind == NAMES_JOB)).all()
        assert (job.subject_id, job.org_id) == (recording_id, merchant_org.id)
        assert _sentences(recording_id)[0].text == RING_TEXT  # never in the request

        execute_job(job.id, "test")
        db.session.expire_all()
        assert _sentences(recording_id)[0].text == "I want to show you our icy jadeite ring now."
        mentions = db.session.scalars(select(Job).where(Job.kind == "recording.mentions"))
        assert [j.state for j in mentions][-1] == "queued"  # refreshed after the correction


# A journey's steps: put an item on the list or take it off, correct again (the job), undo a
# correction, edit a sentence by hand, or edit it back to what the pipeline wrote.
STEPS = st.sampled_from(
    [("add", "ring"), ("add", "amber"), ("remove", "ring"), ("remove", "amber"),
     ("correct", 0), ("correct", 0), ("undo", 0), ("undo", 1), ("undo", 2),
     ("edit", 0), ("edit", 1), ("edit", 2), ("edit_back", 0), ("edit_back", 2)]
)  # fmt: skip
LISTED_AND_CORRECTED = [("add", "ring"), ("add", "amber"), ("correct", 0)]
# Most journeys start with both items listed and corrected, so undos have something to undo;
# a third of them end taking one item off the list, so there is something to take back.
JOURNEYS = st.one_of(
    st.lists(STEPS, max_size=10),
    st.lists(STEPS, max_size=8).map(lambda steps: LISTED_AND_CORRECTED + steps),
    st.tuples(st.lists(STEPS, max_size=6), st.sampled_from(["ring", "amber"])).map(
        lambda j: [*LISTED_AND_CORRECTED, *j[0], ("add", j[1]), ("remove", j[1]), ("correct", 0)]
    ),
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(journey=JOURNEYS)
@example(  # the journey: add, correct, undo, edit, change the list, correct again
    journey=[("add", "ring"), ("correct", 0), ("undo", 0), ("edit", 1), ("add", "amber"),
             ("remove", "ring"), ("correct", 0)]
)  # fmt: skip
@example(  # an undo in a sentence edited and edited back is the merchant's own change
    journey=[("add", "ring"), ("correct", 0), ("edit", 2), ("edit_back", 2), ("undo", 1)]
)
@example(  # taken off the list: taken back; put on it again: corrected again
    journey=[*LISTED_AND_CORRECTED, ("remove", "ring"), ("correct", 0), ("add", "ring"),
             ("correct", 0)]
)  # fmt: skip
@example(  # an undone correction stays undone through taking back and listing again
    journey=[*LISTED_AND_CORRECTED, ("undo", 1), ("remove", "ring"), ("correct", 0),
             ("add", "ring"), ("correct", 0)]
)  # fmt: skip
def test_whatever_the_journey_the_merchant_keeps_the_last_word(
    app, merchant_org, merchant, make_item, journey
):
    names = {"ring": "icy jadeite ring", "amber": "糯种琥珀戒指"}
    with app.app_context():  # the catalog is made once, for every journey
        made = dict(db.session.execute(select(Item.name, Item.id)).all())
    items = {key: made.get(name) or make_item(merchant_org, name=name, aliases=[]).id
             for key, name in names.items()}  # fmt: skip
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING, AMBER, BOTH])
        recording = db.session.get(Recording, recording_id)
        actor = db.session.get(User, merchant.id)
        recognised = [s.text for s in _sentences(recording_id)]
        edited: dict[int, tuple[str, str | None]] = {}  # sentence id: (text, edited_text)
        undone: dict[tuple[int, str, str], int] = {}  # (sentence, heard, term): newest id then
        heard: dict[int, str] = {}
        for step, arg in journey:
            sentences = _sentences(recording_id)
            if step == "add":
                add_items(recording, actor, [items[arg]])
            elif step == "remove" and items[arg] in stream_item_ids(recording):
                remove_item(get_entry_or_404(recording, items[arg]), actor)
            elif step == "correct":  # as the job does: an empty list, the small catalog
                listed = listed_or_small_catalog(recording)
                done = correct_again(recording, listed)
                event(f"corrected again in {done.sentences} sentence(s)")
                if done.taken_back:
                    event("took back a correction")
                assert correct_again(recording, listed) == CorrectedAgain()
                _follows_the_list(recording_id, listed, {i: names[k] for k, i in items.items()},
                                  set(edited), {key[0] for key in undone})  # fmt: skip
            elif step == "undo":
                free = [c for s in sentences if s.edited_text is None
                        for c in _corrections(s, undone=False)]  # fmt: skip
                if free:
                    fix = free[arg % len(free)]
                    newest = db.session.scalar(select(db.func.max(NameCorrection.id)))
                    undone[(fix.sentence_id, fix.heard, fix.term)] = newest
                    changed = undo_correction(fix, db.session.get(Sentence, fix.sentence_id), actor)
                    if changed.id in edited:  # the merchant's own undo: the job's never
                        edited[changed.id] = (changed.text, changed.edited_text)
                    event("undid a correction")
            elif step in ("edit", "edit_back"):
                sentence = sentences[arg]
                new = sentence.text + " 好" if step == "edit" else sentence.text
                edit_sentence(sentence, actor, new)
                if sentence.id in edited or step == "edit":
                    edited[sentence.id] = (sentence.text, sentence.edited_text)
            db.session.expire_all()
            for position, sentence in enumerate(_sentences(recording_id)):
                if sentence.id in edited:  # an edited sentence never changes
                    assert (sentence.text, sentence.edited_text) == edited[sentence.id]
                if sentence.heard_text is not None:  # what was heard stays what was recognised
                    assert sentence.heard_text == heard.setdefault(
                        sentence.id, recognised[position]
                    )
                spans = []
                for fix in _corrections(sentence, undone=False):
                    assert sentence.text[fix.start_char : fix.end_char] == fix.written
                    assert all(fix.end_char <= a or b <= fix.start_char for a, b in spans)
                    spans.append((fix.start_char, fix.end_char))
                    key = (sentence.id, fix.heard, fix.term)
                    assert fix.id <= undone.get(key, fix.id), "an undone correction came back"
                words = "".join(_words(recording_id, position)).replace(" ", "")
                assert words == sentence.text.replace(" ", "")


NAMED = ("ring", "amber", "ring")  # the item each sentence of a journey names


def _follows_the_list(
    recording_id: int, listed: set[int], names: dict[int, str], edited: set[int], undid: set[int]
) -> None:
    """After correcting again, a sentence nobody edited names each listed item as the catalog
    spells it (unless the merchant undid a correction there), and no correction of an item
    off the list is left in it."""
    by_key = {name: item for item, name in names.items()}
    for position, sentence in enumerate(_sentences(recording_id)):
        if sentence.id in edited:
            continue
        name = {"ring": "icy jadeite ring", "amber": "糯种琥珀戒指"}[NAMED[position]]
        terms = [c.term for c in _corrections(sentence, undone=False)]
        if by_key[name] not in listed:
            assert name not in terms, "a correction outlived its item's place on the list"
        elif sentence.id not in undid:
            assert name in sentence.text, "a listed item's name was not corrected (again)"


def test_a_list_changed_while_the_job_runs_is_corrected_by_the_next_job(
    app, merchant_org, make_item, monkeypatch
):
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    amber = make_item(merchant_org, name="糯种琥珀戒指", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING, AMBER])
        recording = db.session.get(Recording, recording_id)
        add_items(recording, None, [ring.id])
        [first] = db.session.scalars(select(Job).where(Job.kind == NAMES_JOB)).all()
        read, changed = corrections._draft_of, []

        def list_changed_meanwhile(text, words):  # the merchant adds amber as the job runs
            if not changed:
                changed.append(add_items(db.session.get(Recording, recording_id), None, [amber.id]))
            return read(text, words)

        monkeypatch.setattr(corrections, "_draft_of", list_changed_meanwhile)
        execute_job(first.id, "test")
        monkeypatch.undo()
        jobs = db.session.scalars(select(Job).where(Job.kind == NAMES_JOB).order_by(Job.id)).all()
        assert [job.state for job in jobs] == ["succeeded", "queued"]
        english, chinese = _sentences(recording_id)
        assert english.text == "I want to show you our icy jadeite ring now."
        assert chinese.text == "这款莫种琥珀戒指很漂亮。"  # read before amber was listed

        execute_job(jobs[1].id, "test")

        db.session.expire_all()
        english, chinese = _sentences(recording_id)
        assert chinese.text == "这款糯种琥珀戒指很漂亮。"
        assert english.text == "I want to show you our icy jadeite ring now."
        assert len(_corrections(english)) == len(_corrections(chinese)) == 1


def test_subtitles_the_publish_kit_and_downloads_spell_the_name_corrected_again(
    app, merchant_org, merchant, make_item
):
    amber = make_item(merchant_org, name="糯种琥珀戒指", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [AMBER])
        recording = db.session.get(Recording, recording_id)
        correct_again(recording, {amber.id})

        clip = create_clip(
            recording, db.session.get(User, merchant.id), first_sentence=0, last_sentence=0,
            item_ids=[amber.id], title="糯种琥珀戒指",
        )  # fmt: skip

        assert [cue.text for cue in clip.cues] == ["这款糯种琥珀戒指很漂亮。"]
        assert [text for _, text in key_fact_choices(clip)] == ["这款糯种琥珀戒指很漂亮。"]
        [line] = spoken_lines(clip)  # compliance still reads what was heard
        assert line["heard"] == "这款莫种琥珀戒指很漂亮。"
        srt = transcript_export(recording, "srt")
        assert "糯种琥珀戒指" in srt
        assert "莫种" not in srt


MIXED = [" I", " like", " the", " ice", " jade", " ring", " and", " 莫种", "琥珀", "戒指。"]


def _undo_read_before_a_job(app, words: list[str], user_id: int, job_lists: str) -> int:
    """The ring corrected in a sentence saying ``words``; the merchant's request reads it, the
    job corrects again meanwhile with the items of ``job_lists`` (by name) listed, then the
    merchant's undo of the ring arrives. Returns the recording's id."""
    with app.app_context():
        items = dict(db.session.execute(select(Item.name, Item.id)).all())
        recording_id = store_spoken(db.session.get(User, user_id).org_id, [words], language="en")
        correct_again(db.session.get(Recording, recording_id), {items["icy jadeite ring"]})
    with app.app_context():
        [sentence] = _sentences(recording_id)  # the merchant's request reads the sentence
        [fix] = _corrections(sentence)

        def job() -> None:
            with app.app_context():
                listed = {items[name] for name in job_lists.split(",")}
                correct_again(db.session.get(Recording, recording_id), listed)

        meanwhile(job)
        undo_correction(fix, sentence, db.session.get(User, user_id))
    return recording_id


def test_an_undo_from_a_page_read_before_the_job_wrote_keeps_the_jobs_correction(
    app, merchant_org, merchant, make_item
):
    """The merchant's page was read, the job corrected another name of the sentence, then the
    merchant's undo arrives: it undoes its own name in the sentence as stored, not as read.
    """
    make_item(merchant_org, name="icy jadeite ring", aliases=[])
    make_item(merchant_org, name="糯种琥珀戒指", aliases=[])

    recording_id = _undo_read_before_a_job(app, MIXED, merchant.id, "icy jadeite ring,糯种琥珀戒指")

    with app.app_context():
        [sentence] = _sentences(recording_id)
        assert sentence.text == "I like the ice jade ring and 糯种琥珀戒指。"
        assert [c.written for c in _corrections(sentence, undone=False)] == ["糯种"]


def _run_names_jobs() -> None:
    """The worker's turn: run the queued names jobs, oldest first."""
    queued = select(Job.id).where(Job.kind == NAMES_JOB, Job.state == "queued").order_by(Job.id)
    for job_id in db.session.scalars(queued).all():
        execute_job(job_id, "test")
    db.session.expire_all()


def _take_off(recording: Recording, item_id: int) -> None:
    remove_item(get_entry_or_404(recording, item_id), None)


def test_a_correction_for_an_item_taken_off_the_list_is_taken_back(app, merchant_org, make_item):
    """Taking the ring off the list (the amber stays, so no small catalog stands in) puts the heard
    words back in its sentence and words, not as the merchant's undo: listed again, it is
    corrected again."""
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    amber = make_item(merchant_org, name="糯种琥珀戒指", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [RING, AMBER])
        recording = db.session.get(Recording, recording_id)
        add_items(recording, None, [ring.id, amber.id])
        _run_names_jobs()
        english, chinese = _sentences(recording_id)
        assert english.text == "I want to show you our icy jadeite ring now."
        assert chinese.text == "这款糯种琥珀戒指很漂亮。"

        _take_off(recording, ring.id)
        _run_names_jobs()

        english, chinese = _sentences(recording_id)
        assert english.text == RING_TEXT
        assert english.heard_text == RING_TEXT
        assert _corrections(english) == []  # taken back, not marked undone by anyone
        assert _words(recording_id, 0)[6:8] == ["ice jade", "ring"]
        assert chinese.text == "这款糯种琥珀戒指很漂亮。"  # the amber is still listed
        assert len(_corrections(chinese, undone=False)) == 1
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "transcript.names_corrected_again")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert (event.details["taken_back"], event.details["sentences"]) == (1, 1)
        listed = listed_or_small_catalog(recording)
        assert correct_again(recording, listed) == CorrectedAgain()  # twice: nothing more

        add_items(recording, None, [ring.id])
        _run_names_jobs()

        english, _ = _sentences(recording_id)
        assert english.text == "I want to show you our icy jadeite ring now."
        assert [c.written for c in _corrections(english)] == ["icy jadeite"]


def test_taking_an_item_off_leaves_edits_undos_and_glossary_terms(
    app, merchant_org, merchant, make_item
):
    """Only the corrections that the item taken off justified go back: the glossary's 貔貅 stays, a
    sentence edited by hand stays as written, and an undone correction stays the merchant's."""
    ring = make_item(merchant_org, name="icy jadeite ring", aliases=[])
    amber = make_item(merchant_org, name="糯种琥珀戒指", aliases=[])
    with_term = ["这款", "莫种", "琥珀", "戒指", "和", "皮修", "吊坠。"]
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [with_term, AMBER, AMBER])
        recording = db.session.get(Recording, recording_id)
        actor = db.session.get(User, merchant.id)
        add_items(recording, None, [ring.id, amber.id])
        _run_names_jobs()
        first, edited, undone = _sentences(recording_id)
        assert first.text == "这款糯种琥珀戒指和貔貅吊坠。"
        edit_sentence(edited, actor, edited.text + " 好")
        undo_correction(_corrections(undone)[0], undone, actor)
        db.session.expire_all()
        before = [(s.text, s.edited_text) for s in _sentences(recording_id)]

        _take_off(recording, amber.id)
        _run_names_jobs()

        first, edited, undone = _sentences(recording_id)
        assert first.text == "这款莫种琥珀戒指和貔貅吊坠。"
        assert [c.written for c in _corrections(first)] == ["貔貅"]
        assert first.text[slice(*_span(_corrections(first)[0]))] == "貔貅"
        assert (edited.text, edited.edited_text) == before[1]
        assert len(_corrections(edited, undone=False)) == 1  # the merchant's sentence: untouched
        assert (undone.text, undone.edited_text) == before[2]
        [kept] = _corrections(undone)
        assert kept.undone_by_id == merchant.id


def _span(correction: NameCorrection) -> tuple[int, int]:
    return correction.start_char, correction.end_char


def test_a_small_catalog_still_stands_in_when_the_list_is_emptied(app, merchant_org, make_item):
    amber = make_item(merchant_org, name="糯种琥珀戒指", aliases=[])
    with app.app_context():
        recording_id = store_spoken(merchant_org.id, [AMBER])
        recording = db.session.get(Recording, recording_id)
        add_items(recording, None, [amber.id])
        _run_names_jobs()

        _take_off(recording, amber.id)  # the list is empty: the two-item catalog is the list
        _run_names_jobs()

        assert _sentences(recording_id)[0].text == "这款糯种琥珀戒指很漂亮。"


def test_an_undo_from_a_page_read_before_the_correction_was_taken_back_changes_nothing(
    app, merchant_org, merchant, make_item
):
    """The merchant's page shows the ring corrected; meanwhile the job takes it back (the ring
    left the list); the merchant's undo then finds the heard words already there."""
    make_item(merchant_org, name="icy jadeite ring", aliases=[])
    make_item(merchant_org, name="糯种琥珀戒指", aliases=[])

    recording_id = _undo_read_before_a_job(app, RING, merchant.id, "糯种琥珀戒指")

    with app.app_context():
        [sentence] = _sentences(recording_id)
        assert (sentence.text, sentence.edited_text) == (RING_TEXT, None)
        assert _corrections(sentence) == []
