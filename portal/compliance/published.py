"""The compliance check of one version: everything it publishes, said or shown.

A decision is about one version, so the check reads only the version's own snapshot: the
subtitles burned into it, the words spoken in its range (the transcript, also as first heard
where the merchant corrected it), its title, hook line, description and key facts, the post's
hashtags, the knowledge card's item facts and the items' spoken aliases (public search matches
an approved version's aliases), as the version kept them, not as the catalog has them now.
Words that are spoken but not in a subtitle keep their flag, marked "spoken, subtitle hidden"
or "spoken, not in the subtitle".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from media.clips.kit import hashtags
from media.clips.models import ClipVersion
from media.clips.rendering import version_items
from media.render.qa import finding
from media.render.styles import HOOK_SECONDS
from portal.claims.matching import Hit, TimedCue, find_hits
from portal.claims.terms import active_terms


def check_version(version: ClipVersion) -> list[Hit]:
    """Find the active terms in everything ``version`` publishes, subtitles first by time."""
    items = version_items(version)
    certified = bool(items) and all(item.has_certificate for item in items)
    terms = active_terms()
    shown = find_hits(list(_subtitle_lines(version)), terms, items_certified=certified)
    spoken = find_hits(list(_spoken_lines(version)), terms, items_certified=certified)
    texts = find_hits(list(_text_lines(version)), terms, items_certified=certified)
    return shown + _unshown(spoken, shown, version.cues) + texts


def _subtitle_lines(version: ClipVersion) -> Iterator[TimedCue]:
    for index, cue in enumerate(version.cues):
        yield TimedCue(float(cue["start"]), float(cue["end"]), str(cue["text"]), index)


def _spoken_lines(version: ClipVersion) -> Iterator[TimedCue]:
    for index, line in enumerate(version.spoken):
        start, end = float(line["start"]), float(line["end"])
        yield TimedCue(start, end, str(line["text"]), index, "spoken")
        if line.get("heard"):
            yield TimedCue(start, end, str(line["heard"]), index, "spoken")


def _text_lines(version: ClipVersion) -> Iterator[TimedCue]:
    yield TimedCue(0.0, 0.0, version.title, 0, "title")
    hook = str((version.style or {}).get("hook") or "")
    if hook:
        yield TimedCue(0.0, HOOK_SECONDS, hook, 0, "hook")  # drawn over the first seconds
    yield TimedCue(0.0, 0.0, version.description, 0, "description")
    for index, fact in enumerate(version.key_facts):
        yield TimedCue(0.0, 0.0, fact, index, "key_fact")
    yield TimedCue(0.0, 0.0, " ".join(hashtags(version.item_facts)), 0, "post")
    for index, facts in enumerate(version.item_facts):
        shown = (facts.get(key) for key in ("name", "cert_lab", "cert_number", "cert_grade"))
        yield TimedCue(0.0, 0.0, " · ".join(str(f) for f in shown if f), index, "card")
        aliases = [str(alias) for alias in facts.get("aliases") or []]
        if aliases:
            yield TimedCue(0.0, 0.0, " / ".join(aliases), index, "alias")


def _unshown(spoken: list[Hit], shown: list[Hit], cues: Sequence[dict[str, object]]) -> list[Hit]:
    """Keep the spoken hits no subtitle shows, each once per line and term, with a note."""
    kept: dict[tuple[str, int, str], Hit] = {}
    for hit in spoken:
        line = _overlapping(hit.start_s, cues)
        if not line:
            note = "hidden"
        elif any(s.term == hit.term and s.cue_index in line for s in shown):
            continue
        else:
            note = "unshown"
        kept.setdefault(hit.key, replace(hit, note=note))
    return list(kept.values())


def _overlapping(at_s: float, cues: Sequence[dict[str, object]]) -> set[int]:
    """The indexes of the subtitle lines shown at ``at_s`` seconds."""
    return {
        index
        for index, cue in enumerate(cues)
        if float(str(cue["start"])) <= at_s <= float(str(cue["end"]))
    }


def banned_word_findings(version: ClipVersion) -> list[dict]:
    """The version's compliance hits as render QA findings (timed when said or shown)."""
    return [
        finding(
            "banned_word",
            hit.start_s if hit.source in {"subtitle", "spoken"} else None,
            None,
            hit.matched_text,
        )
        for hit in check_version(version)
        if not hit.satisfied
    ]
