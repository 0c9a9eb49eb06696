"""Banned advertising claims, the part every feature shares (core): the term list's model, the
active terms and the pure matcher. The compliance feature (``portal/compliance``) edits the list
and checks clips; course practice review checks a streamer's words with the same matcher.
"""
