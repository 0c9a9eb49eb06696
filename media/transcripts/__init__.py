"""Transcripts: sentences with word times, edits with history, and subtitle exports."""
