"""Every feature's blueprint, command group, job kind and periodic task, imported: the app
factory registers them.

One list, so nothing is forgotten; plain imports, so the dependencies are visible (and checked
by ``tests/test_layers.py``). ``portal/__init__.py`` imports this module only when it builds an
application, so that importing any ``portal`` module does not load every feature.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from courses.authoring.views import bp as courses_authoring_bp
from courses.certificates.views import bp as courses_certificates_bp
from courses.practice.views import bp as courses_practice_bp
from courses.quizzes.views import bp as courses_quizzes_bp
from courses.views import bp as courses_bp
from media.clips.api import bp as media_clips_api_bp
from media.clips.cli import clips_cli
from media.clips.discovery import MENTIONS_JOB, refresh_mentions_job
from media.clips.rendering import RENDER_JOB
from media.clips.style_views import bp as media_clips_style_views_bp
from media.clips.tasks import render_version
from media.clips.views import bp as media_clips_bp
from media.glossary.views import bp as media_glossary_bp
from media.qa.views import bp as media_qa_bp
from media.recordings.cli import media_cli
from media.recordings.names_again import NAMES_JOB, correct_names_job
from media.recordings.services import TRANSCRIBE_JOB
from media.recordings.stream_views import bp as media_recordings_stream_views_bp
from media.recordings.tasks import transcribe_recording
from media.recordings.views import bp as media_recordings_bp
from media.uploads.services import delete_expired_uploads
from media.uploads.views import bp as media_uploads_bp
from portal.admin.views import bp as admin_bp
from portal.auth.views import bp as auth_bp
from portal.catalog.views import bp as catalog_bp
from portal.cli import beltcast_cli
from portal.compliance.views import bp as compliance_bp
from portal.home.views import bp as home_bp
from portal.jobs.kinds import JobKind
from portal.jobs.views import bp as jobs_bp
from portal.jobs.worker import worker_command
from portal.library.views import bp as library_bp
from portal.notifications.digest import send_due_digests
from portal.notifications.views import bp as notifications_bp
from portal.review.views import bp as review_bp
from portal.screening.views import bp as screening_bp
from portal.search.cli import search_cli
from portal.search.views import bp as search_bp
from portal.team.views import bp as team_bp
from portal.tokens.views import bp as tokens_bp

BLUEPRINTS = (
    home_bp,
    auth_bp,
    admin_bp,
    catalog_bp,
    courses_bp,
    courses_practice_bp,
    courses_certificates_bp,
    courses_authoring_bp,
    courses_quizzes_bp,
    media_uploads_bp,
    media_recordings_bp,
    media_recordings_stream_views_bp,
    jobs_bp,
    tokens_bp,
    team_bp,
    media_clips_bp,
    media_clips_api_bp,
    media_clips_style_views_bp,
    media_qa_bp,
    compliance_bp,
    media_glossary_bp,
    review_bp,
    library_bp,
    screening_bp,
    search_bp,
    notifications_bp,
)

# Each job kind: the function that runs it (with a JobContext), its name and steps for people.
JOB_KINDS = (
    JobKind(
        TRANSCRIBE_JOB,
        transcribe_recording,
        _l("Transcribe a recording"),
        steps=(
            ("probing", _l("Checking the file")),
            ("extracting_audio", _l("Extracting audio")),
            ("transcribing", _l("Transcribing speech")),
            ("saving", _l("Saving the transcript")),
            ("finding_items", _l("Finding items")),
        ),
        done=_l("Transcribed."),
    ),
    JobKind(
        MENTIONS_JOB,
        refresh_mentions_job,
        _l("Find items in a recording"),
        steps=(("finding_items", _l("Finding items")),),
        done=_l("Items found."),
    ),
    JobKind(
        NAMES_JOB,
        correct_names_job,
        _l("Correct names with the stream's list"),
        steps=(("correcting_names", _l("Correcting names")),),
        done=_l("Names corrected."),
    ),
    JobKind(
        RENDER_JOB,
        render_version,
        _l("Render a clip"),
        steps=(("rendering", _l("Rendering the clip")),),
        done=_l("Rendered."),
    ),
)

# Housekeeping the worker's sweeper runs every round, given the current time.
PERIODIC = (
    delete_expired_uploads,
    send_due_digests,  # mail digests that are due
)

CLI_GROUPS = (
    beltcast_cli,
    worker_command,
    media_cli,
    clips_cli,
    search_cli,
)
