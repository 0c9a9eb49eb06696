"""Render QA: the checks run on every rendered clip, their findings and overrides."""
