"""One audit trail: who did what, when, with before and after values (charity.models.AuditEntry).

Two kinds of entries, one table:

- Automatic: every save or delete of a tracked model (`track(...)` in each app's ready()) writes
  an entry `<app>.<model>.created|changed|deleted` with the fields that changed, from the admin,
  the shell or a script alike.
- Named: a service (publish, finalise, import ...) writes one entry with its own action code and
  data through `record(...)`, inside its transaction, and switches the automatic ones off for
  what it does (`explicit()`), so one state change is one entry. A bulk import is one entry for
  its batch, not one per row: its rows are written with COPY, which sends no signals anyway.

Who: the request's user (AuditActorMiddleware), a command's or script's name (`acting_as`), or
系统 when nobody said.
"""

import getpass
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

# How actions and data read in the admin: a module of their own, which AuditEntry reads too.
from .audit_labels import DATA_LABELS, action_label, data_items, describe, describe_data  # noqa: F401  (this module's API)
from .models import AuditEntry

SYSTEM = "系统"

_actor = ContextVar("audit_actor", default=None)
_automatic = ContextVar("audit_automatic", default=True)
@contextmanager
def acting_as(actor):
    """Entries written inside are by `actor`: a user, or a label for a script or command."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def command_actor(name):
    """How a management command signs its entries: its name and the system account running it."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        account = "?"
    return f"命令行 {name}（{account}）"


@contextmanager
def explicit():
    """Inside, saves and deletes write no automatic entry: the service records its own."""
    token = _automatic.set(False)
    try:
        yield
    finally:
        _automatic.reset(token)


def current_actor(actor=None):
    """(user or None, label) of whoever acts now."""
    actor = actor if actor is not None else _actor.get()
    if actor is None:
        return None, SYSTEM
    if isinstance(actor, str):
        return None, actor
    user = getattr(actor, "user", actor)  # a request stands for its user
    if getattr(user, "is_authenticated", False):
        return user, user.get_username()
    return None, "未登录访客"


def record(action, obj=None, *, actor=None, data=None, changes=None):
    """Write one entry; call it inside the transaction of the change it records."""
    user, label = current_actor(actor)
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False) if obj else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=_repr(obj)[:200] if obj is not None else "",
        changes=changes or [],
        data=data or {},
    )


def _repr(obj):
    try:
        return str(obj)
    except ObjectDoesNotExist:  # a deleted row loaded by key only cannot load what __str__ reads
        return f"{obj._meta.verbose_name} #{obj.pk}"


# --- automatic entries for tracked models ---------------------------------------------------------


def track(*model_classes):
    """Record every save and delete of these models (call from AppConfig.ready())."""
    for model in model_classes:
        key = f"{model._meta.app_label}.{model._meta.model_name}"
        name = model._meta.verbose_name
        describe(f"{key}.created", f"新增{name}")
        describe(f"{key}.changed", f"修改{name}")
        describe(f"{key}.deleted", f"删除{name}")
        uid = f"audit:{key}"
        pre_save.connect(_remember_before, sender=model, dispatch_uid=uid)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)


def _fields(model, update_fields=None):
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    return fields


def _remember_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _automatic.get() or instance._state.adding or instance.pk is None:
        return
    fields = _fields(sender, update_fields)
    row = sender._base_manager.filter(pk=instance.pk).values(*[f.attname for f in fields]).first()
    instance._audit_before = row


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not _automatic.get():
        return
    before = {} if created else instance.__dict__.pop("_audit_before", None)
    if before is None:
        return
    changes = []
    for field in _fields(sender, update_fields):
        old = _comparable(field, before.get(field.attname)) if not created else None
        new = _comparable(field, getattr(instance, field.attname))
        if old == new or (created and new in (None, "")):
            continue
        changes.append(_change(field, old, new, instance))
    if changes:
        key = f"{sender._meta.app_label}.{sender._meta.model_name}"
        record(f"{key}.{'created' if created else 'changed'}", instance, changes=changes)


def _after_delete(sender, instance, **kwargs):
    if not _automatic.get():
        return
    changes = []
    loaded = instance.__dict__  # a bulk delete may load keys only; a deleted row cannot load more
    for field in _fields(sender):
        if field.attname not in loaded:
            continue
        value = _comparable(field, loaded[field.attname])
        if value not in (None, ""):
            changes.append(_change(field, value, None, instance))
    record(f"{sender._meta.app_label}.{sender._meta.model_name}.deleted", instance, changes=changes)


# What an entry shows for a field marked `audit_redacted` (an encrypted identity number): that
# it changed, never its value, so the audit table is no way around the encryption.
REDACTED = "（保密，不记录内容）"


def _change(field, before, after, instance):
    if getattr(field, "audit_redacted", False):
        return {
            "field": field.name,
            "label": str(field.verbose_name),
            "before": None if before is None else REDACTED,
            "after": None if after is None else REDACTED,
        }
    # The instance's cached related object names the current value without a query.
    cached = getattr(instance, field.name) if field.is_relation and field.is_cached(instance) else None
    current = getattr(instance, field.attname)
    return {
        "field": field.name,
        "label": str(field.verbose_name),
        "before": _shown(field, before, cached if before == current else None),
        "after": _shown(field, after, cached if after == current else None),
    }


def _comparable(field, value):
    if value is None:
        return None
    try:
        return field.to_python(value)
    except Exception:  # a value the field cannot parse is still worth recording as it is
        return value


def _shown(field, value, related=None):
    """A value as staff read it: a related object's name with its id, choices by their label."""
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        if related is None:
            related = field.related_model._base_manager.filter(pk=value).first()
        return f"{related} (#{value})" if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    return str(value)
