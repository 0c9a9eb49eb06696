"""How a clip's renders are dressed: subtitle template, highlighted words, hook, logo, card.

The template is the clip's choice, else its organisation's, else the base's default
(``media.render.styles``). The hook line is the clip's own text, else its title, shown for the
first seconds. The product card shows the main item's primary photo, name, price and
certificate number while the item is discussed: from each mention of it in the kept ranges
(timed into the clip) for ``CARD_SHOW_S``, windows merged. A version keeps all of it as
``style`` (``version_style``), and its render builds the ``Decor`` from that snapshot.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from media.clips.models import Clip, ClipVersion, Mention
from media.clips.ranges import output_span
from media.clips.services import require_editable
from media.render.overlays import Box, placements
from media.render.styles import (
    HOOK_SECONDS,
    TEMPLATES,
    Decor,
    ProductCard,
    SubtitleTemplate,
    get_template,
)
from media.render.subtitles import SubtitleLayout
from portal.audit.services import record_event
from portal.auth.models import User
from portal.catalog.models import Item
from portal.catalog.photos import primary_photo_key
from portal.extensions import db
from portal.organisations.logos import logo_file
from portal.organisations.models import Organisation
from portal.organisations.scoping import scoped
from portal.storage import media_storage

CARD_LEAD_S = 0.3  # the card appears just before the name is said
CARD_SHOW_S = 6.0  # and stays this long after it


def org_template(org: Organisation) -> str:
    """The organisation's template name (the base's, ``SUBTITLE_TEMPLATE``, when it chose none)."""
    if org.subtitle_template in TEMPLATES:
        return org.subtitle_template
    return get_template(current_app.config["SUBTITLE_TEMPLATE"]).name


def clip_template(clip: Clip) -> str:
    """The template a render of ``clip`` uses: its own, else its organisation's."""
    return clip.subtitle_template if clip.subtitle_template in TEMPLATES else org_template(clip.org)


def hook_line(clip: Clip) -> str:
    """The hook line of the first seconds: the clip's own, else its title ("" hides it)."""
    return clip.title if clip.hook_text is None else clip.hook_text


def highlight_terms(clip: Clip) -> list[str]:
    """The words drawn in the highlight colour: the linked items' names and spoken aliases."""
    terms = [term for item in clip.items for term in (item.name, *item.aliases)]
    return sorted({term.strip() for term in terms if len(term.strip()) >= 2})


def card_windows(clip: Clip) -> list[list[float]]:
    """When the card shows, in seconds into the clip: after each kept mention of the main item.

    With no mention kept, it shows for ``CARD_SHOW_S`` after the hook line.
    """
    if not clip.links:
        return []
    mentions = db.session.scalars(
        scoped(Mention, clip.org_id).where(
            Mention.recording_id == clip.recording_id,
            Mention.item_id == clip.links[0].item_id,
            Mention.end_ms > clip.start_ms,
            Mention.start_ms < clip.end_ms,
        )
    )
    duration = clip.duration_s
    starts = sorted(
        span[0] / 1000
        for m in mentions
        if (span := output_span(clip.kept, m.start_ms, m.end_ms)) is not None
    ) or [HOOK_SECONDS + CARD_LEAD_S]
    windows: list[list[float]] = []
    for start in starts:
        low, high = max(0.0, start - CARD_LEAD_S), min(duration, start + CARD_SHOW_S)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], high)
        elif high > low:
            windows.append([round(low, 2), round(high, 2)])
    return [[round(a, 2), round(b, 2)] for a, b in windows]


def yuan(cents: int) -> str:
    """A price as the card writes it in every language: ``¥12,800`` (fen only when there are)."""
    return f"¥{cents / 100:,.0f}" if cents % 100 == 0 else f"¥{cents / 100:,.2f}"


def card_texts(item: Item) -> dict[str, str]:
    """What the card writes: the item's name, price and certificate (lab and number)."""
    certificate = " ".join(part for part in (item.cert_lab, item.cert_number) if part)
    return {
        "name": item.name,
        "price": yuan(item.price_cents) if item.price_cents is not None else "",
        "certificate": certificate if item.cert_number else "",
    }


