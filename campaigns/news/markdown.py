"""An article's Markdown body as safe HTML.

markdown-it-py with raw HTML off: whatever HTML staff type (or paste from a word processor) is
shown as text, never passed through, so no script, style or iframe can reach a page. Links keep
markdown-it's own check (no javascript:, vbscript:, file: or data: addresses) and open other
sites without handing them the page (rel="noopener noreferrer"). Images in the text are not
rendered: an article's pictures are uploaded with it (re-encoded, charity/uploaded_images.py)
and shown below the text; an image from another site would tell that site who reads the page.
"""

import functools


@functools.cache
def _md():
    # Built on first use, not when the portal starts (markdown-it's import costs 13 ms; see
    # campaigns/annual_report/narratives.py).
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image_as_text)
    return md


def _link_open(renderer, tokens, idx, options, env):
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if href.startswith(("http://", "https://", "//")):
        token.attrSet("rel", "noopener noreferrer")
    return renderer.renderToken(tokens, idx, options, env)


def _image_as_text(renderer, tokens, idx, options, env):
    from markdown_it.common.utils import escapeHtml

    # Its description only, as text (escaped): see the module's docstring.
    return escapeHtml(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


def _headings_under_the_title(tokens):
    # The page's own <h1> is the article's title: the text's highest heading becomes <h2> and
    # the others keep their distance below it ("## 一、基本情况" alone is <h2>, not <h3>), so the
    # outline has no gap (axe: heading-order).
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = 2 - min(levels) if levels else 0
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
    return tokens


def render(text):
    """HTML of a Markdown text; safe to mark safe (see the module's docstring)."""
    md = _md()
    tokens = _headings_under_the_title(md.parse(text or ""))
    return md.renderer.render(tokens, md.options, {})


def plain_text(text, limit=120):
    """The first words of a Markdown text without its markup: a description for share cards."""
    words = []
    for token in _md().parse(text or ""):
        if token.type == "inline":
            words.append("".join(child.content for child in token.children or [] if child.type == "text"))
    joined = " ".join(w.strip() for w in words if w.strip())
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"
