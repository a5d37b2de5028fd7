from django import template

from charity import money

register = template.Library()


@register.filter
def yuan(value):
    return money.format_yuan(value or 0)


@register.filter
def wan(value):
    return money.format_wan(value or 0)
