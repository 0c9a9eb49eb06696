"""Review workflows: submit a rendered clip, decide on it, compare its versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from flask_babel import gettext as _
from sqlalchemy import select

from media.clips.models import Clip, ClipState, ClipVersion
from media.clips.rendering import (
    changes_since,
    list_versions,
    review_version,
    text_only_version,
)
from media.clips.services import APPROVED_STATES, apply_pending_text
from media.clips.states import allowed_targets, transition
from media.qa.services import require_passed
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.catalog.models import Item
from portal.errors import ConflictError, ServiceError
from portal.extensions import db
from portal.i18n import translate_message
from portal.library.services import approved_live_account
from portal.organisations.models import Organisation
from portal.templating import money


def ready_version(clip: Clip, version_id: int | None) -> ClipVersion | None:
    """The clip's rendered version ``version_id`` (None: the newest rendered one)."""
    ready = [v for v in list_versions(clip) if v.is_ready]
    if version_id is None:
        return ready[0] if ready else None
    return next((v for v in ready if v.id == version_id), None)


def pending_changes(clip: Clip) -> bool:
    """Tell whether an approved or published clip has a text change waiting to be submitted."""
    return clip.state in APPROVED_STATES and bool(clip.pending_text)


def can_submit(clip: Clip, actor: User) -> bool:
    """Tell whether ``actor`` may submit the clip now (an approved one: only a change)."""
    if ClipState.IN_REVIEW not in allowed_targets(clip, actor):
        return False
    return clip.state not in APPROVED_STATES or pending_changes(clip)


def _approved_version_id(clip: Clip) -> int | None:
    """The version an approved clip's text change goes with (its files); refuse if none waits."""
    if not pending_changes(clip):
        raise ConflictError(
            _("Nothing changed since the approved version: there is nothing to submit.")
        )
    return clip.review_version_id


def submit_for_review(clip: Clip, actor: User, version_id: int | None = None) -> ClipVersion:
    """Send one rendered version (the one the merchant saw) to the base's trainers.

    Changes to the subtitles, the range or (before approval) the style since that version must
    be rendered first (the server refuses them, not only the editor's page); a
    changed title, description, key facts or item list only makes a new version with the same
    files, which is what is submitted. An approved or published clip is submitted again only
    for a text change made since; it leaves the library until the change is approved and
    published (the public never sees unreviewed text).
    """
    org = db.session.get(Organisation, clip.org_id)
    if org is None or not org.is_approved:
        raise ConflictError(_("Only approved merchants can submit clips for review."))
    resubmitted = clip.state in APPROVED_STATES
    if resubmitted:
        version_id = _approved_version_id(clip)
    version = ready_version(clip, version_id)
    if version is None:
        raise ConflictError(_("Render the clip before submitting it."))
    require_passed(version)
    if resubmitted:
        apply_pending_text(clip)
    changes = changes_since(clip, version)
    # An approved clip cannot be rendered again: its title change may leave the old title drawn
    # as the hook line (the text waits in review like any text change).
    must_render = {"range", "subtitles"} if resubmitted else {"range", "subtitles", "style"}
    if must_render & set(changes):
        raise ConflictError(
            _(
                "The subtitles, the in and out points or the video style changed after version "
                "%(n)s was rendered: render again, then submit.",
                n=version.number,
            )
        )
    if changes:
        version = text_only_version(clip, version, actor)
        db.session.flush()
    clip.review_version_id = version.id
    transition(clip, ClipState.IN_REVIEW, actor)
    return version


def _require_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ServiceError(_("Tell the merchant what to change."), field="message")
    return text


def request_changes(clip: Clip, actor: User, message: str) -> None:
    """Send the clip back to the merchant with what to change."""
    transition(clip, ClipState.CHANGES_REQUESTED, actor, _require_reason(message))


def require_reviewed_version(clip: Clip, version_id: int | None) -> None:
    """Refuse a decision made on another version than the one now submitted."""
    if version_id is not None and version_id != clip.review_version_id:
        raise ConflictError(
            _("The merchant submitted another version meanwhile. Reload the page and review it.")
        )


def approve(clip: Clip, actor: User) -> None:
    """Approve the submitted version for publishing."""
    if review_version(clip) is None:
        raise ConflictError(_("No rendered version was submitted."))
    transition(clip, ClipState.APPROVED, actor)


