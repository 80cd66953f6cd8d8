"""The only settings module. Every value comes from the environment (see .env.example)."""

from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from gridgov.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# The local demo (`make demo`): production settings except plain HTTP on 127.0.0.1 and staff
# two-factor sign-in off (STAFF_TWO_FACTOR=1 turns it back on). Never in production.
DEMO = env_bool("DEMO", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required unless DEBUG=1 (see .env.example).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

# Key for field encryption and blind indexes of personal data; derived from SECRET_KEY in DEBUG.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
if not FIELD_ENCRYPTION_KEY and not DEBUG:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is required unless DEBUG=1.")
# Previous keys, during a key rotation (`gridgov rotate-keys`); comma-separated.
FIELD_ENCRYPTION_OLD_KEYS = env_list("FIELD_ENCRYPTION_OLD_KEYS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or DEMO else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "gridgov.accounts.admin_apps.GridGovAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "gridgov.core",
    "gridgov.audit",
    "gridgov.accounts",
    "gridgov.geo",
    "gridgov.registry",
    "gridgov.workdays",
    "gridgov.inbox",
    "gridgov.outbox",
    "gridgov.cases",
    "gridgov.talkpoints",
    "gridgov.patrols",
    "gridgov.hazards",
    "gridgov.notices",
    "gridgov.analytics",
    "gridgov.reports",
    "gridgov.mediation",
    "gridgov.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gridgov.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gridgov.core.middleware.ChineseFirstLocaleMiddleware",
    "gridgov.core.security.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gridgov.audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gridgov.accounts.middleware.StaffIdleTimeoutMiddleware",
    "gridgov.accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "gridgov.urls"
# A form sent with an expired or missing token: a Chinese page saying what to do, not Django's.
CSRF_FAILURE_VIEW = "gridgov.core.error_views.csrf_failure"
WSGI_APPLICATION = "gridgov.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gridgov" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gridgov.accounts.context_processors.navigation",
                "gridgov.inbox.context_processors.unread",
            ],
        },
    },
]

# SQLite (WAL) by default; PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'gridgov.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
    # Tests use a file too (not shared in-memory SQLite, whose table locks fail at once instead of
    # waiting): the browser tests' live server and the test thread then wait for each other.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["gridgov.accounts.backends.UsernameOrPhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gridgov.accounts.passwords.CharacterClassesValidator"},
]
# Login hardening (domain.md §8): lockout per account and per address, staff idle timeout.
LOGIN_LOCKOUT_FAILURES = env_int("LOGIN_LOCKOUT_FAILURES", 5)
# Per address: far above the per-account limit, so one person's typos (or an attacker) behind an
# office NAT or a carrier's shared address cannot lock everyone there out.
LOGIN_LOCKOUT_IP_FAILURES = env_int("LOGIN_LOCKOUT_IP_FAILURES", 50)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
# Staff give a code from an authenticator app after their password (TOTP, django-otp). On by
# default in production; DEBUG and the demo (DEMO=1) leave it off unless STAFF_TWO_FACTOR=1.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", not (DEBUG or DEMO))
OTP_TOTP_ISSUER = "GridGov"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "gridgov" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Third-party front-end code comes from npm at install time (never committed).
STATICFILES_DIRS = [
    BASE_DIR / "gridgov" / "static",
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/leaflet.heat", BASE_DIR / "node_modules" / "leaflet.heat" / "dist"),
]
# Single files of npm packages too big to serve whole (gridgov/core/vendor_files.py).
VENDOR_FILES = {
    "vendor/echarts/echarts.min.js": BASE_DIR
    / "node_modules"
    / "echarts"
    / "dist"
    / "echarts.min.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "gridgov.core.vendor_files.VendorFilesFinder",
]
# Production serves hashed, compressed files collected by `collectstatic`; development and the
# test suite serve them straight from the source folders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Uploaded photos and voice: the local file system (MEDIA_ROOT) by default, or S3-compatible
# object storage (MinIO, a city's cloud) with MEDIA_STORAGE=s3 and `pip install '.[s3]'`.
# Either way files are served only through permission-checked views, never from a public URL.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
# Served over HTTPS (behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1): redirect
# plain HTTP, send HSTS, and mark cookies secure.
HTTPS = env_bool("HTTPS", not (DEBUG or DEMO))
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# The audit log (domain.md §8): kept at least 180 days; `gridgov purge-audit` removes older rows.
AUDIT_RETENTION_DAYS = max(180, env_int("AUDIT_RETENTION_DAYS", 365))
# The number of reverse proxies in front of the app, each appending to X-Forwarded-For; the
# client address (audit log, lockout, rate limits) is the N-th entry from the right. 0 = no proxy:
# REMOTE_ADDR, and X-Forwarded-For (written by the client) is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "gridgov.core.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "gridgov.core.throttles.AnonThrottle",
        "gridgov.core.throttles.UserThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GridGov API",
    "DESCRIPTION": "Grid-based community governance: areas and grids, cases and their moves, "
    "and the resident registry (read-only, masked).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "GeoJSONFeatureTypeEnum": ["Feature"],
        "GeoJSONFeatureCollectionTypeEnum": ["FeatureCollection"],
        "LimitUnitEnum": "gridgov.workdays.calendar.LimitUnit",
        "HandlingLevelEnum": "gridgov.cases.choices.HandlingLevel",
        "SupervisionEnum": "gridgov.cases.choices.Supervision",
        "PersonStatusEnum": "gridgov.registry.choices.PersonStatus",
        "CaseStatusEnum": "gridgov.cases.choices.Status",
        "HazardStatusEnum": "gridgov.hazards.choices.HazardStatus",
        "NoticeStatusEnum": "gridgov.notices.choices.NoticeStatus",
        "RoundStatusEnum": "gridgov.patrols.choices.RoundStatus",
        "MediationStatusEnum": "gridgov.mediation.choices.MediationStatus",
        "MediationLevelEnum": "gridgov.mediation.choices.Level",
        "PartySideEnum": "gridgov.mediation.choices.PartySide",
    },
}

