"""Browser tests wait with JavaScript *functions*, never bare expressions.

Playwright's ``wait_for_function`` evaluates a bare expression with ``eval`` on every poll after
the first; the portal's Content-Security-Policy (``script-src 'self'``) forbids ``eval`` in the
page, so such a wait passes when its condition already holds and fails with an ``EvalError``
when it has to poll (on a slow CI machine). A function (``"() => …"``) is evaluated once and then
called, which the policy allows. This test reads every test module and names each bare wait.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).parent
FUNCTION_SOURCE = re.compile(r"^\s*(\(|[A-Za-z_$][\w$]*\s*=>|async\b|function\b)")


def _leading_text(node: ast.expr) -> str | None:
    """The literal text a string or f-string argument starts with (None for a variable)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        return first.value if isinstance(first, ast.Constant) else ""
    return None


def _bare_waits(path: Path, root: Path) -> list[str]:
    """``file:line`` of each ``wait_for_function`` whose JavaScript is not a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "wait_for_function"
            and node.args
        ):
            continue
        text = _leading_text(node.args[0])
        if text is not None and not FUNCTION_SOURCE.match(text):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_every_browser_wait_is_a_function_the_csp_lets_playwright_poll():
    bare = [where for path in sorted(TESTS.rglob("*.py")) for where in _bare_waits(path, TESTS)]
    assert bare == [], f"write these waits as '() => …' (CSP forbids eval while polling): {bare}"


def test_a_bare_expression_is_caught(tmp_path):
    module = tmp_path / "test_sample.py"
    module.write_text(
        "page.wait_for_function(\"document.title === 'x'\")\n"
        'page.wait_for_function(f"() => document.title === {1}")\n'
        "page.wait_for_function(\"sel => document.querySelector(sel)\", arg='#a')\n"
    )
    assert _bare_waits(module, tmp_path) == ["test_sample.py:1"]
