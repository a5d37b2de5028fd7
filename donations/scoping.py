"""What a branch liaison (分会联络员) may see: the donations, donors and staff lines of one branch.

A liaison is a staff account with a BranchLiaison row. Its branch and that branch's sub-branches
are its scope; everything outside answers 404, in lists, searches, exports, autocomplete,
history pages and direct URLs alike, because every one of those reads through the model admin's
get_queryset() (BranchScopedAdmin below). Accounts without the row, and superusers, see all.
"""

from charity.admin import NotFoundMixin

from .models import Branch, BranchLiaison

_CACHE = "_liaison_branch_ids"


def liaison_branch_ids(user):
    """The branch ids `user` is confined to, or None when the user is not confined.

    Read once per request (cached on the user object, which lives for one request).
    """
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    if not hasattr(user, _CACHE):
        branch_id = BranchLiaison.objects.filter(user=user).values_list("branch_id", flat=True).first()
        setattr(user, _CACHE, None if branch_id is None else branch_with_descendants(branch_id))
    return getattr(user, _CACHE)


def branch_with_descendants(branch_id):
    """{branch_id and every branch below it}: branches are a few dozen, so one query for all."""
    children = {}
    for pk, parent in Branch.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [branch_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return frozenset(found)


def in_scope(user, branch_id):
    scope = liaison_branch_ids(user)
    return scope is None or branch_id in scope


class BranchScopedAdmin(NotFoundMixin):
    """Confines a model admin's rows to a liaison's branches and answers 404 for anything else.

    `scope_field` is the path from the model to the branch that decides (e.g. "branch" on a
    donation, "remittance__branch" on a staff line).
    """

    scope_field = "branch"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = liaison_branch_ids(request.user)
        if scope is None:
            return queryset
        return queryset.filter(**{f"{self.scope_field}__in": scope})
