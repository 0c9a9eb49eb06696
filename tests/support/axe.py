"""Run axe-core (vendored from the npm registry, see the Makefile ``vendor`` target) in a page.

The script is only ever injected by tests. Pages send a strict Content-Security-Policy, which
blocks the ``<script>`` element ``page.add_script_tag`` would add, so the source is evaluated
through the DevTools protocol instead (not subject to the page's CSP).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# WCAG 2.x A and AA plus axe's best practices (landmarks, headings, region).
RUN_ONLY = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def inject_axe(page: Any) -> None:
    """Make ``window.axe`` available in the page (once per document)."""
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(f"() => {{ {_axe_source()}\n; window.axe = axe; }}")


def axe_violations(page: Any, *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Return axe's violations on the page as it is now (every impact)."""
    inject_axe(page)
    context = {"include": [["html"]], "exclude": [[selector] for selector in exclude]}
    return page.evaluate(
        """async ([context, runOnly]) => {
            const result = await axe.run(context, {
                runOnly: {type: "tag", values: runOnly},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "), html: n.html, summary: n.failureSummary,
                })),
            }));
        }""",
        [context, RUN_ONLY],
    )


def describe_violations(violations: list[dict[str, Any]], *, max_nodes: int = 5) -> str:
    """Describe violations readably: rule, impact, help, then each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:max_nodes]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}  {node['html'][:160]}")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > max_nodes:
            lines.append(f"    … and {len(violation['nodes']) - max_nodes} more")
    return "\n".join(lines)


def assert_accessible(page: Any, *, exclude: tuple[str, ...] = ()) -> None:
    """Fail when axe finds a serious or critical violation on the page (listed readably)."""
    found = [v for v in axe_violations(page, exclude=exclude) if v["impact"] in FAILING_IMPACTS]
    if found:
        raise AssertionError(
            f"axe: {len(found)} serious or critical violation(s) on {page.url}\n"
            + describe_violations(found)
        )
