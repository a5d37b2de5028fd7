"""{% og_image "kind" pk %}: the og:image tags of a page, pointing at its card (charity.images)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def og_image(context, kind, pk=None):
    args = [kind] if pk is None else [kind, pk]
    url = reverse("campaigns:card", args=args)
    request = context.get("request")
    if request is not None:
        url = request.build_absolute_uri(url)
    return format_html(
        '<meta property="og:image" content="{}">'
        '<meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">'
        '<meta name="twitter:card" content="summary_large_image">',
        url,
    )
