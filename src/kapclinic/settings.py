"""The one settings module. Every value is typed, commented and read from KAPCLINIC_* (env.py).

Defaults give the demo clinic on SQLite; production sets KAPCLINIC_DEBUG=false and the
secrets (see README "Production").
"""

import json
from collections.abc import Mapping
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from kapclinic.clinical.outcomes import parse_remission_below
from kapclinic.env import env_bool, env_int, env_list, env_str

# The checkout root in development; `var/` below it holds the demo database and media.
BASE_DIR: Path = Path(__file__).resolve().parent.parent.parent
VAR_DIR: Path = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# Development conveniences (debug pages, exempt demo accounts). Never true in production.
DEBUG: bool = env_bool("DEBUG", True)
# Demo mode: the demo accounts may skip MFA enrolment. A deploy check refuses it in production.
DEMO: bool = env_bool("DEMO", DEBUG)

# Required in production; the development default is useless elsewhere by design.
SECRET_KEY: str = env_str("SECRET_KEY", "insecure-development-key" if DEBUG else None)
ALLOWED_HOSTS: list[str] = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS: list[str] = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS: list[str] = [
    # First, so that its layout also dresses allauth's sign-in pages.
    "kapclinic.web",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    "django_tasks_db",
    "kapclinic.audit",
    "kapclinic.accounts",
    "kapclinic.clinics",
    "kapclinic.patients",
    "kapclinic.referrals",
    "kapclinic.screening",
    "kapclinic.care",
    "kapclinic.scheduling",
    "kapclinic.register",
    "kapclinic.dosing",
    "kapclinic.outcomes",
    "kapclinic.recordings",
    "kapclinic.billing",
    "kapclinic.groups",
    "kapclinic.sharedcare",
    "kapclinic.audit_review",
    "kapclinic.portal",
    "kapclinic.fhir",
    "kapclinic.demo",
]

MIDDLEWARE: list[str] = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Renews the idle timeout (SESSION_IDLE_MINUTES) at most once a minute.
    "kapclinic.accounts.idle.SessionRenewalMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kapclinic.web.middleware.UserLanguageMiddleware",
    "kapclinic.web.timezones.ClinicTimeZoneMiddleware",
    "kapclinic.web.middleware.PrivacyHeadersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kapclinic.audit.middleware.RequestContextMiddleware",
    "kapclinic.accounts.middleware.AccessPolicyMiddleware",
    # Last, so that it sees the response of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production serves collected static files itself, compressed and cache-busted.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "kapclinic.urls"
WSGI_APPLICATION = "kapclinic.wsgi.application"

TEMPLATES: list[dict[str, object]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kapclinic.web.context_processors.navigation",
            ],
            # The reader's language: `{{ reason|said }}`, `{{ program|bilingual:"description" }}`,
            # `{{ code|label:"band" }}` (labels.py), `{{ day|short_day }}` (dates.py).
            "builtins": [
                "kapclinic.said",
                "kapclinic.bilingual",
                "kapclinic.labels",
                "kapclinic.dates",
            ],
        },
    },
    {
        # Plain text (emails, their subjects, calendar text) is not HTML: no autoescape, or
        # "D'Arcy" reaches the reader as "D&#x27;Arcy". Render with kapclinic.web.text.render_text.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "autoescape": False,
            "builtins": ["kapclinic.said", "kapclinic.bilingual"],
        },
    },
]

# SQLite under var/ by default; PostgreSQL in production, e.g. postgres://user@host:5432/kapclinic.
DATABASES: dict[str, Mapping[str, object]] = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kapclinic.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: a page's query is short, and PostgreSQL's JIT spent 0.5 s compiling
    # the outcomes dashboard's 0.3 s aggregate at 100,000 patients (bench/results/pages.md).
    # KAPCLINIC_DATABASE_JIT=on gives it back.
    options: dict[str, object] = dict(DATABASES["default"].get("OPTIONS", {}))  # type: ignore[call-overload]
    if not env_bool("DATABASE_JIT", False):
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    DATABASES["default"] = {**DATABASES["default"], "OPTIONS": options}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, lockouts and TOTP codes already used live in this cache, so they must be shared
# by every worker: Redis in production (redis://127.0.0.1:6379/0). Without it (the demo) they
# live in the database, shared too, only slower. KAPCLINIC_CACHE_PREFIX keeps apart the
# deployments (or test runs) that share one Redis server.
CACHE_URL: str = env_str("CACHE_URL", "db://")
CACHE_PREFIX: str = env_str("CACHE_PREFIX", "kapclinic")
CACHES: dict[str, Mapping[str, object]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kapclinic_cache",
        }
    )
    | {"KEY_PREFIX": CACHE_PREFIX}
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS: list[str] = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id first; older hashes are upgraded on the next login (OWASP ASVS 6.2).
PASSWORD_HASHERS: list[str] = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length and common-password checks, no composition rules (NIST SP 800-63B 3.1.1.2).
AUTH_PASSWORD_VALIDATORS: list[dict[str, object]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"

# allauth: email is the login; nobody signs up on their own at this stage (staff are created
# by a clinic admin, patients are invited, referrers register in the referral module).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "kapclinic.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
MFA_SUPPORTED_TYPES: list[str] = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "kapclinic"

# django-axes: lock the (email, address) pair so that an attacker elsewhere cannot lock a
# real user out (OWASP ASVS 6.1.1); cool off after a quarter of an hour.
AXES_FAILURE_LIMIT: int = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME: float = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS: list[list[str]] = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "kapclinic.accounts.lockout.login_identifier"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# allauth's limits (kept in the shared cache): failed sign-ins per address, and failed sign-ins
# or TOTP codes per account (its "key"), the latter with the same limit and cool-off as axes.
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    "login_failed": f"20/m/ip,{AXES_FAILURE_LIMIT}/{int(AXES_COOLOFF_TIME * 3600)}s/key"
}