def reject(clip: Clip, actor: User, reason: str) -> None:
    """Refuse the clip (the merchant may rework and submit again)."""
    transition(clip, ClipState.REJECTED, actor, _require_reason(reason))


@dataclass(frozen=True)
class Decision:
    """A state change of the clip as the merchant sees it."""

    at: datetime
    target: str
    reason: str
    actor_name: str
    version_id: int | None = None
    by_system: bool = False


def decisions(clip: Clip) -> list[Decision]:
    """Every transition of the clip, newest first, with reasons."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.action == "clip.transition",
            AuditEvent.object_type == "Clip",
            AuditEvent.object_id == clip.id,
        )
        .order_by(AuditEvent.id.desc())
    ).all()
    names = {
        u.id: u.name
        for u in db.session.scalars(
            select(User).where(User.id.in_({e.actor_id for e in events if e.actor_id}))
        )
    }
    return [
        Decision(
            e.at,
            e.details.get("target", ""),
            _reason(e.details),
            names.get(e.actor_id or 0, "") if e.actor_id else _("System"),
            e.details.get("version_id"),
            e.actor_id is None,
        )
        for e in events
    ]


def _reason(details: dict[str, object]) -> str:
    """A decision's reason in the reader's language (the system's are stored as message ids)."""
    key = details.get("reason_key")
    if isinstance(key, str) and key:
        args = details.get("reason_args")
        return translate_message(key, args if isinstance(args, dict) else {})
    return str(details.get("reason") or "")


def recall_reason(clip: Clip) -> str:
    """Why the system sent the clip back to review, while it waits for a decision ("" if not)."""
    if clip.state != ClipState.IN_REVIEW:
        return ""
    newest = next(iter(decisions(clip)), None)
    is_recall = newest is not None and newest.by_system and newest.target == ClipState.IN_REVIEW
    return newest.reason if is_recall and newest else ""


def last_approved_version_id(clip: Clip) -> int | None:
    """The version the clip was last approved with (before any later submission), if any."""
    return next(
        (d.version_id for d in decisions(clip) if d.target == ClipState.APPROVED and d.version_id),
        None,
    )


@dataclass(frozen=True)
class DiffLine:
    """One subtitle line compared between two versions."""

    kind: str  # "same", "added", "removed", "hidden" (still spoken), "changed"
    old: str
    new: str


def _squeezed(text: object) -> str:
    return "".join(str(text).split())


def subtitle_diff(old: ClipVersion, new: ClipVersion) -> list[DiffLine]:
    """Compare the subtitle lines of two versions.

    A line that is gone from the subtitles but still in the new version's audio was hidden,
    not cut: it is marked "hidden".
    """
    spoken = {_squeezed(line["text"]) for line in new.spoken}
    return [
        DiffLine("hidden", line.old, "")
        if line.kind == "removed" and _squeezed(line.old) in spoken
        else line
        for line in _line_diff(
            [str(c["text"]) for c in old.cues], [str(c["text"]) for c in new.cues]
        )
    ]


def _line_diff(before: list[str], after: list[str]) -> list[DiffLine]:
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=before, b=after).get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text, text) for text in before[i1:i2]]
        elif tag == "delete":
            lines += [DiffLine("removed", text, "") for text in before[i1:i2]]
        elif tag == "insert":
            lines += [DiffLine("added", "", text) for text in after[j1:j2]]
        else:
            pairs = max(i2 - i1, j2 - j1)
            olds, news = before[i1:i2], after[j1:j2]
            lines += [
                DiffLine(
                    "changed", olds[k] if k < len(olds) else "", news[k] if k < len(news) else ""
                )
                for k in range(pairs)
            ]
    return lines


def version_pair(
    clip: Clip, version_id: int | None
) -> tuple[ClipVersion | None, ClipVersion | None]:
    """The version to show and the one to compare it with.

    Shown: ``version_id``, else the submitted one, else the newest rendered. Compared with: the
    version last approved, else the one rendered before it.
    """
    ready = [v for v in list_versions(clip) if v.is_ready]
    default = review_version(clip) or (ready[0] if ready else None)
    shown = next((v for v in ready if v.id == version_id), default)
    approved_id = last_approved_version_id(clip)
    approved = next((v for v in ready if v.id == approved_id and v is not shown), None)
    older = [v for v in ready if shown and v.number < shown.number]
    return shown, approved or (older[0] if older else None)


