"""Settings for Thông Suốt. Everything that differs between machines comes from the environment.

Profiles: THONGSUOT_ENV=development (default) or production. Production turns DEBUG off,
requires SECRET_KEY and ALLOWED_HOSTS, and enables secure cookies and HSTS.
"""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from thongsuot.env import env_bool, env_choice, env_int, env_list, env_str
from thongsuot.storage_config import default_storage_from_env, janus_servers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

PROFILE = env_choice("THONGSUOT_ENV", "development", ("development", "production", "test"))
PRODUCTION = PROFILE == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when THONGSUOT_ENV=production")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("SECRET_KEY must be at least 40 characters in production")
else:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdef")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, overridden in templates/django/forms/ with the design system's classes
    "django_htmx",
    "ninja",  # its templates and static files: the API docs load Swagger UI from here, not a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "thongsuot.core",
    "thongsuot.directory",
    "thongsuot.accounts",
    "thongsuot.readiness",
    "thongsuot.feedback",
    "thongsuot.procedures",
    "thongsuot.documents",
    "thongsuot.demo",
    "thongsuot.conferences",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "thongsuot.core.middleware.SecurityHeadersMiddleware",
    "thongsuot.core.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thongsuot.core.middleware.LanguageMiddleware",
    # before anything reads the body: unreadable bodies and text that cannot be stored get a clear 4xx
    "thongsuot.core.middleware.UnstorableTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "thongsuot.core.middleware.RequestContextMiddleware",
    "thongsuot.accounts.middleware.TwoFactorRequiredMiddleware",
    "thongsuot.accounts.middleware.RememberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thongsuot.urls"
WSGI_APPLICATION = "thongsuot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thongsuot.navigation.menus",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/thongsuot; SQLite by default.
# DB_CONN_MAX_AGE: seconds a worker process keeps its connection between requests (gunicorn's sync workers:
# one connection per worker, docs/deploy.md). The development server (runserver) serves each request in a
# new thread, whose connection nobody reuses and nobody closes: there connections close after each request.
_database_url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
_conn_max_age = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
if sys.argv[1:2] == ["runserver"]:
    _conn_max_age = 0
try:
    _db = dj_database_url.parse(_database_url, conn_max_age=_conn_max_age, conn_health_checks=_conn_max_age > 0)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from None
if _db["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL or SQLite")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    _db["CONN_MAX_AGE"] = 0
_db["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "") or None}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "thongsuot.accounts.passwords.CharacterClassValidator"},
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
if PROFILE == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
# Form fields rendered through the project's templates (templates/django/forms/: USWDS classes on every widget).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("ACTIVATION_LINK_SECONDS", 7 * 24 * 3600, minimum=3600)

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

OTP_TOTP_ISSUER = "Thông Suốt"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["thongsuot.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", BASE_DIR / "node_modules")]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Uploaded files: local disk (MEDIA_ROOT) unless STORAGE_URL=s3://bucket[/prefix] with the AWS_* variables
# (thongsuot/storage_config.py, docs/architecture-files.md). No file is served from MEDIA_URL: every
# download goes through the access check of core.attachments.views.
STORAGES = {
    "default": default_storage_from_env(),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Development writes e-mails and SMS to files under .run/ (read them on /thong-bao/hop-thu/), so `make run`'s
# terminal keeps its sign-ins; production sets EMAIL_BACKEND (SMTP) and SMS_BACKEND (the HTTP gateway).
RUN_DIR = BASE_DIR / ".run"
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(RUN_DIR / "mail"))
if PROFILE == "test":
    # Tests run jobs in-process and keep mail in memory; test_tasks runs the real database worker.
    TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Thông Suốt <no-reply@thongsuot.local>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)

# Map tiles of the public 1022 maps ({z}/{x}/{y}, optional {s}); the CSP's img-src allows their origin.
# Empty: the maps show the markers without a background.
FEEDBACK_MAP_TILES_URL = env_str("FEEDBACK_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png").strip()
_tiles_ok = FEEDBACK_MAP_TILES_URL.startswith(("https://", "http://")) and all(
    k in FEEDBACK_MAP_TILES_URL for k in ("{z}", "{x}", "{y}")
)
if FEEDBACK_MAP_TILES_URL and not _tiles_ok:
    raise ImproperlyConfigured("FEEDBACK_MAP_TILES_URL must be an http(s) URL with {z}, {x} and {y}")
