"""Imports point down (issue 17): core <- media, courses <- publishing <- the app factory.

The layers and media's own order are in ``tests/layers_graph.py``. An import pointing up fails
here unless it is one of the KNOWN_UPWARD that exist today; the list may only shrink, so an entry
that no longer occurs fails too (delete it). The generated graph in docs/architecture.md must
match the code.
"""

from __future__ import annotations

from tests import layers_graph

# (importing module, imported module), each with why it points up and what would remove it.
# None is left: keep it that way (a signal or a registration made at app creation instead).
KNOWN_UPWARD: set[tuple[str, str]] = set()


def upward_imports() -> dict[tuple[str, str], list[layers_graph.Import]]:
    """Every import pointing up, by (importing module, imported module)."""
    found: dict[tuple[str, str], list[layers_graph.Import]] = {}
    for imported in layers_graph.all_imports():
        if layers_graph.is_upward(imported):
            found.setdefault((imported.source, imported.target), []).append(imported)
    return found


def test_every_module_has_a_layer():
    modules = {layers_graph.module_name(path) for path in layers_graph.project_files()}
    unplaced = sorted(m for m in modules if layers_graph.layer_rank(m) is None)
    assert not unplaced, f"place these modules in LAYERS (tests/layers_graph.py): {unplaced}"


def test_no_new_import_points_up():
    new = [
        f"{i.path}:{i.line}: {i.source} imports {i.target}"
        for key, imports in sorted(upward_imports().items())
        if key not in KNOWN_UPWARD
        for i in imports
    ]
    assert not new, (
        "imports pointing to a higher layer (use a signal the higher layer connects at app "
        "creation, or move the shared code down):\n" + "\n".join(new)
    )


def test_known_upward_imports_still_occur():
    gone = sorted(KNOWN_UPWARD - upward_imports().keys())
    assert not gone, f"no longer imported upward, delete from KNOWN_UPWARD: {gone}"


def test_architecture_doc_shows_the_current_graph():
    document = layers_graph.DOC.read_text(encoding="utf-8")
    assert layers_graph.BEGIN in document
    assert layers_graph.END in document
    expected = layers_graph.with_graph(
        document, layers_graph.render_graph(layers_graph.all_imports())
    )
    assert document == expected, (
        f"docs/architecture.md's layers graph is out of date; run: {layers_graph.REGENERATE}"
    )
