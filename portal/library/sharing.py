"""What a shared clip says about itself: the line under its link in chats and the QR code."""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _

from media.clips.models import Clip
from portal.library.services import ApprovedItem
from portal.qr import qr_svg
from portal.templating import duration


def share_description(clip: Clip, items: list[ApprovedItem]) -> str:
    """The clip's description; without one, its shop, items and length (never just the title)."""
    if clip.description.strip():
        return clip.description.strip()
    facts = {"length": duration(clip.duration_s), "shop": clip.org.name}
    if not items:
        return _("A %(length)s clip by %(shop)s.", **facts)
    names = format_list([item.name for item in items], locale=get_locale())
    return _("A %(length)s clip by %(shop)s about %(items)s.", items=names, **facts)


def share_qr_svg(page_url: str) -> str:
    """The QR code of the share page as inline SVG, to open it on a phone."""
    return qr_svg(page_url, _("QR code of this page"))
