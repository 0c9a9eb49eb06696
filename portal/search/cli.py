"""Operator commands: ``flask search …``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

import portal.search.sources  # noqa: F401 - importing registers every source
from portal.search import indexing

search_cli = AppGroup("search", help="Search index.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the whole search index from items, transcripts, clips and lessons."""
    written = indexing.reindex_all(report=lambda kind, count: click.echo(f"{kind}: {count} rows"))
    click.echo(f"indexed {sum(written.values())} rows")
