"""Import every model module so the metadata (and Alembic) sees all tables."""

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.catalog.models import CatalogImport, Category, Item
from portal.organisations.models import Organisation

__all__ = ["AuditEvent", "CatalogImport", "Category", "Item", "Organisation", "User"]
