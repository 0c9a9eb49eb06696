"""What the public library shows: published clips of approved organisations, never anything else.

Every public page and feed loads through ``published_clips()``; a clip that is unpublished,
rejected or archived, or whose organisation is not approved, is a 404 everywhere at once.
A published clip shows its review version (the one a trainer approved), never a newer render.
While a clip is in review, approved or published it cannot be edited, and submitting makes its
text equal to that version's, so the clip's title, description and links are the version's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, exists, select

from media.clips.models import Clip, ClipItem, ClipState, ClipVersion
from media.clips.rendering import review_version, version_items
from portal.catalog.models import Category, Item, ItemPhoto
from portal.extensions import db
from portal.organisations.models import Organisation, OrgStatus
from portal.organisations.scoping import all_orgs
from portal.team.models import PLATFORM_LABELS

PAGE_SIZE = 24
FEED_SIZE = 50


@dataclass(frozen=True)
class LibraryFilter:
    """What the library grid or a feed shows."""

    category_id: int | None = None
    merchant: str = ""  # organisation slug
    item_id: int | None = None


def published_clips() -> Select[tuple[Clip]]:
    """Select the clips the public may see, across organisations."""
    has_ready_version = exists(
        select(ClipVersion.id).where(
            ClipVersion.id == Clip.review_version_id,
            ClipVersion.clip_id == Clip.id,
            ClipVersion.is_ready,
        )
    )
    return (
        all_orgs(Clip)
        .join(Organisation, Organisation.id == Clip.org_id)
        .where(
            Clip.state == ClipState.PUBLISHED,
            Organisation.status == OrgStatus.APPROVED,
            has_ready_version,
        )
    )


def _public_items() -> Select[tuple[Item]]:
    return (
        all_orgs(Item)
        .join(Organisation, Organisation.id == Item.org_id)
        .where(Item.archived_at.is_(None), Organisation.status == OrgStatus.APPROVED)
    )


def _filtered(statement: Select[tuple[Clip]], chosen: LibraryFilter) -> Select[tuple[Clip]]:
    if chosen.merchant:
        statement = statement.where(Organisation.slug == chosen.merchant)
    if chosen.item_id is not None:
        statement = statement.where(
            Clip.id.in_(select(ClipItem.clip_id).where(ClipItem.item_id == chosen.item_id))
        )
    if chosen.category_id is not None:  # the category as approved, not the catalog's latest
        approved = [
            item_id
            for item_id, facts in published_item_facts().items()
            if facts.get("category_id") == chosen.category_id
        ]
        statement = statement.where(
            Clip.id.in_(select(ClipItem.clip_id).where(ClipItem.item_id.in_(approved)))
        )
    return statement.order_by(Clip.updated_at.desc(), Clip.id.desc())


def list_library(chosen: LibraryFilter, page: int) -> Pagination:
    """Return one page of published clips matching ``chosen``, newest first."""
    return db.paginate(
        _filtered(published_clips(), chosen), page=page, per_page=PAGE_SIZE, error_out=False
    )


def feed_clips(chosen: LibraryFilter) -> list[Clip]:
    """Return the newest published clips for a feed."""
    return list(db.session.scalars(_filtered(published_clips(), chosen).limit(FEED_SIZE)))


def get_published_clip_or_404(clip_id: int) -> Clip:
    """Load a clip the public may see; anything else answers 404."""
    return db.first_or_404(published_clips().where(Clip.id == clip_id))


def public_version(clip: Clip) -> ClipVersion | None:
    """The version the library plays: the one a trainer approved and was published."""
    return review_version(clip) if clip.state == ClipState.PUBLISHED else None


def get_public_version_or_404(clip: Clip) -> ClipVersion:
    """The published version of a public clip; anything else answers 404."""
    version = public_version(clip)
    if version is None:
        abort(404)
    return version


def get_public_item_or_404(item_id: int) -> Item:
    """Load a live item of an approved organisation that has a published clip."""
    item = db.first_or_404(_public_items().where(Item.id == item_id))
    if not clips_of_item(item):
        abort(404)
    return item


def get_public_photo_or_404(item_id: int, photo_id: int) -> ItemPhoto:
    """Load a photo of a public item (see ``get_public_item_or_404``) that a published clip's
    approved version kept; anything else is 404: a photo uploaded after the approval, or an
    item's photo no published version names, stays private until a version keeping it is
    approved and published."""
    item = get_public_item_or_404(item_id)
    photo = db.first_or_404(
        all_orgs(ItemPhoto).where(ItemPhoto.id == photo_id, ItemPhoto.item_id == item.id)
    )
    kept = {
        ref
        for clip in clips_of_item(item)
        for ref in kept_facts(item.id, _kept(public_version(clip)).get(item.id, {})).photo_refs
    }
    if (photo.id, photo.stored_stem) not in kept:
        abort(404)
    return photo


def clips_of_item(item: Item, *, exclude_id: int | None = None) -> list[Clip]:
    """Return the item's published clips, newest first."""
    statement = _filtered(published_clips(), LibraryFilter(item_id=item.id))
    if exclude_id is not None:
        statement = statement.where(Clip.id != exclude_id)
    return list(db.session.scalars(statement))


