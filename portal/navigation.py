"""The header menu for each kind of user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NavLink:
    """One header link."""

    label: str
    endpoint: str

    @property
    def url(self) -> str:
        """The link's address."""
        return url_for(self.endpoint)


def navigation_for(user: Any) -> list[NavLink]:
    """Return the header links ``user`` (maybe anonymous) may follow."""
    links = [NavLink(_l("Home"), "home.index"), NavLink(_l("Library"), "library.index")]
    if not user.is_authenticated:
        return links
    links.append(NavLink(_l("Courses"), "courses.catalog"))
    links.append(NavLink(_l("My certificates"), "courses_certificates.mine"))
    if user.is_merchant:
        links.append(NavLink(_l("Catalog"), "catalog.index"))
        links.append(NavLink(_l("Recordings"), "recordings.index"))
        links.append(NavLink(_l("Team"), "team.members"))
    elif user.is_org_streamer:
        links.append(NavLink(_l("Recordings"), "recordings.index"))
    if user.is_staff:
        links.append(NavLink(_l("Review"), "review.queue"))
        links.append(NavLink(_l("Manage courses"), "courses_authoring.index"))
        links.append(NavLink(_l("Practice reviews"), "courses_practice.queue"))
        links.append(NavLink(_l("Catalogs"), "catalog.staff_index"))
        links.append(NavLink(_l("Screening"), "screening.queue"))
    if user.is_admin:
        links.append(NavLink(_l("Users"), "admin.users"))
        links.append(NavLink(_l("Organisations"), "admin.organisations"))
        links.append(NavLink(_l("Categories"), "admin.categories"))
        links.append(NavLink(_l("Compliance terms"), "compliance.index"))
        links.append(NavLink(_l("Glossary"), "glossary.index"))
        links.append(NavLink(_l("Jobs"), "jobs.index"))
    return links
