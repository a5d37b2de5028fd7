"""Fields encrypted at rest, as the kernel's backup sees them without importing the app that owns them.

A sealed field (relief's identity numbers, relief/crypto.py) has `sealed = True` and gives its
plain value to Python code. A backup must not: an archive that held the plain values would undo
the encryption for anyone who gets the file. Inside `as_stored()` a sealed field reads and
writes its ciphertext exactly as the database holds it, so the archive carries ciphertext and a
restore writes it back unchanged (readable only with the same key).

The field class also answers for its key, so a restore can refuse before writing anything:
`key_check()` returns a token that only the current key opens, `check_key(token)` raises
ValueError with a message for staff when the current key does not open it.
"""

import contextvars
from contextlib import contextmanager

_as_stored = contextvars.ContextVar("sealed_as_stored", default=False)


@contextmanager
def as_stored():
    token = _as_stored.set(True)
    try:
        yield
    finally:
        _as_stored.reset(token)


def is_as_stored():
    return _as_stored.get()


def sealed_fields(models):
    return [f for model in models for f in model._meta.concrete_fields if getattr(f, "sealed", False)]