FEEDBACK_MAP_ATTRIBUTION = env_str(
    "FEEDBACK_MAP_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

# Security headers. CSP is set by thongsuot.core.middleware.SecurityHeadersMiddleware.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_AGE = env_int("SESSION_SECONDS", 8 * 3600, minimum=300)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Small reference data read on every citizen submission (calendar exceptions, the directory's units, the
# 1022 categories, Open311 keys) is kept per worker process for this many seconds: the longest a change
# takes to reach every worker (thongsuot.core.local_cache). 0 reads it from the database on every use.
REFERENCE_CACHE_SECONDS = env_int("REFERENCE_CACHE_SECONDS", 60, minimum=0)

# The 1022 feedback system.
SMS_BACKEND = env_str(
    "SMS_BACKEND",
    "thongsuot.core.notifications.sms."
    + ("LocmemBackend" if PROFILE == "test" else "ConsoleBackend" if PRODUCTION else "FileBackend"),
)
# The backends' earlier home (thongsuot.feedback.sms) still works in SMS_BACKEND.
if SMS_BACKEND.startswith("thongsuot.feedback.sms."):
    SMS_BACKEND = "thongsuot.core.notifications.sms." + SMS_BACKEND.rsplit(".", 1)[1]
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(RUN_DIR / "sms.log"))
SMS_SENDER = env_str("SMS_SENDER", "TPHCM-1022")
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = env_int("SMS_HTTP_TIMEOUT", 10, minimum=1)
if SMS_BACKEND.endswith(".HttpBackend") and not SMS_HTTP_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SMS_BACKEND is the HTTP gateway: set SMS_HTTP_URL to its http(s) address")
FEEDBACK_SUBMISSIONS_PER_HOUR = env_int("FEEDBACK_SUBMISSIONS_PER_HOUR", 5, minimum=1)
FEEDBACK_MAX_PHOTOS = env_int("FEEDBACK_MAX_PHOTOS", 5, minimum=0)
FEEDBACK_PHOTO_MAX_BYTES = env_int("FEEDBACK_PHOTO_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
FEEDBACK_VIDEO_MAX_BYTES = env_int("FEEDBACK_VIDEO_MAX_BYTES", 30 * 1024 * 1024, minimum=1024)
# "A short video": its length as the MP4 itself records it, in seconds.
FEEDBACK_VIDEO_MAX_SECONDS = env_int("FEEDBACK_VIDEO_MAX_SECONDS", 120, minimum=1)
# Open311 media_url: the worker downloads the photo or video a client names (FEEDBACK_MEDIA_FETCH=0: it
# is only recorded). Public Internet hosts only, unless FEEDBACK_MEDIA_PRIVATE_HOSTS (tests, a closed
# network); seconds per connection and read; redirects followed.
FEEDBACK_MEDIA_FETCH = env_bool("FEEDBACK_MEDIA_FETCH", True)
FEEDBACK_MEDIA_PRIVATE_HOSTS = env_bool("FEEDBACK_MEDIA_PRIVATE_HOSTS", False)
FEEDBACK_MEDIA_TIMEOUT = env_int("FEEDBACK_MEDIA_TIMEOUT", 10, minimum=1)
FEEDBACK_MEDIA_REDIRECTS = env_int("FEEDBACK_MEDIA_REDIRECTS", 3, minimum=0)
# Handlers are reminded this many working days before a report falls due.
FEEDBACK_REMIND_DAYS_BEFORE = env_int("FEEDBACK_REMIND_DAYS_BEFORE", 1, minimum=0)
# A published result the citizen has not rated is closed after this many working days.
FEEDBACK_AUTO_CLOSE_DAYS = env_int("FEEDBACK_AUTO_CLOSE_DAYS", 10, minimum=1)

# Official documents: the root certificates (PEM files, comma-separated) that received signatures are
# validated against (the national root CA of Ban Cơ yếu Chính phủ in production).
DOCUMENTS_TRUST_ROOTS = env_list("DOCUMENTS_TRUST_ROOTS")
# Minutes between two runs of the 1022 sweep (overdue flags, reminders, unrated results closed), which
# `manage.py run_periodic` enqueues: every system declares its sweeps in thongsuot.core.sweeps.
FEEDBACK_SWEEP_MINUTES = env_int("FEEDBACK_SWEEP_MINUTES", 15, minimum=1)

# Video conferences: the Janus media servers. One server from JANUS_URL (HTTP API), JANUS_ADMIN_URL and
# the secrets below; several from JANUS_SERVERS, a JSON list of {"name", "url", "admin_url", "api_secret",
# "admin_secret", "room_key", "capacity"}. The secrets default to values derived from SECRET_KEY (never
# Janus' shipped ones); `manage.py janus_config` writes the matching configuration under .run/janus/.
# capacity: the endpoints one server carries at once (meetings overlapping in time count together).
JANUS_SERVERS = janus_servers_from_env(SECRET_KEY)
# Minutes a join token the platform issues stays valid.
JANUS_TOKEN_MINUTES = env_int("JANUS_TOKEN_MINUTES", 10, minimum=1)

# Working hours used by hour-based deadlines (administrative office hours in HCMC).
WORKING_HOURS = [("07:30", "11:30"), ("13:00", "17:00")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_without_traceback": {"()": "thongsuot.errors.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # a refused request is one warning line, not an error with a traceback
        "django.request": {"filters": ["forbidden_without_traceback"]},
    },
}
# The CSRF failure page inside the platform's layout, in the user's language.
CSRF_FAILURE_VIEW = "thongsuot.errors.csrf_failure"
