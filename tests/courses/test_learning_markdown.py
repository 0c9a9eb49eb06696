"""Course Markdown: CommonMark with tables, sanitised, links marked noopener nofollow."""

from __future__ import annotations

from markupsafe import Markup

from courses.markdown import render_markdown


def test_trainer_markdown_keeps_formatting_tables_and_safe_links():
    html = render_markdown(
        "## 布光\n\n**主灯** [说明](https://example.com/a)\n\n"
        "| 灯 | 位置 |\n|---|---|\n| 主灯 | 侧前方 |"
    )

    assert isinstance(html, Markup)
    assert "<h2>布光</h2>" in html
    assert "<strong>主灯</strong>" in html
    assert '<a href="https://example.com/a" rel="noopener nofollow">说明</a>' in html
    assert "<td>侧前方</td>" in html


def test_trainer_markdown_drops_scripts_handlers_and_javascript_links():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<a href="javascript:alert(1)" onclick="x()">点</a> '
        "[链接](javascript:alert(2)) <img src=x onerror=alert(3)> <iframe src=/x></iframe>"
    )

    for bad in ("<script", "alert(1)", 'href="javascript', "onclick", "onerror", "<iframe"):
        assert bad not in html
    assert "[链接](javascript:alert(2))" in html  # left as plain text, not a link


def test_empty_markdown_renders_nothing():
    assert render_markdown("") == Markup("")
    assert render_markdown(None) == Markup("")
    assert render_markdown("  \n") == Markup("")
