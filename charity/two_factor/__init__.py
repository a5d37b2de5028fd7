"""Two-factor sign-in for staff: the password (the admin's login, with django-axes' lockout), then
a 6-digit code from a TOTP app on the staff member's phone, or one of their recovery codes.

- policy.py: who owes a second factor, and what this session still owes;
- middleware.py: the back office is closed to a session that owes one;
- services.py: enrol, verify, new recovery codes, reset (each recorded in the audit trail);
- views.py and urls.py: the pages, under the admin's address.

docs/roles.md says which roles must use it and why; docs/staff/two-factor.md tells staff how.
"""
