"""Compliance: the base-wide list of banned advertising claims and its check on clip subtitles."""
