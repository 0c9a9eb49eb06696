"""Public library pages (no login): grid, clip, item, share, embed player, media and feeds.

Public pages are rendered without the app's context processors: they carry no session, CSRF
token or per-user menu, so shared caches may keep them (ETag, Last-Modified, short max-age).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _

from media.clips.rendering import MIME_TYPES, version_file
from portal.catalog.models import Item
from portal.catalog.photos import Size, photo_path
from portal.library import feeds, services, sharing
from portal.library.services import LibraryFilter
from portal.routing import query_id, query_page
from portal.web import frameable

bp = Blueprint(
    "library",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/library/static",
)
# Clip cards name and picture a published clip's items as its approved version kept them.
bp.add_app_template_global(services.approved_items, "approved_items")
bp.add_app_template_global(services.approved_photo, "approved_photo")
# The review page names the live account as the version kept it, as the clip page will.
bp.add_app_template_global(services.approved_live_account, "approved_live_account")

MAX_AGE_S = 60


def render_public(template: str, **context: Any) -> str:
    """Render a public template with only what it is given (no session, no CSRF token)."""
    # Babel's locale prints as zh_Hans_CN; templates compare with the portal's names.
    locale = "en" if str(get_locale() or "zh_CN").startswith("en") else "zh_CN"
    return current_app.jinja_env.get_template(template).render(current_locale=locale, **context)


def public_response(
    body: str | bytes, etag: str, modified: datetime | None, mimetype: str = "text/html"
) -> Response:
    """Answer a public page cacheably; a matching If-None-Match gets 304."""
    response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.last_modified = modified
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_S
    return response.make_conditional(request)


def _tag(*parts: object) -> tuple[object, ...]:
    return (request.full_path, str(get_locale()), *parts)


def _filter() -> LibraryFilter:
    return LibraryFilter(
        category_id=query_id("category"),
        merchant=request.args.get("merchant", "", type=str).strip(),
        item_id=query_id("item"),
    )


@bp.get("/library/")
def index() -> ResponseReturnValue:
    """The grid of published clips, filtered by category, merchant and item."""
    chosen = _filter()
    page = services.list_library(chosen, query_page())
    categories, merchants, items = services.filter_choices()
    choices = [*((o.id, o.updated_at) for o in merchants), *((i.id, i.name) for i in items)]
    etag, modified = services.fingerprint(page.items, page.total, choices, *_tag())
    body = render_public(
        "library/index.html",
        page=page,
        chosen=chosen,
        categories=categories,
        merchants=merchants,
        items=items,
        feeds=feed_links(chosen),
    )
    return public_response(body, etag, modified)


@bp.get("/library/clips/<int:clip_id>")
def clip(clip_id: int) -> ResponseReturnValue:
    """A published clip: player, subtitles track, linked items, other clips of its items."""
    shown = services.get_published_clip_or_404(clip_id)
    related = services.related_clips(shown)
    version = services.get_public_version_or_404(shown)
    etag, modified = services.fingerprint([shown, *related], *_tag())
    body = render_public(
        "library/clip.html",
        clip=shown,
        version=version,
        items=services.approved_items(shown),
        related=related,
        live_account=services.approved_live_account(version),
    )
    return public_response(body, etag, modified)


@bp.get("/library/clips/<int:clip_id>/<any(video, poster, vtt):kind>")
def media(clip_id: int, kind: str) -> ResponseReturnValue:
    """Serve a published clip's newest rendered video, poster or subtitles (Range supported)."""
    shown = services.get_published_clip_or_404(clip_id)
    version = services.get_public_version_or_404(shown)
    response = send_file(
        version_file(version, kind), mimetype=MIME_TYPES[kind], conditional=True, max_age=MAX_AGE_S
    )
    response.cache_control.public = True
    return response


@bp.get("/library/items/<int:item_id>")
def item(item_id: int) -> ResponseReturnValue:
    """A public item page: the item, its certificate and all its published clips."""
    found: Item = services.get_public_item_or_404(item_id)
    clips = services.clips_of_item(found)
    # Named, priced, certified, categorised and pictured as the newest published clip's
    # approved version kept it.
    facts = services.get_approved_item_or_404(found, clips)
    etag, modified = services.fingerprint(clips, *_tag())
    body = render_public(
        "library/item.html",
        item=found,
        facts=facts,
        photo=services.approved_photo(facts),
        category=services.approved_category(facts),
        clips=clips,
    )
    return public_response(body, etag, modified)


