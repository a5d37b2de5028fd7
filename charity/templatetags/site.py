"""The site shell's tags (templates/base.html): the main menu with the current page marked, and
the share tags (og:title, og:description, og:image) every page carries exactly once.

Django renders a block once, so base.html cannot print the page's {% block title %} a second
time into og:title by itself ({{ self.title }} is Jinja's, and renders nothing here). `block_text`
renders the page's own version of a block again; `opengraph` wraps the page's head block and adds
each share tag the page did not write itself, so a page that writes its own og:title (an honor
roll's issue title) does not get a second one.
"""

import datetime
import re

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe

from charity.templatetags.share import og_image

register = template.Library()

# The main menu: (URL name, label). The kernel names the publication layer's pages by URL name only.
MENU = [
    ("news:list", "慈善资讯"),
    ("campaigns:campaign_list", "募捐活动"),
    ("campaigns:current_honor_rolls", "光荣榜"),
    ("campaigns:ranking_list", "排行榜"),
    ("relief:project_list", "善款去向"),
    ("relief:disclosure_list", "公示"),
    ("open:organisation", "信息公开"),
    ("campaigns:lookup", "查询捐款"),
    ("contact", "联系我们"),
]

# Pages that live under another menu item's address but belong to this one: a campaign's honor
# rolls (/campaigns/<id>/honor-rolls/, where /honor-rolls/ leads) are 光荣榜, not 募捐活动.
SECTION_OF = [(re.compile(r"^/campaigns/\d+/honor-rolls/"), "campaigns:current_honor_rolls")]


def current_item(path, urls):
    """The menu URL the page at `path` belongs to: itself, or the longest one it lies under."""
    if path in urls:
        return path
    under = [url for url in urls if url != "/" and path.startswith(url)]
    return max(under, key=len, default=None)


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The menu's links; the one for where the visitor is has aria-current (page or section)."""
    urls = []
    for name, label in MENU:
        try:
            urls.append((reverse(name), label))
        except NoReverseMatch:  # an app's pages not installed (the kernel stands alone in tests)
            continue
    request = context.get("request")
    path = request.path if request is not None else None
    current = current_item(path, [url for url, _ in urls]) if path else None
    for pattern, name in SECTION_OF:
        if path and pattern.match(path):
            try:
                current = reverse(name)
            except NoReverseMatch:
                pass
    links = []
    for url, label in urls:
        if url == current:
            kind = "page" if url == path else "true"
            links.append(format_html('<a href="{}" aria-current="{}">{}</a>', url, kind, label))
        else:
            links.append(format_html('<a href="{}">{}</a>', url, label))
    return format_html_join("\n      ", "{}", ((link,) for link in links))


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """The page's own {% block name %} rendered again, as plain text on one line (for meta tags)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    if block is None:
        return ""
    with context.push(block=block):
        text = block.nodelist.render(context)
    return " ".join(strip_tags(text).split())


PROPERTY = re.compile(r'property="(og:[a-z:]+)"')


class OpenGraphNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        inner = self.nodelist.render(context)
        written = set(PROPERTY.findall(inner))
        tags = []
        if "og:title" not in written:
            title = block_text(context, "og_title") or block_text(context, "title")
            tags.append(format_html('<meta property="og:title" content="{}">', title))
        if "og:description" not in written:
            description = block_text(context, "description")
            tags.append(format_html('<meta property="og:description" content="{}">', description))
        if "og:type" not in written:
            tags.append(mark_safe('<meta property="og:type" content="website">'))
        if "og:image" not in written:
            tags.append(og_image(context, "site"))
        return mark_safe("\n  ".join([*tags, inner]))


@register.tag
def opengraph(parser, token):
    """{% opengraph %}{% block head %}{% endblock %}{% endopengraph %}: the page's head block, plus
    og:title (the page's og_title or title block), og:description (its description block),
    og:type and og:image (the site's card) where the page wrote none of its own."""
    nodelist = parser.parse(("endopengraph",))
    parser.delete_first_token()
    return OpenGraphNode(nodelist)


@register.filter
def chinese_date(value):
    """A date, or the ISO text a frozen snapshot keeps ("2023-10-01"), as 2023年10月1日: one way to
    write dates on every public page."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"
