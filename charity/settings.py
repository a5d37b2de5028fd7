"""One settings module, read from the environment.

With no environment variable set these are development settings, so a fresh clone runs with
`runserver` and an SQLite file under `data/`. Production is an explicit choice
(`CHARITY_ENV=production`) and refuses to start with an unsafe value.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CHARITY_DATA_DIR", BASE_DIR / "data"))

_INSECURE_KEY = "django-insecure-development-key-do-not-use-in-production"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name, default=None):
    """A secret from the environment, or from the file NAME_FILE names (systemd credentials,
    container secrets), so it need not sit in the unit file or the process's environment."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"无法读取 {name}_FILE 指定的文件 {path}：{exc.strerror}") from None
    return os.environ.get(name, default)


PRODUCTION = os.environ.get("CHARITY_ENV", "development").strip().lower() == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_secret("SECRET_KEY", "" if PRODUCTION else _INSECURE_KEY)
DATABASE_URL = env_secret("DATABASE_URL")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address of the site, printed in documents that leave it (the annual summary's QR code
# and verification link): a PDF has no request to take the host from. No default in production:
# every QR code printed would point at the server's own 127.0.0.1.
SITE_URL = os.environ.get("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").strip().rstrip("/")

if PRODUCTION:
    # Refuse rather than warn: a production start with these values leaks data or sessions.
    problems = []
    if DEBUG:
        problems.append("DEBUG 必须关闭 (DEBUG=0)")
    if not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 40:
        problems.append("SECRET_KEY 必须设置为至少 40 个字符的随机值")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS 必须设置 (逗号分隔的域名)")
    if not DATABASE_URL:
        problems.append("DATABASE_URL 必须设置 (生产环境使用 PostgreSQL)")
    if not SITE_URL.startswith(("https://", "http://")):
        problems.append(
            "SITE_URL 必须设置为网站的公开地址 (如 https://charity.example.org，二维码和核验链接指向它)"
        )
    if problems:
        raise ImproperlyConfigured("生产环境配置不安全: " + "; ".join(problems))
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_REFERRER_POLICY = "same-origin"
    # Everything is served over HTTPS (nginx terminates TLS and sets X-Forwarded-Proto): plain HTTP
    # is redirected, and browsers are told to remember that for a year. SECURE_HSTS_SECONDS=0
    # turns HSTS off while a new domain is being tried out.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Only the header: it lets the domain be submitted to browsers' preload lists, nothing more.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # The health check is asked over plain HTTP by the machine itself (load balancer, monitoring).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

INSTALLED_APPS = [
    # django.contrib.admin, its admin modules imported when first needed (charity/admin_site.py).
    "charity.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram indexes for the admin's searches (charity/search_indexes.py): its ready() makes
    # index expressions with an operator class (gin_trgm_ops) render as PostgreSQL expects.
    "django.contrib.postgres",
    "import_export",
    "axes",
    # Two-factor sign-in for staff (charity/two_factor/): TOTP apps, and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "charity",
    "donations",
    "campaigns",
    "relief",
]

MIDDLEWARE = [
    "charity.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole public pages (charity/page_cache.py): a cached page skips everything below. The
    # SecurityMiddleware above adds its headers to it; the CSP header, the same for every page,
    # is kept with it.
    "charity.page_cache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "charity.middleware.AuditActorMiddleware",
    # Sessions and two-factor (the section of that name below): request.user.is_verified(), then
    # the back office closed to staff who still owe their second factor, then the idle timeout.
    "django_otp.middleware.OTPMiddleware",
    "charity.two_factor.middleware.StaffTwoFactorMiddleware",
    "charity.sessions.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from this site, nothing framed, no plugins.
# Styles may be inline: Django's admin widgets and the charts' SVG carry style attributes and
# elements, and inline CSS cannot run code. The browser tests fail on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for an hour, and the
# right password does not open it before then; another address or username is not affected, so a
# guesser cannot lock a colleague out from elsewhere. Staff unlock with `manage.py axes_reset`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_CLIENT_IP_CALLABLE = "charity.http.client_address"
# Its admin pages have no Chinese catalogue; lockouts are managed with its commands instead.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # its start-up banner would open every command's output

# --- Sessions and two-factor (docs/roles.md, docs/staff/two-factor.md) ------------------------
# Only staff have sessions: public pages never open one. A staff session ends when the browser
# closes (the cookie has no expiry date) and after a working day without a request. The expiry
# slides: SlidingSessionMiddleware saves the session again, moving its end, at most once per
# SESSION_REFRESH_SECONDS, rather than on every request (SESSION_SAVE_EVERY_REQUEST would write the
# session row on each of the admin's requests, autocomplete and change-list clicks included).
SESSION_COOKIE_AGE = int(float(os.environ.get("STAFF_SESSION_HOURS", "10")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "300"))
# Two-factor sign-in (charity/two_factor/): after the password, a 6-digit code from a TOTP app.
# Required for the roles in charity.roles.TWO_FACTOR_ROLES and superusers in production, and
# wherever STAFF_TWO_FACTOR_REQUIRED=1; elsewhere (the demo of ./scripts/serve) offered only, so
# the printed admin login still works in one step. Whoever has enrolled is always asked the code.
STAFF_TWO_FACTOR_REQUIRED = PRODUCTION or env_bool("STAFF_TWO_FACTOR_REQUIRED", False)
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "衡阳市慈善总会")
# django-otp's throttling: after n wrong codes in a row the device refuses every code for 2^(n-1)
# seconds (1, 2, 4 ... 512 s after ten), so guessing a 6-digit code is hopeless; a right code
# resets it. Recovery codes are throttled the same way.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# -----------------------------------------------------------------------------------------------

ROOT_URLCONF = "charity.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # `site`: the federation's name, hotlines, registration (charity/identity.py).
                "charity.identity.site",
            ],
        },
    },
]

