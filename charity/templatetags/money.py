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
def count(value):
    """58213 -> '58,213': head counts and numbers of donations."""
    return f"{int(value or 0):,}"


@register.filter
def signed_yuan(value):
    """+1,742,200.00 / -37,400.00 / — (no comparison)."""
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + money.format_yuan(value)


@register.filter
def signed_wan(value):
    """Change in 万元 with its sign: +12.5, -3, 0; — when there is nothing to compare with."""
    if value is None:
        return "—"
    text = money.format_wan(abs(value))
    return f"+{text}" if value > 0 else f"-{text}" if value < 0 else "0"


@register.filter
def signed_percent(value):
    """A percent_change() result: +10.7% / -2.3% / — (undefined, e.g. nothing the year before)."""
    if value is None:
        return "—"
    return f"{'+' if value > 0 else ''}{value}%"
