"""Driving the 「预览并发布」 page (charity.admin_publishing) the way staff do: open it, read the
token of what it shows, tick 我已核对以上提示 if asked, and confirm; and its command-line twin."""

import re
from io import StringIO

from django.core.management import CommandError, call_command
from django.urls import reverse


def publish_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_publish", args=[obj.pk])


def token_of(page):
    found = re.search(r'name="token" value="([0-9a-f]{64})"', page)
    assert found, "预览页面没有确认发布的表单"
    return found.group(1)


def confirm(client, obj, *, checked=True, token=None, follow=True):
    """Open the preview of `obj` and confirm it (with the token it showed, unless given)."""
    page = client.get(publish_url(obj)).content.decode()
    data = {"token": token or token_of(page), "_publish": "确认发布"}
    if checked:
        data["checked"] = "on"
    return client.post(publish_url(obj), data, follow=follow)


def publish_command(*args):
    """`manage.py publish *args` as (exit code, printed text): 0 when it succeeded, the
    CommandError's code when refused."""
    out = StringIO()
    try:
        call_command("publish", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()