WSGI_APPLICATION = "charity.wsgi.application"

DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", "10"))
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{DATA_DIR / 'charity.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Campaign imports write tens of thousands of rows at once; WAL keeps the site readable
    # while they do, and the timeout waits for a writer instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX_SIZE > 0:
    # A pool per process (psycopg-pool), not a connection kept by each thread for CONN_MAX_AGE:
    # runserver and threaded servers serve each client in a thread of its own, each thread kept a
    # connection, and a crawl of 200 pages ended in PostgreSQL's "too many clients already". With
    # the pool a process holds at most DB_POOL_MAX_SIZE; a request beyond that waits for one to
    # come back, up to DB_POOL_TIMEOUT seconds. Django requires CONN_MAX_AGE = 0 with it.
    # DB_POOL_MAX_SIZE=0 turns it off (behind PgBouncer, which pools itself).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "1")),
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "30")),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Public figures, charts and the look-up's rate limit live in the cache. With several gunicorn
# workers or machines it must be shared: Redis (REDIS_URL=redis://127.0.0.1:6379/0). Without it,
# each process keeps its own in memory, which is right for one process (runserver, tests).
REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "charity.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "charity"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole public pages for anonymous visitors, kept until the public data changes and at most this
# long (charity/page_cache.py); 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", "600"))
# With Redis the pages and the version of the public data are shared by every process; without
# it each process keeps its own pages and reads the version from the database, so a change made
# by another process (a worker, a command-line import) still reaches every process's pages.
PUBLIC_PAGE_CACHE_SHARED = bool(REDIS_URL)
# How often each process asks whether the public data changed (Redis, or the database without
# it): a change made by another worker or a command shows within this time (one in the same
# process at once); 0 asks on every request, which costs a round trip on each (bench/load_bench.sh).
PUBLIC_PAGE_CACHE_CHECK_SECONDS = float(os.environ.get("PUBLIC_PAGE_CACHE_CHECK_SECONDS", "1"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("FAST_PASSWORD_HASHER", "pytest" in sys.modules):
    # Test runs only: hashing with PBKDF2 would dominate the suite's time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Chinese only, whatever the browser asks for: without LocaleMiddleware Django activates
# LANGUAGE_CODE on every request. There is no English switch because the project's own text
# (verbose names, messages, templates) is written in Chinese and has no English catalogue; a
# switch would only translate Django's part and leave a half-English interface.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# Import limits (see donations/importing): a campaign's biggest real file is ~60,000 rows.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(30 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
# An .xlsx is a zip: its inflated size is capped too, so a zip bomb is refused before inflating.
IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("IMPORT_MAX_UNZIPPED_BYTES", str(10 * IMPORT_MAX_BYTES)))
# On PostgreSQL, check an import's foreign keys once per referenced row, not once per inserted
# row, when the database role may set session_replication_role (donations/importing/integrity.py).
# Off: the database's own per-row triggers, about 1 s slower for 60,000 rows, same guarantee.
IMPORT_SET_BASED_FK_CHECKS = os.environ.get("IMPORT_SET_BASED_FK_CHECKS", "1") != "0"

# Uploaded files between preview and confirmation: private, and purged after a day.
IMPORT_PENDING_DIR = Path(os.environ.get("IMPORT_PENDING_DIR", DATA_DIR / "pending-imports"))
IMPORT_PENDING_MAX_AGE = int(os.environ.get("IMPORT_PENDING_MAX_AGE", str(24 * 3600)))
IMPORT_EXPORT_TMP_STORAGE_CLASS = "donations.pending_imports.PendingFolderStorage"

# django-import-export: the admin import runs inside one transaction (all-or-nothing).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

# Background jobs (charity/jobs.py): imports, large exports and PDFs run in the task worker
# (`python manage.py db_worker`, docs/deploy.md), not in a web request. The queue is a table in
# the same database, so it needs no other service and works on SQLite and PostgreSQL alike.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job's worker writes a heartbeat every JOB_HEARTBEAT_SECONDS; one silent for
# JOB_STALE_SECONDS is shown as interrupted (its worker was stopped or died). On SQLite the
# heartbeat waits while an import holds the write lock, so the margin is wide.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "2"))
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "60"))
# Files jobs make (large exports): private, served only to whoever asked, purged after a day.
JOB_FILES_DIR = Path(os.environ.get("JOB_FILES_DIR", DATA_DIR / "job-files"))
JOB_FILES_MAX_AGE = int(os.environ.get("JOB_FILES_MAX_AGE", str(24 * 3600)))
# Exports of more rows than this run as a job (bench/README.md, "Donation export": 60,000 rows of xlsx take
# about 4 s of a web worker; this many take well under one second).
EXPORT_IMMEDIATE_MAX_ROWS = int(os.environ.get("EXPORT_IMMEDIATE_MAX_ROWS", "10000"))

