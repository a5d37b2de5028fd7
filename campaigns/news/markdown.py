"""An article's Markdown body as safe HTML.

markdown-it-py with raw HTML off: whatever HTML staff type (or paste from a word processor) is
shown as text, never passed through, so no script, style or iframe can reach a page. Links keep
markdown-it's own check (no javascript:, vbscript:, file: or data: addresses) and open other
sites without handing them the page (rel="noopener noreferrer"). Images in the text are not
rendered: an article's pictures are uploaded with it (re-encoded, charity/uploaded_images.py)
and shown below the text; an image from another site would tell that site who reads the page.
"""

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _link_open(renderer, tokens, idx, options, env):
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if href.startswith(("http://", "https://", "//")):
        token.attrSet("rel", "noopener noreferrer")
    return renderer.renderToken(tokens, idx, options, env)


def _image_as_text(renderer, tokens, idx, options, env):
    # Its description only, as text (escaped): see the module's docstring.
    return escapeHtml(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


def _heading_one_lower(renderer, tokens, idx, options, env):
    # The page's own <h1> is the article's title: a "# 标题" in the text becomes <h2>, and so on.
    token = tokens[idx]
    token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return renderer.renderToken(tokens, idx, options, env)


_md.add_render_rule("link_open", _link_open)
_md.add_render_rule("image", _image_as_text)
_md.add_render_rule("heading_open", _heading_one_lower)
_md.add_render_rule("heading_close", _heading_one_lower)


def render(text):
    """HTML of a Markdown text; safe to mark safe (see the module's docstring)."""
    return _md.render(text or "")


def plain_text(text, limit=120):
    """The first words of a Markdown text without its markup: a description for share cards."""
    words = []
    for token in _md.parse(text or ""):
        if token.type == "inline":
            words.append("".join(child.content for child in token.children or [] if child.type == "text"))
    joined = " ".join(w.strip() for w in words if w.strip())
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"
