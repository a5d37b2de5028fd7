"""Beneficiaries' identity numbers encrypted at rest: a database dump alone does not reveal them.

The key is not in the database: RELIEF_ID_KEY (a Fernet key, 44 characters of URL-safe base64) in
the environment, or, where it is not set, one derived from SECRET_KEY. Fernet (AES-128-CBC with
HMAC-SHA256, from the `cryptography` package) is authenticated: a tampered value fails loudly
instead of decrypting to garbage. Each encryption is randomised, so equal numbers do not give
equal ciphertexts; uniqueness and look-ups use a keyed digest (HMAC-SHA256) instead.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

from charity import sealed

PREFIX = "fernet:"
# What a backup's key check encrypts (charity/sealed.py): any fixed text would do.
KEY_CHECK_TEXT = "relief-id-key-check"


@lru_cache(maxsize=4)
def _keys(secret, configured):
    if configured:
        fernet_key = configured.encode()
    else:
        fernet_key = base64.urlsafe_b64encode(hashlib.sha256(f"relief-id-number:{secret}".encode()).digest())
    digest_key = hashlib.sha256(b"relief-id-digest:" + fernet_key).digest()
    return Fernet(fernet_key), digest_key


def keys():
    return _keys(settings.SECRET_KEY, getattr(settings, "RELIEF_ID_KEY", ""))


def encrypt(text):
    return PREFIX + keys()[0].encrypt(text.encode()).decode()


def decrypt(token):
    try:
        return keys()[0].decrypt(token.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise ValueError("身份证号码无法解密：RELIEF_ID_KEY 或 SECRET_KEY 与加密时不同") from exc


def digest(text):
    """Keyed fingerprint for uniqueness and exact look-up; useless without the key."""
    return hmac.new(keys()[1], text.encode(), hashlib.sha256).hexdigest()


def check_key(token):
    """Raise ValueError (a message for staff) unless the current key opens `token`, a key_check()
    made where the archive was exported."""
    try:
        keys()[0].decrypt(token.removeprefix(PREFIX).encode())
    except InvalidToken:
        if getattr(settings, "RELIEF_ID_KEY", ""):
            problem = "当前的 RELIEF_ID_KEY 与导出时的不同"
        else:
            problem = "当前没有设置 RELIEF_ID_KEY（由 SECRET_KEY 推导的密钥也与导出时的不同）"
        raise ValueError(
            f"存档中的身份证号码是加密保存的，{problem}："
            "请设置导出时使用的 RELIEF_ID_KEY 后再恢复。未写入任何数据"
        ) from None


class EncryptedTextField(models.TextField):
    """Plain text in Python, Fernet ciphertext in the database.

    Lookups on it cannot work (each encryption differs); filter on a digest field instead. The
    audit trail records that it changed, never its value (`audit_redacted`). A backup reads and
    writes the ciphertext as stored (`sealed`, charity/sealed.py).
    """

    audit_redacted = True
    sealed = True

    @staticmethod
    def key_check():
        return encrypt(KEY_CHECK_TEXT)

    @staticmethod
    def check_key(token):
        check_key(token)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "" or sealed.is_as_stored():
            return value
        return decrypt(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(PREFIX) and not sealed.is_as_stored():
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or value.startswith(PREFIX):
            return value
        return encrypt(value)
