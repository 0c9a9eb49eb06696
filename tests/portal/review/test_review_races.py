"""Two requests on one clip at once: the one that read the clip first must not undo the other.

Each test is one interleaving, played exactly: a request loads the clip (as a view does before
it calls a service), another request runs to its end meanwhile (in a thread, so with its own
app context and database session, as another web process would), then the first one goes on
and calls its service with what it read. Every such late write must be refused (409) when the
other request changed the clip's state: else a publish racing a resubmission put unreviewed
text in the library, and a details save racing a submission put it on the approved clip.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from media.clips import services as clip_services
from media.clips.models import ClipState
from media.clips.rendering import request_render
from media.recordings.models import Recording
from portal.auth.models import User
from portal.errors import ConflictError
from portal.extensions import db
from portal.library import publishing
from portal.review import services as review
from tests.portal.review.stage import ACTIONS, HAPPY_PATH, Stage
from tests.support.meanwhile import meanwhile

BANNED_TITLE = "全网最低价手镯 加微信"


def play(stage: Stage, names: list[str]) -> None:
    for name in names:
        ACTIONS[name](stage)


def state_of(stage: Stage) -> ClipState:
    with stage.app.app_context():
        return ClipState(stage.clip().state)


def late(stage: Stage, user: User, other: str, act: Callable[..., object]) -> None:
    """Load the clip, let the ``other`` action run meanwhile, then ``act(clip, user)``: refused."""
    with stage.app.app_context():
        clip, actor = stage.clip(), db.session.get(User, user.id)
        assert clip.state is not None  # read before the other request
        assert actor is not None
        meanwhile(lambda: ACTIONS[other](stage))
        with pytest.raises(ConflictError):
            act(clip, actor)
        db.session.rollback()


def test_publish_racing_a_resubmitted_text_change_leaves_the_unreviewed_text_out(stage, trainer):
    current = stage()
    play(current, [*HAPPY_PATH[:-1], "title_banned"])  # approved; a banned title waits
    late(current, trainer, "submit", publishing.publish)
    assert state_of(current) == ClipState.IN_REVIEW
    assert current.visitor.get(f"/library/clips/{current.clip_id}").status_code == 404


def test_two_trainers_deciding_at_once_the_later_decision_on_a_stale_page_is_refused(
    stage, trainer
):
    current = stage()
    play(current, ["render", "finish_render", "submit"])
    late(current, trainer, "changes", review.approve)
    assert state_of(current) == ClipState.CHANGES_REQUESTED


def test_unpublish_racing_a_resubmission_does_not_put_the_clip_back_as_approved(stage, trainer):
    current = stage()
    play(current, [*HAPPY_PATH, "title_banned"])
    late(current, trainer, "submit", publishing.unpublish)
    assert state_of(current) == ClipState.IN_REVIEW


def test_the_same_submission_sent_twice_at_once_is_taken_once(stage, merchant):
    current = stage()
    play(current, ["render", "finish_render"])
    late(current, merchant, "submit", review.submit_for_review)
    assert state_of(current) == ClipState.IN_REVIEW


def _details(clip, actor):
    item_ids = [link.item_id for link in clip.links]
    clip_services.update_details(
        clip, actor, title=BANNED_TITLE, description="讲解种水", item_ids=item_ids
    )


def _cue(clip, actor):
    clip_services.edit_cue(clip, clip.cues[0], actor, text="加微信 jade888", is_hidden=False)


def _range(clip, actor):
    recording = db.session.get(Recording, clip.recording_id)
    clip_services.set_range(clip, recording, actor, clip.start_ms, clip.end_ms - 1000)


def _render(clip, actor):
    request_render(
        clip, actor, profile="vertical", fill="blur", burn_subtitles=True, poster_at_s=0.0
    )


@pytest.mark.parametrize("edit", [_details, _cue, _range, _render], ids=lambda f: f.__name__[1:])
def test_an_edit_racing_the_submission_from_another_tab_is_refused(stage, merchant, edit):
    """The merchant's second tab saves what it read before the first tab submitted."""
    current = stage()
    play(current, ["render", "finish_render"])
    late(current, merchant, "submit", edit)
    play(current, ["approve", "override_all", "publish"])
    page = current.visitor.get(f"/library/clips/{current.clip_id}").text
    assert BANNED_TITLE not in page
    with current.app.app_context():
        clip = current.clip()
        version = review.review_version(clip)
        assert clip.title == version.title
        assert [c["text"] for c in version.cues] == [c.text for c in clip.cues if not c.is_hidden]
        assert clip.kept == [tuple(r) for r in version.ranges]
