"""Organisations: merchant companies, their status, and tenant scoping."""
