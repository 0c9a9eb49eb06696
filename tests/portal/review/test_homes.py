"""Home pages over HTTP: the merchant's clips by state and running transcriptions, the trainer's
queues and the approved list, and one count per number wherever it is shown."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from courses.models import Course, CourseModule, Lesson, PracticeState, PracticeSubmission
from media.clips.models import Clip, ClipState
from media.recordings.models import Recording
from media.recordings.services import TRANSCRIBE_JOB
from portal.database import utcnow
from portal.extensions import db
from portal.jobs.models import Job, JobState
from portal.organisations.models import BASE_ORG_SLUG, Organisation, OrgStatus
from tests.portal.helpers import in_english
from tests.support.clipdata import add_clip_rows


@pytest.fixture
def add_clip(app, make_item):
    """Add a clip of ``org`` in ``state`` titled ``title``, last changed ``days_ago``."""

    def build(org, state, title, days_ago=0, texts=("这款翡翠手镯水头很好",)):
        item = make_item(org, cert_lab="NGTC", cert_number="N-1")
        with app.app_context():
            clip = add_clip_rows(org.id, [item.id], title=title, texts=texts, state=state)
            db.session.execute(
                db.update(Clip)
                .where(Clip.id == clip.id)
                .values(updated_at=utcnow() - timedelta(days=days_ago))
            )
            db.session.commit()
            return clip.id

    return build


def _transcribing(app, org, title, progress, state=JobState.RUNNING):
    with app.app_context():
        recording = Recording(org_id=org.id, title=title, stored_name="r.mp4")
        db.session.add(recording)
        db.session.flush()
        db.session.add(Job(
            kind=TRANSCRIBE_JOB, subject_type="Recording", subject_id=recording.id,
            org_id=org.id, state=state, step="transcribing", progress=progress,
        ))  # fmt: skip
        db.session.commit()
        return recording.id


def _badge_after(html, text):
    """The number in the badge right after ``text`` (a heading or tab label)."""
    return int(re.search(re.escape(text) + r'\s*<span class="badge">(\d+)</span>', html).group(1))


def test_merchant_home_shows_own_clips_by_state_newest_first_and_never_another_merchants(
    client_as, merchant, merchant_org, make_org, add_clip
):
    for n in range(4):
        add_clip(merchant_org, ClipState.DRAFT, f"草稿{n}", days_ago=n)
    add_clip(merchant_org, ClipState.READY, "已渲染未提交", days_ago=9)
    add_clip(merchant_org, ClipState.CHANGES_REQUESTED, "请修改的片段")
    add_clip(merchant_org, ClipState.APPROVED, "已通过的片段")
    other = make_org("other-shop")
    add_clip(other, ClipState.CHANGES_REQUESTED, "别家的片段")

    page = in_english(client_as(merchant)).get("/")

    assert page.status_code == 200
    html = page.text
    assert "别家的片段" not in html
    assert _badge_after(html, "Drafts") == 5  # drafts and rendered clips not yet submitted
    assert _badge_after(html, "Changes requested") == 1
    assert "草稿3" not in html  # three newest per state; the rest behind "See all"
    assert html.index("草稿0") < html.index("草稿1") < html.index("草稿2")
    assert 'href="/clips/draft">See all 5' in html
    assert 'href="/clips/in_review"><strong class="tally-count">0</strong>' in html


def test_merchant_sees_every_clip_of_a_state_and_no_other_merchants(
    client_as, merchant, merchant_org, make_org, add_clip
):
    for n in range(4):
        add_clip(merchant_org, ClipState.DRAFT, f"草稿{n}", days_ago=n)
    other = make_org("other-shop")
    add_clip(other, ClipState.DRAFT, "别家的草稿")

    page = in_english(client_as(merchant)).get("/clips/draft")

    assert page.status_code == 200
    assert [f"草稿{n}" for n in range(4)] == re.findall(r"草稿\d", page.text)
    assert "别家的草稿" not in page.text
    assert _badge_after(page.text, "Drafts") == 4
    assert in_english(client_as(merchant)).get("/clips/archived").status_code == 404


def test_merchant_home_shows_recordings_still_transcribing_with_progress(
    app, client_as, merchant, merchant_org, make_org
):
    running = _transcribing(app, merchant_org, "周六晚场", 42)
    starting = _transcribing(app, merchant_org, "周日早场", 0)
    _transcribing(app, merchant_org, "上周的直播", 100, state=JobState.SUCCEEDED)
    _transcribing(app, make_org("other-shop"), "别家的直播", 10)
    browser = in_english(client_as(merchant))

    html = browser.get("/").text
    partial = browser.get("/transcribing", headers={"HX-Request": "true"}).text

    for text in (html, partial):
        assert f'href="/media/recordings/{running}"' in text
        assert 'value="42"' in text
        # As on the recording page: what the step does, and a moving bar while at 0 %.
        assert "Transcribing speech… 42%" in text
        assert f'href="/media/recordings/{starting}"' in text
        assert '<progress max="100" aria-label="Transcribing speech">' in text
        assert "上周的直播" not in text
        assert "别家的直播" not in text
    assert 'hx-trigger="every 5s"' in partial  # polls while a transcription runs
    assert partial.lstrip().startswith('<section id="transcribing"')


def test_polling_stops_when_nothing_transcribes(client_as, merchant):
    partial = client_as(merchant).get("/transcribing", headers={"HX-Request": "true"}).text

    assert "hx-trigger" not in partial


def _practice_waiting(app, streamer, count):
    with app.app_context():
        lesson = Lesson(position=0, title="讲解一件翡翠", practice_prompt="录一段介绍。")
        db.session.add(Course(title="入门", modules=[CourseModule(title="一", lessons=[lesson])]))
        db.session.flush()
        for _ in range(count):
            db.session.add(PracticeSubmission(
                lesson_id=lesson.id, user_id=streamer.id, state=PracticeState.SUBMITTED
            ))  # fmt: skip
        db.session.commit()


def test_trainer_home_shows_counts_approved_clips_oldest_first_and_practice_waiting(
    app, client_as, trainer, streamer, merchant_org, make_org, add_clip
):
    add_clip(merchant_org, ClipState.APPROVED, "新通过", days_ago=1)
    add_clip(make_org("other-shop"), ClipState.APPROVED, "早通过", days_ago=5)
    add_clip(merchant_org, ClipState.IN_REVIEW, "待审片段", days_ago=2)
    add_clip(merchant_org, ClipState.PUBLISHED, "已发布片段")
    _practice_waiting(app, streamer, 2)

    html = in_english(client_as(trainer)).get("/").text

    assert re.search(
        r'home-approved-heading">Approved, not yet published <span class="badge">2', html
    )
    assert re.search(r'home-waiting-heading">Clips waiting for review <span class="badge">1', html)
    assert re.search(r'home-practice-heading">Practice videos waiting <span class="badge">2', html)
    assert html.index("早通过") < html.index("新通过")  # longest waiting first
    assert "已发布片段" not in html
    assert html.count('action="/review/clips/') == 2  # a publish button per approved clip
    assert 'href="/courses/practice/' in html


def test_trainer_approving_lands_on_the_approved_list_and_publishes_from_it(
    app, client_as, trainer, merchant_org, add_clip
):
    clip_id = add_clip(merchant_org, ClipState.IN_REVIEW, "待审片段")
    browser = in_english(client_as(trainer))

    approved = browser.post(f"/review/clips/{clip_id}/decision", data={"decision": "approve"})

    assert approved.status_code == 302
    assert approved.headers["Location"] == "/review/approved"
    listing = browser.get("/review/approved").text
    assert f'href="/review/clips/{clip_id}"' in listing
    assert _badge_after(listing, "Approved, not yet published") == 1
    published = browser.post(f"/review/clips/{clip_id}/publish")
    assert published.status_code == 302
    with app.app_context():
        assert db.session.get(Clip, clip_id).state == ClipState.PUBLISHED
    assert "No approved clip waits to be published." in browser.get("/review/approved").text


def test_an_approved_clip_with_open_flags_links_to_its_page_instead_of_a_publish_button(
    client_as, trainer, merchant_org, add_clip
):
    clip_id = add_clip(merchant_org, ClipState.APPROVED, "引流片段", texts=("喜欢的话加微信聊",))

    html = in_english(client_as(trainer)).get("/review/approved").text

    assert f'action="/review/clips/{clip_id}/publish"' not in html
    assert f'href="/review/clips/{clip_id}#publishing"' in html


def _tally(html, href):
    """The count of the home page's tally link to ``href``."""
    pattern = re.escape(f'href="{href}"><strong class="tally-count">') + r"(\d+)"
    return int(re.search(pattern, html).group(1))