# Staff sessions end after this many idle minutes (sliding: a request renews it, at most once a
# minute, so that a page does not write its session each time: accounts.idle).
SESSION_IDLE_MINUTES: int = env_int("SESSION_IDLE_MINUTES", 15)
SESSION_COOKIE_AGE: int = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Languages offered; the clinic network works in Canadian English and French.
LANGUAGE_CODE = "en"
LANGUAGES: list[tuple[str, object]] = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS: list[Path] = [Path(__file__).resolve().parent / "locale"]
USE_I18N = True
USE_TZ = True
# Stored times are UTC; pages show the clinic's own time zone.
TIME_ZONE = "America/Toronto"

STATIC_URL = "static/"
STATIC_ROOT: Path = VAR_DIR / "static"
MEDIA_ROOT: Path = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Recordings: ciphertext only, on disk by default, S3-compatible when a bucket is set.
    "recordings": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env_str("RECORDINGS_S3_BUCKET", ""),
                "endpoint_url": env_str("RECORDINGS_S3_ENDPOINT", "") or None,
                "access_key": env_str("RECORDINGS_S3_ACCESS_KEY", "") or None,
                "secret_key": env_str("RECORDINGS_S3_SECRET_KEY", "") or None,
                "region_name": env_str("RECORDINGS_S3_REGION", "us-east-1"),
                "addressing_style": "path",
                "signature_version": "s3v4",
                "file_overwrite": False,
                "default_acl": None,
            },
        }
        if env_str("RECORDINGS_S3_BUCKET", "")
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(VAR_DIR / "recordings"), "file_permissions_mode": 0o600},
        }
    ),
}

# Outgoing mail (Django 6.1 mailers). The console backend prints mail in development.
# Production: KAPCLINIC_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the SMTP_*.
EMAIL_BACKEND_PATH: str = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {
                "host": env_str("SMTP_HOST", "localhost"),
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER", ""),
                "password": env_str("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_TLS", True),
            }
            if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL: str = env_str("DEFAULT_FROM_EMAIL", "kapclinic <no-reply@kapclinic.invalid>")

# Security headers. Production runs behind a TLS proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT: bool = not DEBUG
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT: list[str] = [r"^healthz$"]
SESSION_COOKIE_SECURE: bool = not DEBUG
CSRF_COOKIE_SECURE: bool = not DEBUG
SECURE_HSTS_SECONDS: int = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = not DEBUG
SECURE_HSTS_PRELOAD: bool = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Powerful browser features no page of ours uses (web.middleware.PrivacyHeadersMiddleware).
PERMISSIONS_POLICY: str = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "hid=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), "
    "interest-cohort=(), browsing-topics=()"
)
# Content Security Policy (Django 6 built-in): no inline script, no plugins, no framing.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

