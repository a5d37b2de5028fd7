"""信息公开: the organisation page (charter, decision, executive and supervisory bodies with their
members, branches and named funds) and the documents area (annual work, financial and audit
reports, the charter), each document a StatutoryFiling so that uploading it meets its duty in
the statutory calendar (relief/calendar.py)."""
