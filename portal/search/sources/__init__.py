"""The searchable sources; importing this package registers each of them."""

from portal.search.sources import clips, items, lessons, transcripts

__all__ = ["clips", "items", "lessons", "transcripts"]
