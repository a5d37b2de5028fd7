"""Donation import: xlsx/csv files in, donations, remittance lines and donors out, all or nothing.

The admin's import page and `manage.py import_donations` both call check_file / import_file.
Modules, in the order a file goes through them: reading (bytes, hostile-file checks, the table),
parsing (one cell), validation (whole columns and the rules), remittances (itemisation lines),
matching (donors), writing (COPY or bulk_create), engine (the two entry points).
"""

from .columns import COLUMNS, UNASSIGNED_SECTOR
from .engine import ImportPlan, check_file, import_file
from .errors import ImportFailed, RowError

__all__ = [
    "COLUMNS",
    "UNASSIGNED_SECTOR",
    "ImportFailed",
    "ImportPlan",
    "RowError",
    "check_file",
    "import_file",
]