def public_items_of(clip: Clip) -> list[Item]:
    """The published version's linked items that are not archived, the main one first."""
    version = public_version(clip)
    return [item for item in version_items(version) if not item.is_archived] if version else []


@dataclass(frozen=True)
class ApprovedItem:
    """A published clip's item as its approved version shows it: the name, price, certificate,
    category, spoken aliases and photos the trainer approved, whatever the catalog says now (an
    edit makes a new version to submit).

    ``photo_refs`` pin the photos as (id, stored stem); versions made before photos, aliases and
    category ids were kept have none of them (migration 0031 filled in photos and categories).
    """

    id: int
    name: str
    price_cents: int | None
    cert_lab: str
    cert_number: str
    cert_grade: str
    category_id: int | None = None
    aliases: tuple[str, ...] = ()
    photo_refs: tuple[tuple[int, str], ...] = ()

    @property
    def has_certificate(self) -> bool:
        """Tell whether the approved facts carry a certificate (lab and number)."""
        return bool(self.cert_lab and self.cert_number)


def _kept(version: ClipVersion | None) -> dict[int, dict[str, object]]:
    """A version's kept item facts by item id (none without a version)."""
    return dict(zip(version.item_ids, version.item_facts, strict=False)) if version else {}


def kept_facts(item_id: int, facts: dict[str, object]) -> ApprovedItem:
    """Item ``item_id`` as a version's kept ``facts`` (``rendering.item_facts``) have it."""
    price, category_id = facts.get("price_cents"), facts.get("category_id")
    aliases, photos = facts.get("aliases"), facts.get("photos")
    return ApprovedItem(
        id=item_id,
        name=str(facts.get("name") or ""),
        price_cents=price if isinstance(price, int) else None,
        cert_lab=str(facts.get("cert_lab") or ""),
        cert_number=str(facts.get("cert_number") or ""),
        cert_grade=str(facts.get("cert_grade") or ""),
        category_id=category_id if isinstance(category_id, int) else None,
        aliases=tuple(str(a) for a in aliases) if isinstance(aliases, list) else (),
        photo_refs=tuple((int(p["id"]), str(p["stem"])) for p in photos if isinstance(p, dict))
        if isinstance(photos, list)
        else (),
    )


def kept_items(version: ClipVersion) -> dict[int, ApprovedItem]:
    """What ``version`` kept of each of its items, by item id (what approving it makes public)."""
    return {item_id: kept_facts(item_id, facts) for item_id, facts in _kept(version).items()}


def approved_photos(approved: ApprovedItem) -> list[ItemPhoto]:
    """The photos ``approved`` kept that are still stored with the same files, in kept order."""
    if not approved.photo_refs:
        return []
    found = db.session.scalars(
        all_orgs(ItemPhoto).where(
            ItemPhoto.id.in_([photo_id for photo_id, _ in approved.photo_refs]),
            ItemPhoto.item_id == approved.id,
        )
    )
    by_ref = {(photo.id, photo.stored_stem): photo for photo in found}
    return [by_ref[ref] for ref in approved.photo_refs if ref in by_ref]


def approved_photo(approved: ApprovedItem) -> ItemPhoto | None:
    """The first of ``approved_photos`` (the one public pages show), if any."""
    return next(iter(approved_photos(approved)), None)


def approved_category(approved: ApprovedItem) -> Category | None:
    """The category ``approved`` kept (the base's list names it), if any."""
    return db.session.get(Category, approved.category_id) if approved.category_id else None


