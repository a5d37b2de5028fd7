"""The Excel import and export of the ledger's and relief's back-office tables (not donations,
which have their own, donations/admin_import_export.py)."""

from charity.admin_spreadsheets import SpreadsheetImportExportMixin

from .scoping import liaison_branch_ids


class StaffSpreadsheetMixin(SpreadsheetImportExportMixin):
    def import_confined(self, request):
        # A branch liaison reads its branches only; a file may name any record, so it never
        # imports, whatever it was granted (as with donations).
        return liaison_branch_ids(request.user) is not None
