"""Admin pages of records nobody edits by hand: audit entries, background jobs, rendered and
released summaries. Services write them; the admin only shows them."""


class ReadOnlyAdminMixin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
