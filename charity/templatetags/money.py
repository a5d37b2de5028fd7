from django import template

from charity import money

register = template.Library()


@register.filter
def yuan(value):
    return money.format_yuan(value or 0)


@register.filter
def wan(value):
    return money.format_wan(value or 0)


@register.filter
def signed_yuan(value):
    """+1,742,200.00 / -37,400.00 / — (no comparison)."""
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + money.format_yuan(value)


@register.filter
def signed_wan(value):
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + money.format_wan(value)


@register.filter
def signed_percent(value):
    """A percent_change() result: +10.7% / -2.3% / — (undefined, e.g. nothing the year before)."""
    if value is None:
        return "—"
    return f"{'+' if value > 0 else ''}{value}%"


@register.filter
def count(value):
    """58213 → '58,213', as the admin shows head counts."""
    return f"{value or 0:,}"