# Background work (django.tasks): rows in the same database, run by `kapclinic worker`.
TASKS: dict[str, dict[str, object]] = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The clinic's promise: every referred person is contacted within this many hours.
CONTACT_PROMISE_HOURS: int = env_int("CONTACT_PROMISE_HOURS", 24)
# Coordinators are warned when a referral has this many hours left without contact.
CONTACT_WARNING_HOURS: int = env_int("CONTACT_WARNING_HOURS", 6)
# Letters to referrers by fax (sharedcare.fax): an email-to-fax gateway's domain (mail goes to
# <digits>@domain with the PDF attached); empty = no fax. FAX_GATEWAY names another
# implementation of sharedcare.fax.FaxGateway instead (dotted path).
FAX_GATEWAY_DOMAIN: str = env_str("FAX_GATEWAY_DOMAIN", "")
FAX_GATEWAY_SENDER: str = env_str("FAX_GATEWAY_SENDER", "")
FAX_GATEWAY: str = env_str("FAX_GATEWAY", "")
# The address people reach the site at, for links in emails.
SITE_URL: str = env_str("SITE_URL", "http://127.0.0.1:8000")
# Eligibility rules a medical director configured (clinical.eligibility.build_rules shape),
# as JSON in KAPCLINIC_ELIGIBILITY_RULES; empty means the documented defaults.
ELIGIBILITY_RULES: list[dict[str, object]] | None = json.loads(env_str("ELIGIBILITY_RULES", "null"))
# A single-use questionnaire link stops working after this many hours.
QUESTIONNAIRE_LINK_HOURS: int = env_int("QUESTIONNAIRE_LINK_HOURS", 72)
# A receipt link emailed to a patient stops working after this many days (signed, no storage).
RECEIPT_LINK_DAYS: int = env_int("RECEIPT_LINK_DAYS", 30)
# Self-referral bookings accepted from one address per hour (abuse protection).
SELF_REFERRAL_PER_HOUR: int = env_int("SELF_REFERRAL_PER_HOUR", 5)
# Referral attachments: PDF and images only, each at most this many megabytes.
ATTACHMENT_MAX_MB: int = env_int("ATTACHMENT_MAX_MB", 10)

# Scheduling (a medical director's and clinic admin's decisions, with these defaults).
# Patients are reminded of each appointment this many hours before it, by email.
REMINDER_HOURS: list[int] = [int(h) for h in env_list("REMINDER_HOURS", ["48", "24"])]
# Plan booking tries start times on this grid, in minutes, inside clinicians' hours.
BOOKING_GRID_MINUTES: int = env_int("BOOKING_GRID_MINUTES", 30)
# The credentials a clinician of each role must hold, valid on the appointment date.
REQUIRED_CREDENTIALS: dict[str, list[str]] = json.loads(
    env_str(
        "REQUIRED_CREDENTIALS",
        json.dumps(
            {
                "physician": ["licence", "criminal_record_check", "ethics_attestation"],
                "nurse": ["licence", "criminal_record_check", "ethics_attestation"],
                "therapist": [
                    "licence",
                    "criminal_record_check",
                    "ethics_attestation",
                    "trauma_training",
                ],
            }
        ),
    )
)
# The code of ethics version staff attest to; an attestation of an older version does not count.
ETHICS_CODE_VERSION: str = env_str("ETHICS_CODE_VERSION", "2026.1")
# Admins see credentials that expire within this many days.
CREDENTIAL_WARNING_DAYS: int = env_int("CREDENTIAL_WARNING_DAYS", 60)

# Ketamine sessions (the medical director's decisions, with these defaults; clinical/ cites them).
# The most ketamine one session may give, in mg: the top of the "general dosage range" of
# 100-400 mg of a widely used sublingual RDT protocol (reference/CLINICAL.md 3.3).
# Whole mg, like every ketamine quantity (clinical.orders.is_whole_mg).
DOSING_MAX_DOSE_MG: int = env_int("DOSING_MAX_DOSE_MG", 400)
# Changes to the pre-dose vital-sign limits (clinical.vitals.PRE_DOSE_LIMITS field names),
# as JSON, e.g. {"systolic_max": 149}; empty keeps the documented defaults.
DOSING_PRE_DOSE_LIMITS: dict[str, int | None] = json.loads(env_str("DOSING_PRE_DOSE_LIMITS", "{}"))
# Changes to the limits that raise an alert after the dose (clinical.vitals.MONITORING_LIMITS).
DOSING_MONITORING_LIMITS: dict[str, int | None] = json.loads(
    env_str("DOSING_MONITORING_LIMITS", "{}")
)
# Readings due at these minutes after the dose: Spravato REMS monitoring form (before, 40 min
# after, before completion; reference/CLINICAL.md 3.2).
DOSING_READING_MINUTES: list[int] = [
    int(m) for m in env_list("DOSING_READING_MINUTES", ["0", "40", "120"])
]
# Minimum observation after the last dose before discharge, in minutes: "monitored for at least
# 2 hours" (Spravato REMS patient monitoring form and HCP dosing page, reference/CLINICAL.md 3.2).
DOSING_MINIMUM_OBSERVATION_MINUTES: int = env_int("DOSING_MINIMUM_OBSERVATION_MINUTES", 120)
# Least time between two ketamine sessions of one patient, in hours, checked at booking and at
# the dose: a floor under every program's own spacing, so that no second dose is given the same
# day. The studied esketamine regimen is at most twice weekly ("does not require daily dosing";
# Spravato HCP dosing page and product monograph, reference/CLINICAL.md 3.2) and the patient
# may not drive "until the next day after a restful sleep" (same page) [guess: no published
# minimum interval; 24 h is the medical director's to raise].
DOSING_MIN_INTERVAL_HOURS: int = env_int("DOSING_MIN_INTERVAL_HOURS", 24)
# Nurses document after the fact: a dose or a reading may be entered up to this many hours late
# (never in the future).
DOSING_LATE_ENTRY_HOURS: int = env_int("DOSING_LATE_ENTRY_HOURS", 4)

