"""Notifications: what waits for each person, in the header's bell, a list page and mail digests."""
