"""The authoring blueprint and helpers its course and lesson views share."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, url_for
from werkzeug.datastructures import FileStorage

from courses import covers
from courses.authoring.forms import (
    caption_language_choices,
    level_choices,
    video_language_choices,
)

bp = Blueprint(
    "courses_authoring", __name__, url_prefix="/courses/manage", template_folder="templates"
)


@bp.context_processor
def _display_helpers() -> dict[str, object]:
    levels = dict(level_choices())
    languages = dict(caption_language_choices() + video_language_choices())
    return {
        "level_label": lambda code: levels.get(code, code),
        "language_label": lambda code: languages.get(code, code or ""),
    }


@bp.app_template_global("course_cover_url")
def course_cover_url(course: Any) -> str | None:
    """Return the address of a course's cover image, or None (for every course page)."""
    return covers.cover_url(course)


def url_if_exists(endpoint: str, **values: Any) -> str | None:
    """Return ``url_for(endpoint)`` when another feature has built that page yet, else None."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def uploaded(field: Any) -> Any:
    """Return the stream of a file field's upload, or None when no file was chosen."""
    data = field.data
    if isinstance(data, FileStorage) and data.filename:
        return data.stream
    return None
