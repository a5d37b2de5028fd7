"""Two members of staff editing the same record at once: the second save is refused, not lost.

Django's admin saves whatever the form holds, so when two clerks open the same donation and both
save, the first one's change silently disappears under the second's. The change form carries the
version of the row it was opened on (a hash of its stored values); saving re-reads the row under a
lock (the admin's change view runs in one transaction) and refuses if anybody changed it since,
with a message saying so. Whoever was refused reloads the page and sees the other's change.
"""

import hashlib

from django import forms

FIELD = "row_version"


def row_version(model, pk):
    """A hash of the stored row; None when it no longer exists."""
    names = [f.attname for f in model._meta.concrete_fields]
    row = model._base_manager.filter(pk=pk).values_list(*names).first()
    if row is None:
        return None
    return hashlib.sha256(repr(row).encode()).hexdigest()[:32]


class VersionedModelForm(forms.ModelForm):
    """A model admin's form (ModelAdmin.form) that remembers which version of the row it shows."""

    row_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[FIELD].initial = row_version(type(self.instance), self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        # Lock the row until this save commits (the admin's change view is one transaction), so
        # two saves cannot both pass the check.
        model._base_manager.select_for_update().filter(pk=self.instance.pk).exists()
        if self.data.get(self.add_prefix(FIELD)) != row_version(model, self.instance.pk):
            raise forms.ValidationError(
                "这条记录在您打开后已被他人修改，您的修改未保存。请刷新页面，查看最新内容后再修改。",
                code="stale",
            )
        return cleaned


class ConcurrentEditAdmin:
    """Mix into a ModelAdmin: its change form refuses a save over someone else's newer one."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": [FIELD], "classes": ["hidden-version"]})]