def _card(item: Item, windows: list[list[float]]) -> dict[str, Any]:
    """The card's snapshot: its texts, the photo (its storage key) and its windows."""
    return {**card_texts(item), "photo": primary_photo_key(item) or "", "windows": windows}


def version_style(clip: Clip) -> dict[str, Any]:
    """What a render of the clip draws besides the picture and subtitle text (JSON-ready)."""
    windows = card_windows(clip) if clip.show_card else []
    return {
        "template": clip_template(clip),
        "highlights": highlight_terms(clip),
        "hook": hook_line(clip),
        "logo": clip.org.logo_stem,
        "card": _card(clip.items[0], windows) if windows else None,
    }


def decor_for(version: ClipVersion) -> Decor:
    """The render's ``Decor`` from a version's snapshot (a version without one: plain)."""
    style = version.style or {}
    if not style:
        return Decor()
    card = style.get("card")
    return Decor(
        template=get_template(style.get("template")).name,
        highlights=tuple(style.get("highlights", ())),
        hook=style.get("hook", ""),
        logo=logo_file(version.org_id, style["logo"]),
        card=ProductCard(
            name=card["name"],
            price=card["price"],
            certificate=card["certificate"],
            photo=media_storage().path(card["photo"]) if card["photo"] else None,
            windows=tuple((a, b) for a, b in card["windows"]),
        )
        if card
        else None,
    )


def set_org_template(org: Organisation, name: str, actor: User) -> None:
    """Make ``name`` the organisation's subtitle template."""
    org.subtitle_template = get_template(name).name
    record_event(actor, "organisation.template_changed", org, org_id=org.id, template=name)
    db.session.commit()


def set_clip_style(
    clip: Clip, actor: User, *, template: str | None, hook_text: str | None, show_card: bool
) -> None:
    """Set the clip's template (None: its organisation's), hook line and card switch."""
    require_editable(clip)
    clip.subtitle_template = get_template(template).name if template else None
    clip.hook_text = None if hook_text is None else " ".join(hook_text.split())
    clip.show_card = show_card
    clip.updated_by_id = actor.id
    record_event(actor, "clip.style_changed", clip, org_id=clip.org_id)
    db.session.commit()


def _percent(box: Box, width: int, height: int) -> list[float]:
    """``box`` as percentages of the frame: left, top, width, height."""
    return [
        round(100 * box.x / width, 2),
        round(100 * box.y / height, 2),
        round(100 * box.width / width, 2),
        round(100 * box.height / height, 2),
    ]


def _template_preview(template: SubtitleTemplate, width: int, height: int) -> dict[str, Any]:
    """Where one template puts things on a ``width``×``height`` frame, in percentages."""
    where = placements(width, height, template)
    layout = SubtitleLayout.for_frame(width, height, template=template)
    return {
        "position": str(template.position),
        "bottom": round(100 * layout.margin_v_px / height, 2),
        "font": round(100 * layout.em_px / height, 3),
        "outline": round(100 * layout.outline_px / height, 3),
        "hookFont": round(100 * where.hook_font_px / height, 3),
        "colours": [template.primary, template.outline, template.highlight],
        "logo": _percent(where.logo, width, height),
        "hook": _percent(where.hook, width, height),
        "card": _percent(where.card, width, height),
    }


def highlighted(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    """Split ``text`` into pieces, each marked whether it is a highlighted term (for previews)."""
    pieces: list[tuple[str, bool]] = []
    lowered = text.lower()
    index = 0
    ordered = sorted(terms, key=len, reverse=True)
    while index < len(text):
        term = next((t for t in ordered if t and lowered.startswith(t.lower(), index)), None)
        size = len(term) if term else 1
        piece, is_term = text[index : index + size], term is not None
        if pieces and pieces[-1][1] == is_term and not is_term:
            pieces[-1] = (pieces[-1][0] + piece, False)
        else:
            pieces.append((piece, is_term))
        index += size
    return pieces


def preview_data(width: int, height: int) -> dict[str, Any]:
    """Every template's preview numbers on a ``width``×``height`` frame (for the browser)."""
    width, height = max(width, 16), max(height, 16)
    return {name: _template_preview(t, width, height) for name, t in TEMPLATES.items()}
