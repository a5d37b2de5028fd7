"""What a branch liaison (分会联络员) may see and write: the records of one branch.

A liaison is a staff account with a BranchLiaison row. Its branch and that branch's sub-branches
are its scope. Reads: everything outside answers 404, in lists, searches, exports, autocomplete,
history pages and direct URLs alike, because every one of those reads through the model admin's
get_queryset() (BranchScopedAdmin below). Writes: Django checks a submitted foreign key against
every row of the related table, so every form a scoped admin builds, its inlines' included, has
its choices limited to the same rows (limit_form_choices): a crafted POST naming another branch's
record is refused like a missing one. Accounts without the row, and superusers, are not confined.
"""

from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField

from charity.admin_history import NotFoundMixin

# Who is confined to which branches, and how a donor's name reads to them: rules of the model
# layer (Donor.__str__ uses them), imported from there.
from .models import branch_with_descendants, liaison_branch_ids, shown_name  # noqa: F401  (this module's API)

# The path from each confined model to the branch that decides whether a liaison may see a row.
SCOPE_PATHS = {
    "donations.branch": "pk",  # its own branch and those below it
    "donations.donor": "branch",
    "donations.donation": "branch",
    "donations.remittanceline": "remittance__branch",
    "donations.followup": "donor__branch",
}

OUT_OF_SCOPE = "所选的{label}不存在，或不在您负责的分会范围内：只能选择本分会（含下级分会）的记录"


def in_scope(user, branch_id):
    scope = liaison_branch_ids(user)
    return scope is None or branch_id in scope


def is_confined(model):
    return model._meta.label_lower in SCOPE_PATHS


def limit_to_scope(queryset, user):
    """`queryset` narrowed to the rows `user` may see (unchanged for models nobody is confined in)."""
    scope = liaison_branch_ids(user)
    path = SCOPE_PATHS.get(queryset.model._meta.label_lower)
    if scope is None or path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": scope})


def limit_form_choices(form, user):
    """Every foreign-key choice of `form` limited to what `user` may see, with a clear refusal.

    The value the record already holds stays a valid choice: a gift of the liaison's branch may
    name a person of no branch (a unit's staff, entered by a clerk), and saving it unchanged must
    not fail. Covers every ModelChoiceField, the hidden key of an inline's line included.
    """
    if liaison_branch_ids(user) is None:
        return
    for name, field in form.fields.items():
        if not isinstance(field, ModelChoiceField) or not is_confined(field.queryset.model):
            continue
        model = field.queryset.model
        queryset = limit_to_scope(field.queryset, user)
        stored = _stored_value(form.instance, name)
        if stored is not None:
            queryset = queryset | field.queryset.filter(pk=stored)
        field.queryset = queryset
        label = field.label or model._meta.verbose_name
        field.error_messages = {**field.error_messages, "invalid_choice": OUT_OF_SCOPE.format(label=label)}


def _stored_value(instance, name):
    """The key `instance` holds in its field `name` as stored (forms are built before the posted
    values are put on the instance), or None."""
    if instance is None or instance.pk is None:
        return None
    if name == instance._meta.pk.name:
        return instance.pk
    field = next((f for f in instance._meta.concrete_fields if f.name == name), None)
    if field is None or not field.many_to_one:
        return None
    return getattr(instance, field.attname)


def scoped_form(form_class, user):
    """`form_class` whose choices are limited to what `user` may see (limit_form_choices)."""

    class ScopedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            limit_form_choices(self, user)

    ScopedForm.__name__ = form_class.__name__
    return ScopedForm


def scoped_formset(formset_class, user):
    """`formset_class` whose forms are limited like scoped_form's, including each form's hidden
    key, which the formset adds after the form is built."""

    class ScopedFormSet(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            limit_form_choices(form, user)

        def clean(self):
            # A refused hidden key (a crafted line id) has no cell to show its message in: it is
            # said above the list instead.
            hidden = [
                message
                for form in self.forms
                for name, messages in form.errors.items()
                if name in form.fields and form.fields[name].widget.is_hidden
                for message in messages
            ]
            if hidden:
                raise ValidationError(hidden)
            super().clean()

    ScopedFormSet.__name__ = formset_class.__name__
    return ScopedFormSet


class BranchScopedAdmin(NotFoundMixin):
    """Confines a model admin's rows, and every choice its forms and inlines offer or accept, to
    a liaison's branches; anything else answers 404 or is refused."""

    def get_queryset(self, request):
        return limit_to_scope(super().get_queryset(request), request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return form if liaison_branch_ids(request.user) is None else scoped_form(form, request.user)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if liaison_branch_ids(request.user) is not None:
                formset = scoped_formset(formset, request.user)
            yield formset, inline

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)
        return formset if liaison_branch_ids(request.user) is None else scoped_formset(formset, request.user)