# Map: no base-map tiles by default (works offline). Set a tile URL template to show a base map,
# e.g. a city's own Tianditu or OpenStreetMap mirror: https://tiles.example/{z}/{x}/{y}.png
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")
# The tiles' coordinate system: "wgs84" (天地图 is CGCS2000 ≈ WGS-84, OpenStreetMap) or "gcj02"
# (高德, 腾讯): the map then shifts everything it draws to GCJ-02 (docs/map-tiles.md).
MAP_TILE_CRS = env_str("MAP_TILE_CRS", "wgs84")
if MAP_TILE_CRS not in ("wgs84", "gcj02"):
    raise ImproperlyConfigured("MAP_TILE_CRS must be wgs84 or gcj02")
# Office hours for limits counted in working hours; limits in working days end at WORKDAY_END.
WORKDAY_START = env_str("WORKDAY_START", "08:30")
WORKDAY_END = env_str("WORKDAY_END", "17:30")

# Cases: limits for a case without a category yet (amount, unit) per step; warning thresholds
# (% of the allowed time); days after which an unrated case closes as "not evaluated"; days
# within which a dissatisfied resident may reopen.
CASE_DEFAULT_LIMITS = {
    "accept": (4, "working_hours"),
    "dispatch": (4, "working_hours"),
    "claim": (24, "hours"),
    "handle": (7, "working_days"),
}
CASE_DEFAULT_WARNING_PERCENT = (60, 85)