# Relief (docs/relief.md). Beneficiaries' identity numbers are encrypted with RELIEF_ID_KEY (a
# Fernet key: `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`);
# unset, a key derived from SECRET_KEY is used, so changing SECRET_KEY would make them unreadable.
RELIEF_ID_KEY = env_secret("RELIEF_ID_KEY", "")
RELIEF_PHOTO_MAX_BYTES = int(os.environ.get("RELIEF_PHOTO_MAX_BYTES", str(15 * 1024 * 1024)))
RELIEF_PHOTO_MAX_PIXELS = int(os.environ.get("RELIEF_PHOTO_MAX_PIXELS", "50000000"))

# Every request body is capped before Django reads it (charity/middleware.py, answered with 413):
# the largest legitimate upload is an import file or a project photo, plus the form around it.
# nginx's client_max_body_size should say the same (docs/deploy.md).
MAX_REQUEST_BYTES = int(
    os.environ.get("MAX_REQUEST_BYTES", str(max(IMPORT_MAX_BYTES, RELIEF_PHOTO_MAX_BYTES) + 1024 * 1024))
)

# Every record is printed once, by the root logger's handler. Django's default configuration
# gives the "django" logger a console handler of its own (in DEBUG) and lets it propagate, so its
# records were printed twice; configuring that logger here drops its handlers (mail_admins too:
# no ADMINS are set). django.server keeps its own handler and does not propagate: runserver's
# request lines stay as they are, once.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every rendering step at INFO; only its warnings are worth a line.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# 查询我的捐款 (campaigns/views/lookup.py): look-ups allowed per address and window (seconds), and
# the time every answer takes, found or not.
LOOKUP_RATE_LIMIT = int(os.environ.get("LOOKUP_RATE_LIMIT", "10"))
LOOKUP_RATE_WINDOW = int(os.environ.get("LOOKUP_RATE_WINDOW", "600"))
LOOKUP_ANSWER_SECONDS = float(os.environ.get("LOOKUP_ANSWER_SECONDS", "0.4"))
# Only behind a proxy that sets X-Forwarded-For (nginx): take the client address from it.
TRUST_X_FORWARDED_FOR = os.environ.get("TRUST_X_FORWARDED_FOR", "0") == "1"