# Outcome measurement (a medical director's decisions, with these defaults).
# Remission cut-offs: the latest total below this is remission, "PHQ-9=5,GAD-7=5,PCL-5=33" by
# default (each default's source is in clinical.outcomes.DEFAULT_REMISSION_BELOW).
OUTCOMES_REMISSION_BELOW: dict[str, int] = parse_remission_below(
    env_str("OUTCOMES_REMISSION_BELOW", "")
)
# A measurement not answered is reminded at most this many times, this many days apart.
OUTCOMES_MAX_REMINDERS: int = env_int("OUTCOMES_MAX_REMINDERS", 3)
OUTCOMES_REMINDER_DAYS: int = env_int("OUTCOMES_REMINDER_DAYS", 2)

LOGGING: dict[str, object] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every PDF at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# How many reverse proxies in front of the app append to X-Forwarded-For (0: trust none).
TRUSTED_PROXY_COUNT: int = env_int("TRUSTED_PROXY_COUNT", 0)

# Audit chain (audit app). The key that signs each event and each chain link (HMAC-SHA256),
# kept outside the database: anyone who can write the database but lacks the key cannot forge
# an event or re-seal a rewritten chain. Empty: a key file made in KAPCLINIC_VAR_DIR (demo only;
# a deploy check warns).
AUDIT_KEY: str = env_str("AUDIT_KEY", "")
# The chain's head (count, last seal, last hash), written at each seal, outside the database: a
# deleted tail or a rewritten chain no longer matches it. Keep it on storage the database's
# administrators cannot write (a separate volume, or an object store synced from this file).
AUDIT_ANCHOR: Path = Path(env_str("AUDIT_ANCHOR", str(VAR_DIR / "audit-anchor.json")))

# Recordings of dosing sessions (recordings app).
# Master keys that wrap each recording's data key: "id:base64-32-bytes,..." (the first wraps new
# keys; older ones stay to unwrap until `kapclinic recordings rotate-keys` has re-wrapped).
# Empty: a key file made in KAPCLINIC_VAR_DIR (demo only; a deploy check warns).
RECORDINGS_KEY: str = env_str("RECORDINGS_KEY", "")
# Optional dotted path of a key-management-service wrapper (crypto.KeyWrapper) used instead.
RECORDINGS_KMS: str = env_str("RECORDINGS_KMS", "")
# Plaintext bytes per encrypted segment: a seek decrypts at most two segments of this size.
RECORDINGS_SEGMENT_BYTES: int = env_int("RECORDINGS_SEGMENT_BYTES", 1024 * 1024)
# Encrypted uploads in progress (ciphertext only) wait here until the last chunk.
RECORDINGS_STAGING_DIR: Path = Path(env_str("RECORDINGS_STAGING_DIR", str(VAR_DIR / "uploads")))
# Retention in days by province: no rule names session video (reference/CLINICAL.md 4), so the
# defaults follow the clinical record: QC 10 years (CMQ), BC 16 years (CPSBC bylaw 3-6(2)).
# Set with legal sign-off, e.g. "QC=3650,BC=5840".
RECORDINGS_RETENTION_DAYS: dict[str, int] = {
    k.strip(): int(v)
    for k, _, v in (
        item.partition("=")
        for item in env_list("RECORDINGS_RETENTION_DAYS", ["QC=3650", "BC=5840"])
    )
}
# A clinic's own retention overrides its province's: "clinic name=days,...".
RECORDINGS_CLINIC_RETENTION_DAYS: dict[str, int] = {
    k.strip(): int(v)
    for k, _, v in (
        item.partition("=") for item in env_list("RECORDINGS_CLINIC_RETENTION_DAYS", [])
    )
}
# Used when neither the clinic nor its province has a retention set: 10 years (CMPA).
RECORDINGS_DEFAULT_RETENTION_DAYS: int = env_int("RECORDINGS_DEFAULT_RETENTION_DAYS", 3650)
# How long a stated reason opens a recording for playback, in minutes.
RECORDINGS_PLAYBACK_MINUTES: int = env_int("RECORDINGS_PLAYBACK_MINUTES", 60)
# How long a patient's approved download link works, in hours.
RECORDINGS_PATIENT_DOWNLOAD_HOURS: int = env_int("RECORDINGS_PATIENT_DOWNLOAD_HOURS", 72)
# An upload with no chunk for this many hours is discarded by `purge-expired`.
RECORDINGS_STALE_UPLOAD_HOURS: int = env_int("RECORDINGS_STALE_UPLOAD_HOURS", 24)