# People's mediation (ADR 0016): the warning days before the due date, the follow-up of an
# agreement without a performance date, the window for judicial confirmation.
MEDIATION_YELLOW_DAYS = env_int("MEDIATION_YELLOW_DAYS", 5)
MEDIATION_RED_DAYS = env_int("MEDIATION_RED_DAYS", 2)
MEDIATION_FOLLOW_UP_DAYS = env_int("MEDIATION_FOLLOW_UP_DAYS", 15)
MEDIATION_CONFIRMATION_DAYS = 30  # 人民调解法 Art. 33: within 30 days of taking effect
MEDIATION_CONFIRMATION_WARN_DAYS = 7
CASE_FEEDBACK_DAYS = env_int("CASE_FEEDBACK_DAYS", 7)
CASE_REOPEN_DAYS = env_int("CASE_REOPEN_DAYS", 15)
CASE_MAX_PHOTOS = 9
# Patrol tracks (行踪轨迹) are kept this long, then only the rounds' aggregates remain.
PATROL_TRACK_RETENTION_DAYS = env_int("PATROL_TRACK_RETENTION_DAYS", 180)
# Patrol links (ADR 0013): the deadline of a hazard found on patrol by risk level,
# and after how many days without an e-file update or visit a resident shows as "to visit".
PATROL_HAZARD_DEADLINE_DAYS = {"low": 30, "medium": 15, "high": 7, "major": 3}
PATROL_VISIT_AFTER_DAYS = env_int("PATROL_VISIT_AFTER_DAYS", 30)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 15 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env_int("UPLOAD_MAX_PIXELS", 50_000_000)
VOICE_MAX_BYTES = env_int("VOICE_MAX_BYTES", 5 * 1024 * 1024)
VOICE_MAX_SECONDS = env_int("VOICE_MAX_SECONDS", 60)
# An attachment still processing after this many minutes is stuck (a worker died): the sweep
# queues it again, up to ATTACHMENT_MAX_TRIES times, then marks it failed so staff can retry.
ATTACHMENT_STUCK_MINUTES = env_int("ATTACHMENT_STUCK_MINUTES", 15)
ATTACHMENT_MAX_TRIES = env_int("ATTACHMENT_MAX_TRIES", 3)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Any request body above this is refused before it is read (413).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 160 * 1024 * 1024)
# The people registry's Excel import and export.
REGISTRY_IMPORT_MAX_BYTES = env_int("REGISTRY_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
REGISTRY_IMPORT_MAX_ROWS = env_int("REGISTRY_IMPORT_MAX_ROWS", 20_000)
# An .xlsx is a zip: bounds on what it unpacks to, checked before parsing (a 20,000-row file
# unpacks to ~16 MB at ~14:1), and on import jobs left behind by a crash.
REGISTRY_IMPORT_MAX_UNPACKED_BYTES = env_int("REGISTRY_IMPORT_MAX_UNPACKED_BYTES", 64 * 1024 * 1024)
REGISTRY_IMPORT_MAX_PART_BYTES = env_int("REGISTRY_IMPORT_MAX_PART_BYTES", 48 * 1024 * 1024)
REGISTRY_IMPORT_MAX_RATIO = env_int("REGISTRY_IMPORT_MAX_RATIO", 100)
REGISTRY_IMPORT_MAX_PARTS = env_int("REGISTRY_IMPORT_MAX_PARTS", 200)
REGISTRY_IMPORT_STUCK_MINUTES = env_int("REGISTRY_IMPORT_STUCK_MINUTES", 15)
REGISTRY_IMPORT_MAX_ATTEMPTS = env_int("REGISTRY_IMPORT_MAX_ATTEMPTS", 2)
REGISTRY_IMPORT_KEEP_HOURS = env_int("REGISTRY_IMPORT_KEEP_HOURS", 24)
REGISTRY_EXPORT_MAX_ROWS = env_int("REGISTRY_EXPORT_MAX_ROWS", 50_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Two grids may overlap by at most this share of the smaller one's area (digitising slack).
GRID_OVERLAP_TOLERANCE = 0.01

# Text messages (gridgov/accounts/sms.py): gridgov.accounts.sms.AliyunSender sends through
# Aliyun SMS; gridgov.accounts.sms.LogSender sends nothing and only logs (the DEBUG default).
# With DEBUG off it must be named explicitly: the server refuses to start without it.
SMS_BACKEND = env_str("SMS_BACKEND", "gridgov.accounts.sms.LogSender" if DEBUG else "")
if not SMS_BACKEND:
    raise ImproperlyConfigured(
        "SMS_BACKEND is required unless DEBUG=1: gridgov.accounts.sms.AliyunSender, or "
        "gridgov.accounts.sms.LogSender to send nothing (see .env.example)."
    )
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10)
SMS_ALIYUN_ENDPOINT = env_str("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_ALIYUN_REGION = env_str("SMS_ALIYUN_REGION", "cn-hangzhou")
SMS_ALIYUN_ACCESS_KEY_ID = env_str("SMS_ALIYUN_ACCESS_KEY_ID")
SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("SMS_ALIYUN_ACCESS_KEY_SECRET")
SMS_ALIYUN_SIGN_NAME = env_str("SMS_ALIYUN_SIGN_NAME")
# Product template name → approved Aliyun template code, e.g.
# "signup_code=SMS_1234,account_exists=SMS_1235,case_resolved=SMS_1236".
SMS_ALIYUN_TEMPLATES = dict(
    item.split("=", 1) for item in env_list("SMS_ALIYUN_TEMPLATES") if "=" in item
)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@gridgov.invalid")

# Background work: Celery with Redis in production; eager (in-process) without a broker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE = {
    "sweep-imports": {"task": "gridgov.registry.tasks.sweep_import_jobs", "schedule": 300.0},
    "sweep-time-limits": {"task": "gridgov.cases.tasks.sweep_time_limits", "schedule": 600.0},
    "close-unrated": {"task": "gridgov.cases.tasks.close_unrated", "schedule": 3600.0},
    "publish-notices": {"task": "gridgov.notices.tasks.publish_due", "schedule": 60.0},
    "sweep-attachments": {"task": "gridgov.cases.tasks.sweep_attachments", "schedule": 300.0},
    "verify-audit": {"task": "gridgov.audit.tasks.verify_audit_chain", "schedule": 86400.0},
    "purge-audit": {"task": "gridgov.audit.tasks.purge_expired_audit_rows", "schedule": 604800.0},
    "relay-outbox": {"task": "gridgov.outbox.tasks.relay_due", "schedule": 60.0},
    "close-rounds": {"task": "gridgov.patrols.tasks.close_rounds_at_midnight", "schedule": 600.0},
    "purge-tracks": {"task": "gridgov.patrols.tasks.purge_tracks", "schedule": 86400.0},
    "sweep-hazards": {"task": "gridgov.hazards.tasks.sweep_overdue_hazards", "schedule": 3600.0},
    "sweep-mediation": {
        "task": "gridgov.mediation.tasks.sweep_mediation_warnings",
        "schedule": 3600.0,
    },
}
# Reports (每周汇总, 每月研判): Monday 07:00 for last week, the 1st 07:00 for last month.
CELERY_BEAT_SCHEDULE |= {
    "weekly-reports": {
        "task": "gridgov.reports.tasks.generate_weekly_reports",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
    "monthly-reports": {
        "task": "gridgov.reports.tasks.generate_monthly_reports",
        "schedule": crontab(minute=0, hour=7, day_of_month=1),
    },
}
# The outbox (ADR 0010): who delivers each topic, and how often a failing row is tried.
OUTBOX_HANDLERS = {
    "inbox.notify": "gridgov.inbox.services.deliver",
    "cases.rating_email": "gridgov.cases.notifications.send_rating_email",
    "cases.rating_sms": "gridgov.cases.notifications.send_rating_sms",
    "cases.referred_to_mediation": "gridgov.mediation.handlers.register_referral",
    "cases.mediation_concluded": "gridgov.cases.actions.mediation.on_mediation_concluded",
}
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)

# Cache: rate-limit counters. Default: per-process memory; several web processes need a shared
# one, e.g. CACHE_URL=redis://127.0.0.1:6379/1 .
CACHE_URL = env_str("CACHE_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Rate limits per client address ("count/s|m|h|d"): pages anyone can reach (django-ratelimit)
# and the API (DRF throttles: per address when anonymous, per user when signed in). A refused
# request gets 429 with a Chinese explanation. RATELIMIT_ENABLE=0 turns them all off.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATE_LIMITS = {
    "track": env_str("RATE_LIMIT_TRACK", "30/m"),  # tracking-code lookups
    "report": env_str("RATE_LIMIT_REPORT", "10/h"),  # reports sent without an account
    "login": env_str("RATE_LIMIT_LOGIN", "30/m"),  # login attempts (besides the lockout)
    "signup_code": env_str("RATE_LIMIT_SIGNUP_CODE", "10/h"),  # sign-up codes per address
    "signup_code_number": env_str("RATE_LIMIT_SIGNUP_CODE_NUMBER", "5/h"),  # …per phone number
}
API_THROTTLE_RATES = {
    "anon": env_str("API_THROTTLE_ANON", "60/m"),
    "user": env_str("API_THROTTLE_USER", "600/m"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
