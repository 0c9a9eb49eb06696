"""The library's feeds: JSON Feed 1.1 and Atom, each entry with its video as an enclosure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from media.clips.models import Clip
from media.clips.rendering import MIME_TYPES, version_file
from portal.library.services import approved_items, public_version
from portal.web import absolute_url

ATOM_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    """One published clip as a feed entry."""

    clip: Clip
    page_url: str
    video_url: str
    poster_url: str
    size_bytes: int | None

    @property
    def summary(self) -> str:
        """The clip's description, else its title."""
        return self.clip.description.strip() or self.clip.title


def entries(clips: list[Clip]) -> list[Entry]:
    """Describe each clip with absolute URLs and its video's size."""
    found: list[Entry] = []
    for clip in clips:
        version = public_version(clip)
        if version is None:
            continue
        path = version_file(version, "video")
        found.append(
            Entry(
                clip=clip,
                page_url=absolute_url("library.clip", clip_id=clip.id),
                video_url=absolute_url("library.media", clip_id=clip.id, kind="video"),
                poster_url=absolute_url("library.media", clip_id=clip.id, kind="poster"),
                size_bytes=path.stat().st_size if path.is_file() else None,
            )
        )
    return found


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def json_feed(title: str, home_url: str, feed_url: str, items: list[Entry]) -> dict[str, Any]:
    """Build a JSON Feed 1.1 document."""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home_url,
        "feed_url": feed_url,
        "language": "zh-CN",
        "items": [_json_item(entry) for entry in items],
    }


def _json_item(entry: Entry) -> dict[str, Any]:
    clip = entry.clip
    attachment: dict[str, Any] = {
        "url": entry.video_url,
        "mime_type": MIME_TYPES["video"],
        "title": clip.title,
        "duration_in_seconds": round(clip.duration_s, 3),
    }
    if entry.size_bytes is not None:
        attachment["size_in_bytes"] = entry.size_bytes
    return {
        "id": entry.page_url,
        "url": entry.page_url,
        "title": clip.title,
        "content_text": entry.summary,
        "image": entry.poster_url,
        "date_published": _iso(clip.updated_at),
        "date_modified": _iso(clip.updated_at),
        "authors": [{"name": clip.org.name}],
        "tags": [item.name for item in approved_items(clip)],
        "attachments": [attachment],
    }


def atom_feed(
    title: str, home_url: str, feed_url: str, items: list[Entry], updated: datetime | None
) -> bytes:
    """Build an Atom (RFC 4287) document."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _text(feed, "id", feed_url)
    _text(feed, "title", title)
    _text(feed, "updated", _iso(updated or datetime.now(UTC)))
    _link(feed, "self", feed_url, "application/atom+xml")
    _link(feed, "alternate", home_url, "text/html")
    for entry in items:
        _atom_entry(feed, entry)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _atom_entry(feed: ET.Element, entry: Entry) -> None:
    clip = entry.clip
    node = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
    _text(node, "id", entry.page_url)
    _text(node, "title", clip.title)
    _text(node, "updated", _iso(clip.updated_at))
    _text(node, "published", _iso(clip.updated_at))
    author = ET.SubElement(node, f"{{{ATOM_NS}}}author")
    _text(author, "name", clip.org.name)
    _text(node, "summary", entry.summary)
    _link(node, "alternate", entry.page_url, "text/html")
    enclosure = _link(node, "enclosure", entry.video_url, MIME_TYPES["video"])
    if entry.size_bytes is not None:
        enclosure.set("length", str(entry.size_bytes))


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}").text = value


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> ET.Element:
    return ET.SubElement(
        parent, f"{{{ATOM_NS}}}link", {"rel": rel, "href": href, "type": media_type}
    )
