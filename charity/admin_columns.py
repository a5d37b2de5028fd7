"""Changelist columns that show numbers the one way the back office shows them.

Django's admin renders a DecimalField as 17760.00 and an annotated sum as 18107035, while the
donation sum above the list reads 34,471,870.00. Every money column goes through
charity.money.yuan instead, every count gets thousands separators, and each column still
sorts by the field or annotation behind it.
"""

from django.contrib import admin
from django.utils.html import format_html

from charity.money import count, yuan


def format_count(value):
    """58213 → '58,213' (head counts, numbers of donations and rows)."""
    return count(value)


def _number_column(field, description, formatter):
    @admin.display(description=description, ordering=field)
    def column(model_admin, obj):
        value = getattr(obj, field)
        if value is None:
            return None  # the admin's empty-value mark
        # Right-aligned by templates/admin/base_site.html, so the digits line up.
        return format_html('<span class="number">{}</span>', formatter(value))

    return column


def yuan_column(field, description):
    """A sortable column showing a money field or annotation in 元: 17,760.00."""
    return _number_column(field, description, yuan)


def count_column(field, description):
    """A sortable column showing a count with thousands separators: 1,234."""
    return _number_column(field, description, format_count)
