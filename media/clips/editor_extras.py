"""What the features above the clip workshop add to its editor (issue 17).

The editor shows a clip's review (may it be submitted, what the trainer decided), its
compliance hits and its renders' quality checks. Those belong to ``portal.review``,
``portal.compliance`` and ``media.qa``, which sit above ``media.clips``, so the editor does not
import them: each registers a function at app creation (``add_editor_context``, from its
blueprint's ``record_once``) that gives template variables for a clip, and the editor merges
what they return. A function gets the request's ``EditorData``: what it reads of the clip
(versions, kept lines) is read once for all the parts.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from flask import Flask, current_app

from media.clips.editor_data import EditorData

ContextProvider = Callable[[EditorData], dict[str, object]]
_KEY = "clip-editor-context"


class Part(StrEnum):
    """The editor's parts a feature adds to: the whole page, or the versions list (on the
    page, and alone while a render runs)."""

    PAGE = "page"
    VERSIONS = "versions"


def add_editor_context(app: Flask, part: Part, provider: ContextProvider) -> None:
    """Let ``provider`` add template variables to ``part`` of ``app``'s clip editor."""
    app.extensions.setdefault(_KEY, {}).setdefault(part, []).append(provider)


def extra_context(data: EditorData, part: Part) -> dict[str, object]:
    """Every registered provider's variables for ``data``'s clip in ``part``."""
    context: dict[str, object] = {}
    for provider in current_app.extensions.get(_KEY, {}).get(part, []):
        context.update(provider(data))
    return context
