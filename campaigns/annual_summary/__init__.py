"""The annual summary of the one-day campaign (年度慈善一日捐工作总结), one publication kind: its
figures from the ledger (`figures`), the preview of a release (`preview`), the drift of a released
version against the ledger (`drift`) and its admin (`admin`). Releasing it is a service of
campaigns/services.py; its public pages are campaigns/views/summary.py."""
