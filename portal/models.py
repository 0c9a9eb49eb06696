"""Import every model module so the metadata (and Alembic) sees all tables."""

from courses.models import (
    Certificate,
    Course,
    CourseModule,
    Enrolment,
    Lesson,
    LessonAttachment,
    LessonCaption,
    LessonProgress,
    PracticeSubmission,
    Quiz,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
)
from media.clips.models import (
    Clip,
    ClipCue,
    ClipItem,
    ClipVersion,
    Mention,
    Suggestion,
    SuggestionItem,
)
from media.glossary.models import GlossaryTerm
from media.qa.models import RenderQaReport
from media.recordings.models import Recording
from media.transcripts.models import NameCorrection, Sentence, SentenceEdit, Transcript, Word
from media.uploads.models import Upload as Upload  # registers the upload table
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.catalog.models import CatalogImport, Category, Item, ItemPhoto
from portal.claims.models import ComplianceTerm
from portal.comments.models import Comment
from portal.jobs.models import Job
from portal.library.models import ComplianceOverride
from portal.notifications.models import Notification, NotificationSetting
from portal.organisations.models import Organisation
from portal.screening.models import Application
from portal.search.models import SearchDocument, SearchTerm
from portal.team.models import LiveAccount
from portal.tokens.models import ApiToken

__all__ = [
    "ApiToken",
    "Application",
    "AuditEvent",
    "CatalogImport",
    "Category",
    "Certificate",
    "Clip",
    "ClipCue",
    "ClipItem",
    "ClipVersion",
    "Comment",
    "ComplianceOverride",
    "ComplianceTerm",
    "Course",
    "CourseModule",
    "Enrolment",
    "GlossaryTerm",
    "Item",
    "ItemPhoto",
    "Job",
    "Lesson",
    "LessonAttachment",
    "LessonCaption",
    "LessonProgress",
    "LiveAccount",
    "Mention",
    "NameCorrection",
    "Notification",
    "NotificationSetting",
    "Organisation",
    "PracticeSubmission",
    "Quiz",
    "QuizAttempt",
    "QuizChoice",
    "QuizQuestion",
    "Recording",
    "RenderQaReport",
    "SearchDocument",
    "SearchTerm",
    "Sentence",
    "SentenceEdit",
    "Suggestion",
    "SuggestionItem",
    "Transcript",
    "User",
    "Word",
]