def approved_live_account(version: ClipVersion | None) -> str:
    """How a clip page names the live account ``version`` kept (platform · name), as the
    trainer approved it, never the account's newer name; "" when it kept none."""
    kept = (version.live_account if version else None) or {}
    if not kept.get("name"):
        return ""
    platform = str(kept.get("platform") or "")
    return f"{PLATFORM_LABELS.get(platform, platform)} · {kept['name']}"


def approved_items(clip: Clip) -> list[ApprovedItem]:
    """``public_items_of(clip)`` with the facts their published version kept (an item the
    version kept no facts of is left out: migration 0020 gave every older version its facts)."""
    kept = _kept(public_version(clip))
    return [
        kept_facts(item.id, kept[item.id])
        for item in public_items_of(clip)
        if kept.get(item.id, {}).get("name")
    ]


def approved_item(item: Item, clips: list[Clip]) -> ApprovedItem | None:
    """The public item page's facts: as the newest of ``clips`` (its published clips, newest
    first) whose approved version kept them, never the catalog's latest (None: none kept)."""
    for clip in clips:
        kept = _kept(public_version(clip))
        if kept.get(item.id, {}).get("name"):
            return kept_facts(item.id, kept[item.id])
    return None


def get_approved_item_or_404(item: Item, clips: list[Clip]) -> ApprovedItem:
    """``approved_item``; an item no published version names answers 404."""
    found = approved_item(item, clips)
    if found is None:
        abort(404)
    return found


def published_item_facts(org_id: int | None = None) -> dict[int, dict[str, object]]:
    """Each item's facts as the newest published clip naming it kept them, by item id (of one
    organisation's clips, or of all): what the public is told of an item, never the catalog's
    latest."""
    visible = published_clips()
    if org_id is not None:
        visible = visible.where(Clip.org_id == org_id)
    shown = visible.with_only_columns(Clip.id).subquery()
    rows = db.session.execute(
        select(ClipVersion.item_ids, ClipVersion.item_facts)
        .join(Clip, Clip.review_version_id == ClipVersion.id)
        .where(Clip.id.in_(select(shown.c.id)))
        .order_by(Clip.updated_at.desc(), Clip.id.desc())
    )
    found: dict[int, dict[str, object]] = {}
    for item_ids, facts in rows:
        for item_id, kept in zip(item_ids, facts, strict=False):
            if kept.get("name"):
                found.setdefault(item_id, kept)
    return found


def related_clips(clip: Clip) -> list[Clip]:
    """Other published clips of the clip's items, newest first."""
    seen: dict[int, Clip] = {}
    for item in public_items_of(clip):
        for other in clips_of_item(item, exclude_id=clip.id):
            seen.setdefault(other.id, other)
    return sorted(seen.values(), key=lambda c: (c.updated_at, c.id), reverse=True)[:12]


def filter_choices() -> tuple[list[Category], list[Organisation], list[ApprovedItem]]:
    """The categories, merchants and items that have published clips (for the filters); the
    items named and categorised as published (``published_item_facts``), by that name."""
    visible = published_clips().with_only_columns(Clip.id).subquery()
    linked = select(ClipItem.item_id).where(ClipItem.clip_id.in_(select(visible.c.id)))
    items = list(db.session.scalars(_public_items().where(Item.id.in_(linked))))
    published = published_item_facts()
    named = sorted(
        (kept_facts(item.id, published[item.id]) for item in items if item.id in published),
        key=lambda approved: (approved.name, approved.id),
    )
    category_ids = {approved.category_id for approved in named if approved.category_id}
    categories = list(
        db.session.scalars(
            select(Category).where(Category.id.in_(category_ids)).order_by(Category.position)
        )
    )
    merchants = list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(select(Clip.org_id).where(Clip.id.in_(select(visible.c.id))))
            )
            .order_by(Organisation.name)
        )
    )
    return categories, merchants, named


def fingerprint(clips: Iterable[Clip], *extra: object) -> tuple[str, datetime | None]:
    """Return an ETag and the newest change of what a public page shows.

    Covers each clip, its organisation and its items, so any edit, publish, unpublish,
    suspension or archive changes the tag.
    """
    parts: list[str] = [repr(extra)]
    stamps: list[datetime] = []
    for clip in clips:
        rows: list[Clip | Organisation | Item] = [clip, clip.org, *clip.items]
        for row in rows:
            parts.append(f"{type(row).__name__}:{row.id}:{row.updated_at.isoformat()}")
            stamps.append(row.updated_at)
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return digest, max(stamps, default=None)
