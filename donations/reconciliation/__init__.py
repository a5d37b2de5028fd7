"""Bank statements and WeChat Pay bills matched to the gifts recorded (对账, issue #22, 3).

- `models.py`: column mappings (one per bank, remembered), statements and their credits.
- `reading.py`: a bank export (xlsx, xls or csv, through a mapping) or a WeChat Pay trade bill
  (backtick-prefixed CSV with summary rows) to a list of credits, or every error by row and column.
- `matching.py`: each credit to a recorded gift, with the reason.
- `services.py`: the state changes (import a file, confirm or reject a proposed match, create the
  gift from a credit), each one transaction and one audit entry.
- `admin.py`: the back-office pages; `manage.py reconcile FILE` is the command-line twin.
Staff guide: docs/staff/reconciliation.md.
"""
