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
def signed_wan(value):
    """Change in 万元 with its sign: +12.5, -3, 0."""
    if value is None:
        return "—"
    text = money.format_wan(abs(value))
    return f"+{text}" if value > 0 else f"-{text}" if value < 0 else "0"


@register.filter
def percent(value):
    """A percentage of change with its sign (增长 10.7% / 下降 3.2%), or — when undefined."""
    if value is None:
        return "—"
    return f"+{value}%" if value > 0 else f"{value}%"