@bp.get("/library/items/<int:item_id>/photos/<int:photo_id>/<any(full, thumb):size>")
def photo(item_id: int, photo_id: int, size: Size) -> ResponseReturnValue:
    """Serve a photo of a public item that a published clip's approved version kept; any other
    photo (one uploaded after the approval too) is 404."""
    shown = services.get_public_photo_or_404(item_id, photo_id)
    response = send_file(photo_path(shown, size), mimetype="image/jpeg", max_age=MAX_AGE_S)
    response.cache_control.public = True
    return response


@bp.get("/share/<int:clip_id>")
def share(clip_id: int) -> ResponseReturnValue:
    """A share page: Open Graph tags, link and embed code to copy, a QR code for a phone."""
    shown = services.get_published_clip_or_404(clip_id)
    items = services.approved_items(shown)
    etag, modified = services.fingerprint([shown], *_tag())
    page_url = feeds.absolute_url("library.share", clip_id=shown.id)
    body = render_public(
        "library/share.html",
        clip=shown,
        items=items,
        page_url=page_url,
        description=sharing.share_description(shown, items),
        qr_svg=sharing.share_qr_svg(page_url),
        poster_url=feeds.absolute_url("library.media", clip_id=shown.id, kind="poster"),
        video_url=feeds.absolute_url("library.media", clip_id=shown.id, kind="video"),
        embed_url=feeds.absolute_url("library.embed", clip_id=shown.id),
    )
    return public_response(body, etag, modified)


@bp.get("/embed/<int:clip_id>")
@frameable
def embed(clip_id: int) -> ResponseReturnValue:
    """A minimal player other sites may put in an iframe (the only frameable page)."""
    shown = services.get_published_clip_or_404(clip_id)
    etag, modified = services.fingerprint([shown], *_tag())
    body = render_public(
        "library/embed.html", clip=shown, version=services.get_public_version_or_404(shown)
    )
    return public_response(body, etag, modified)


def _feed_context() -> tuple[LibraryFilter, str, list[feeds.Entry]]:
    chosen = _filter()
    title = _("Beltcast product-knowledge library")
    if chosen.merchant or chosen.item_id is not None:
        title = _("%(title)s (filtered)", title=title)
    return chosen, title, feeds.entries(services.feed_clips(chosen))


@bp.get("/library/feed.json")
def feed_json() -> ResponseReturnValue:
    """The library as a JSON Feed 1.1 (``?merchant=<slug>`` or ``?item=<id>`` to narrow it)."""
    chosen, title, entries = _feed_context()
    etag, modified = services.fingerprint([e.clip for e in entries], *_tag())
    home = feeds.absolute_url("library.index", **_filter_args(chosen))
    feed_url = feeds.absolute_url("library.feed_json", **_filter_args(chosen))
    document = feeds.json_feed(title, home, feed_url, entries)
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return public_response(body, etag, modified, "application/feed+json")


@bp.get("/library/feed.atom")
def feed_atom() -> ResponseReturnValue:
    """The library as an Atom feed with video enclosures."""
    chosen, title, entries = _feed_context()
    etag, modified = services.fingerprint([e.clip for e in entries], *_tag())
    home = feeds.absolute_url("library.index", **_filter_args(chosen))
    feed_url = feeds.absolute_url("library.feed_atom", **_filter_args(chosen))
    body = feeds.atom_feed(title, home, feed_url, entries, modified)
    return public_response(body, etag, modified, "application/atom+xml")


def _filter_args(chosen: LibraryFilter) -> dict[str, object]:
    values = {"merchant": chosen.merchant, "item": chosen.item_id, "category": chosen.category_id}
    return {key: value for key, value in values.items() if value}


def feed_links(chosen: LibraryFilter) -> dict[str, str]:
    """The feed URLs matching the shown filter."""
    args = _filter_args(chosen)
    return {
        "json": url_for("library.feed_json", **args),
        "atom": url_for("library.feed_atom", **args),
    }
