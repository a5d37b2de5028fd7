"""Template filters for the one way to write numbers (charity.money).

`wan_yuan` is what a page shows wherever it speaks in 万元: the 万元 figure with the exact 元 figure
beside it, visible, not in a tooltip (a title or <abbr> cannot be tapped on a phone and is not read
out by every screen reader). Tables headed （万元） use `wan_cell`: the exact 元 figure on a
small second line of the cell.
"""

from django import template
from django.utils.html import format_html

from charity import money

register = template.Library()


@register.filter
def yuan(value):
    return money.yuan(value or 0)


@register.filter
def wan(value):
    return money.wan(value or 0)


@register.filter
def count(value):
    """58213 -> '58,213': head counts and numbers of donations."""
    return money.count(value)


@register.filter
def percent(value):
    """47.83 -> '47.8%'; — when there is no value (nothing to compare with)."""
    return "—" if value is None or value == "" else money.percent(value)


@register.filter
def signed_yuan(value):
    return money.signed_yuan(value)


@register.filter
def signed_wan(value):
    return money.signed_wan(value)


@register.filter
def signed_percent(value):
    return money.signed_percent(value)


@register.filter
def wan_yuan(value):
    """'1810.7035 万元（18,107,035.00 元）' for prose and headlines, the exact figure in a span
    that pages may set smaller."""
    value = value or 0
    return format_html('{} 万元<span class="exact">（{} 元）</span>', money.wan(value), money.yuan(value))


@register.filter
def signed_wan_yuan(value):
    """'+174.22 万元（+1,742,200.00 元）'; — when there is nothing to compare with."""
    if value is None:
        return "—"
    return format_html(
        '{} 万元<span class="exact">（{} 元）</span>', money.signed_wan(value), money.signed_yuan(value)
    )


@register.filter
def wan_cell(value):
    """A cell of a table in 万元: '330.78' and, on a small second line, '3,307,800.00 元'."""
    if value is None:
        return "—"
    return format_html('{}<small class="exact">{} 元</small>', money.wan(value), money.yuan(value))


@register.filter
def signed_wan_cell(value):
    if value is None:
        return "—"
    return format_html(
        '{}<small class="exact">{} 元</small>', money.signed_wan(value), money.signed_yuan(value)
    )
