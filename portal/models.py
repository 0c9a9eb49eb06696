"""Import every model module so the metadata (and Alembic) sees all tables."""

from media.recordings.models import Recording
from media.transcripts.models import Sentence, SentenceEdit, Transcript, Word
from media.uploads.models import Upload as Upload  # registers the upload table
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.catalog.models import CatalogImport, Category, Item
from portal.jobs.models import Job
from portal.organisations.models import Organisation

__all__ = [
    "AuditEvent",
    "CatalogImport",
    "Category",
    "Item",
    "Job",
    "Organisation",
    "Recording",
    "Sentence",
    "SentenceEdit",
    "Transcript",
    "User",
    "Word",
]