def test_every_page_shows_the_same_counts(
    app, client_as, trainer, merchant, merchant_org, make_org, add_clip
):
    with app.app_context():  # the base's own organisation is no merchant
        db.session.add(Organisation(slug=BASE_ORG_SLUG, name="基地", status=OrgStatus.APPROVED))
        db.session.commit()
    make_org("second-shop")
    make_org("newcomer", status=OrgStatus.PENDING)
    for n, org in enumerate((merchant_org, make_org("third-shop"))):
        add_clip(org, ClipState.APPROVED, f"通过{n}")
        add_clip(org, ClipState.IN_REVIEW, f"待审{n}")
    add_clip(merchant_org, ClipState.PUBLISHED, "已发布")
    staff = in_english(client_as(trainer))
    own = in_english(client_as(merchant))

    dashboard = staff.get("/review/dashboard").text
    screening = staff.get("/screening/").text
    home, queue, approved = (staff.get(url).text for url in ("/", "/review/", "/review/approved"))
    merchant_home = own.get("/").text

    approved_merchants = re.search(r"<td>Approved</td><td>(\d+)</td>", dashboard).group(1)
    assert approved_merchants == re.search(r"Approved</span> \((\d+)\)", screening).group(1)
    assert approved_merchants == "3"  # not the base's own organisation
    for page in (queue, approved):
        assert _badge_after(page, "Waiting for review") == _tally(home, "/review/") == 2
        assert _badge_after(page, "Approved, not yet published") == 2
    assert _tally(home, "/review/approved") == approved.count('action="/review/clips/') == 2
    assert dashboard.count('<td data-label="Clip">') == 2  # the dashboard's waiting clips
    for group, count in (("approved", 1), ("in_review", 1), ("published", 1), ("draft", 0)):
        assert _tally(merchant_home, f"/clips/{group}") == count
        listing = own.get(f"/clips/{group}").text
        assert listing.count('<td data-label="Clip">') == count
