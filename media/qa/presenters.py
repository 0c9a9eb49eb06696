"""How QA findings read: each check's name and a finding's detail."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

_CHECK_LABELS = {
    "black": _l("Black picture"),
    "freeze": _l("Frozen picture"),
    "silence": _l("Silence longer than a second"),
    "loudness": _l("Loudness off target"),
    "word_cut": _l("Cut inside a word"),
    "safe_area": _l("Text outside the safe area"),
    "banned_word": _l("Banned word"),
}


def check_label(check: str) -> str:
    """Return the translated name of a QA check."""
    return str(_CHECK_LABELS.get(check, check))


def finding_detail(found: dict) -> str:
    """Return what a finding is about, in words (empty when its name says it all)."""
    detail = str(found.get("detail") or "")
    if found["check"] == "loudness" and "/" in detail:
        measured, target = detail.split("/", 1)
        return _("%(measured)s LUFS, target %(target)s LUFS", measured=measured, target=target)
    if found["check"] == "word_cut":
        return _("“%(word)s” is cut", word=detail)
    return f"“{detail}”" if detail else ""
