"""Recordings: a merchant's long stream videos, their processing and transcript pages."""