@dataclass(frozen=True)
class TextChange:
    """A published text that differs between two versions."""

    label: str
    old: str
    new: str


def text_changes(old: ClipVersion, new: ClipVersion) -> list[TextChange]:
    """The title, description, key facts, items, card facts, aliases, photos and live account
    that differ between versions."""
    fields = [
        (_("Title"), old.title, new.title),
        (_("Description"), old.description, new.description),
        (_("Key facts"), " · ".join(old.key_facts), " · ".join(new.key_facts)),
        (_("Linked items"), _item_names(old.item_ids), _item_names(new.item_ids)),
        (_("Card and hashtags"), _card_text(old.item_facts), _card_text(new.item_facts)),
        (_("Spoken aliases"), *_kept_changes(old, new, "aliases")),
        (_("Item photos"), *_kept_changes(old, new, "photos")),
        (_("Live account"), approved_live_account(old), approved_live_account(new)),
    ]
    return [TextChange(label, a, b) for label, a, b in fields if a != b]


def _card_text(item_facts: list[dict[str, object]]) -> str:
    """The items' facts a version's card and hashtags show, one item after another."""
    return "、".join(_item_card(facts) for facts in item_facts)


def _item_card(facts: dict[str, object]) -> str:
    keys = ("name", "category", "cert_lab", "cert_number", "cert_grade")
    price = facts.get("price_cents")
    shown = [str(facts[key]) for key in keys if facts.get(key)]
    return " · ".join(shown + ([money(price)] if isinstance(price, int) else []))


def _kept_changes(old: ClipVersion, new: ClipVersion, key: str) -> tuple[str, str]:
    """The aliases (``aliases``) or photo numbers (``photos``, ``#12``) ``new`` no longer keeps
    and those it keeps anew, item by item (``冰种手镯：加微信特价镯``): only what changed, so a
    trainer on a phone sees the one alias or photo added, not every item's whole list twice."""
    before, after = _kept_by_item(old, key), _kept_by_item(new, key)
    named = _facts_by_item(old) + _facts_by_item(new)  # the newer name where both have the item
    names = {item_id: str(facts.get("name") or "") for item_id, facts in named}
    separator = " " if key == "photos" else " / "

    def listed(ours: dict[int, list[str]], theirs: dict[int, list[str]]) -> str:
        parts = []
        for item_id, kept in ours.items():
            only = [value for value in kept if value not in theirs.get(item_id, [])]
            if only:
                parts.append(f"{names[item_id]}：{separator.join(only)}")
        return "、".join(parts)

    return listed(before, after), listed(after, before)


def _facts_by_item(version: ClipVersion) -> list[tuple[int, dict[str, object]]]:
    return list(zip(version.item_ids, version.item_facts, strict=False))


def _kept_by_item(version: ClipVersion, key: str) -> dict[int, list[str]]:
    """What ``version`` kept under ``key`` for each of its items, as text."""
    kept = {}
    for item_id, facts in _facts_by_item(version):
        if key == "photos":
            kept[item_id] = [f"#{photo_id}" for photo_id in _photo_ids(facts)]
        else:
            kept[item_id] = [str(alias) for alias in facts.get(key) or []]
    return kept


def _photo_ids(facts: dict[str, object]) -> list[int]:
    """The ids of the photos an item's kept ``facts`` name."""
    photos = facts.get("photos")
    return [int(photo["id"]) for photo in photos] if isinstance(photos, list) else []


def photos_added(old: ClipVersion, new: ClipVersion) -> set[int]:
    """The ids of the photos ``new`` keeps and ``old`` did not (an item linked since brings
    all its photos): the review page marks them new, for the trainer to find on a phone."""

    def kept(version: ClipVersion) -> set[int]:
        return {photo_id for facts in version.item_facts for photo_id in _photo_ids(facts)}

    return kept(new) - kept(old)


def _item_names(item_ids: list[int]) -> str:
    items = {i.id: i for i in db.session.scalars(select(Item).where(Item.id.in_(item_ids)))}
    return "、".join(f"{items[i].name} ({items[i].sku})" for i in item_ids if i in items)
