"""Course Markdown: descriptions and lesson notes rendered to safe HTML.

CommonMark plus tables and strikethrough (markdown-it-py), then sanitised with an nh3 allowlist,
so a trainer's raw HTML or a ``javascript:`` link never reaches a learner's page. Links get
``rel="noopener nofollow"``.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def render_markdown(text: str | None) -> Markup:
    """Render Markdown ``text`` to sanitised HTML that is safe to insert into a page."""
    if not text or not text.strip():
        return Markup("")
    html = _MD.render(text)
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener nofollow",
        strip_comments=True,
    )
    return Markup(clean)  # sanitised by nh3 just above
