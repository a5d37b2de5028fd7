"""The honor roll's wording for templates, from campaigns/honor_rolls/sharing.py."""

from django import template

from ..honor_rolls.sharing import others_label

register = template.Library()

register.filter("others_label", others_label)
