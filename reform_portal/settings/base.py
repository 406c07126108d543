"""Settings shared by every environment; each value an operator may change is
read from the environment (see .env.example)."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "departments",
    "documents",
    "notifications",
    "tasks",
    "reminders",
    "supervision",
    "assessment",
    "matters",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "reform_portal.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reform_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "reform_portal.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "reform_portal.urls"
WSGI_APPLICATION = "reform_portal.wsgi.application"

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
                "departments.context_processors.membership",
                "notifications.context_processors.unread",
            ],
            # `{{ user|person }}` (姓名, never the login) and `{{ x|percent }}` (the one rounding rule) everywhere.
            "builtins": ["departments.templatetags.people", "tasks.templatetags.figures"],
        },
    },
]

# The embedded default is a SQLite file beside the code; production names
# PostgreSQL in DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer. A transaction that starts reading and later writes cannot
    # wait for the lock (SQLITE_BUSY at once, which the portal would show as an outage),
    # so every transaction takes the write lock at its start (BEGIN IMMEDIATE) and waits
    # up to `timeout` seconds for it; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Each language is named in itself, untranslated: a reader finds their own language by its name.
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Evidence files are private: kept outside the static root, served by views
# that check who is asking.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"

# The import preview posts back one row of inputs per task: a provincial plan has thousands.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "root"
LOGOUT_REDIRECT_URL = "login"

# The API (/api/, reform_portal/api/): tokens first, so that a request with neither a
# token nor a session is answered 401 with "WWW-Authenticate: Token".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "DEFAULT_PARSER_CLASSES": ["reform_portal.api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "reform_portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "reform_portal.api.errors.exception_handler",
    "PAGE_SIZE": 100,
}
# A JSON body larger than this is refused with 413 before it is read (an imported plan's
# JSON of a 1 MB document is about 3 MB).
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(10 * 1024 * 1024)))
# Evidence uploads (multipart): a few files of at most 20 MB each (tasks/uploads.py).
API_MAX_UPLOAD_BYTES = int(os.environ.get("API_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))

SPECTACULAR_SETTINGS = {
    "TITLE": "改革任务督查督办平台 API · Reform task supervision portal API",
    "DESCRIPTION": (
        "方案、任务、进展报告、延期/办结/增加参与部门申请、消息、数据看板，以及督查、督查发现、整改要求、督查通报和督办单。"
        "以令牌（Authorization: Token …）或登录会话认证；每个账号只能看到和操作其部门在页面上能看到和操作的内容，"
        "看不到的对象一律返回404。\n\n"
        "Plans, tasks, progress reports, extension/completion/participation requests, notifications, "
        "dashboards, and supervision: inspections, findings, rectification demands, bulletins and notices. "
        "Authenticate with a token (Authorization: Token …) or a signed-in session; an account "
        "sees and changes exactly what its department may in the pages, and objects it may not see answer 404."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for signed-in users and tokens, like the rest of the API.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "tasks.choices.TaskStatus",
        "ReportStatusEnum": "tasks.choices.ReportStatus",
        "RequestStatusEnum": "tasks.choices.RequestStatus",
        "DeadlinePrecisionEnum": "tasks.choices.DeadlinePrecision",
        "InspectionKindEnum": "supervision.choices.InspectionKind",
        "RatingEnum": "supervision.choices.Rating",
        "DemandStatusEnum": "supervision.choices.DemandStatus",
        "BulletinStatusEnum": "supervision.choices.BulletinStatus",
        "VerdictEnum": "supervision.choices.Verdict",
        "InstructionKindEnum": "matters.choices.InstructionKind",
        "MeetingKindEnum": "matters.choices.MeetingKind",
        "ProposalKindEnum": "matters.choices.ProposalKind",
        "NotificationKindEnum": "notifications.choices.NotificationKind",
        "TaskKindEnum": "tasks.choices.TaskKind",
    },
}

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message a worker took and never acknowledged (it died) goes back on the queue after
# this many seconds; the rows it was about are safe in the database meanwhile.
# Workers look for such messages every CELERY_RESTORE_INTERVAL seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "60")),
    "unacked_restore_throttle": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Portal behaviour an office tunes.
PORTAL = {
    # A task is yellow this many days before its deadline.
    "WARNING_DAYS": int(os.environ.get("PORTAL_WARNING_DAYS", "7")),
    # Monthly reports are due by this day of the month; after it a task without its
    # lead's report for the month turns yellow.
    "REPORT_DUE_DAY": int(os.environ.get("PORTAL_REPORT_DUE_DAY", "25")),
    # Demo mode prints demo accounts and their password at start.
    "DEMO_MODE": env_bool("PORTAL_DEMO_MODE"),
    # A department whose report is still missing is reminded the day after the due day,
    # and again this many days later.
    "REPORT_REMIND_AGAIN_AFTER": int(os.environ.get("PORTAL_REPORT_REMIND_AGAIN_AFTER", "3")),
    # 签收时限: a task given out is acknowledged within this many working days (workdays/),
    # unless the office sets another number when it gives the task out.
    "ACKNOWLEDGE_WORKING_DAYS": int(os.environ.get("PORTAL_ACKNOWLEDGE_WORKING_DAYS", "3")),
    # Not acknowledged by then: the lead's staff are reminded the next day, the head this
    # many days after the 签收时限, and the task is listed for the office (超时未签收).
    "ACKNOWLEDGE_ESCALATE_AFTER": int(os.environ.get("PORTAL_ACKNOWLEDGE_ESCALATE_AFTER", "2")),
    # Links in e-mails and webhook messages start with this address.
    "BASE_URL": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000"),
    # A message that fails is tried again after 1, 2, 4 … minutes (at most an hour apart),
    # this many times in all, then recorded as failed.
    "DELIVERY_ATTEMPTS": int(os.environ.get("PORTAL_DELIVERY_ATTEMPTS", "6")),
    "WEBHOOK_TIMEOUT": float(os.environ.get("PORTAL_WEBHOOK_TIMEOUT", "5")),
    # Webhooks go over https to public addresses only. A robot inside the office network
    # (http, or a private address) must be listed here: host names, addresses or networks,
    # e.g. "robot.intranet.gov.cn,10.20.0.0/16".
    "WEBHOOK_ALLOWED_HOSTS": env_list("PORTAL_WEBHOOK_ALLOWED_HOSTS"),
    # Sign-in is refused for LOGIN_LOCK_MINUTES after this many failures for one account,
    # or from one address; the address comes from CLIENT_IP_HEADER behind a proxy.
    "LOGIN_FAILURES_PER_ACCOUNT": int(os.environ.get("PORTAL_LOGIN_FAILURES_PER_ACCOUNT", "5")),
    "LOGIN_FAILURES_PER_ADDRESS": int(os.environ.get("PORTAL_LOGIN_FAILURES_PER_ADDRESS", "20")),
    "LOGIN_LOCK_MINUTES": int(os.environ.get("PORTAL_LOGIN_LOCK_MINUTES", "15")),
    "CLIENT_IP_HEADER": os.environ.get("PORTAL_CLIENT_IP_HEADER", ""),
    # 督查通报: the issuing office, its red mark, the number's prefix, the rules that
    # propose whom to commend and criticise, and when a bulletin goes to a worker.
    # 考核关账: periods scoring more department-task pairs than this close in a worker.
    "ASSESSMENT_INLINE_MAX_PARTS": int(os.environ.get("PORTAL_ASSESSMENT_INLINE_MAX_PARTS", "20000")),
    # 督办编号 of the office's registers, per source: {year} and {number} are filled in.
    "MATTER_CODES": {
        "instruction": os.environ.get("PORTAL_CODE_INSTRUCTION", "批〔{year}〕{number}号"),
        "meeting": os.environ.get("PORTAL_CODE_MEETING", "会〔{year}〕{number}号"),
        "proposal": os.environ.get("PORTAL_CODE_PROPOSAL", "建〔{year}〕{number}号"),
    },
    "BULLETIN": {
        "ISSUER": os.environ.get("PORTAL_BULLETIN_ISSUER", "区人民政府督查室"),
        "MARK": os.environ.get("PORTAL_BULLETIN_MARK", "区人民政府督查室文件"),
        "NUMBER_PREFIX": os.environ.get("PORTAL_BULLETIN_NUMBER_PREFIX", "督查通报"),
        "RECIPIENTS": os.environ.get("PORTAL_BULLETIN_RECIPIENTS", "各有关单位："),
        # 表扬: a department leading at least this many inspected tasks, all on time or on track.
        "COMMEND_MIN_TASKS": int(os.environ.get("PORTAL_BULLETIN_COMMEND_MIN_TASKS", "2")),
        # 通报批评: a department leading any task overdue by more than this many days.
        "CRITICISE_OVERDUE_DAYS": int(os.environ.get("PORTAL_BULLETIN_CRITICISE_OVERDUE_DAYS", "30")),
        # Bulletins with more annex rows than this render in a Celery worker, with progress.
        "INLINE_MAX_ROWS": int(os.environ.get("PORTAL_BULLETIN_INLINE_MAX_ROWS", "150")),
        # 抄送 in the bulletin's 版记 (GB/T 9704 §7.4.2): the bodies that receive a copy.
        "COPY_TO": os.environ.get("PORTAL_BULLETIN_COPY_TO", "区委办公室，区人大常委会办公室，区政协办公室。"),
        # The script documents print in: "simplified" turns a 繁体 plan's words into 简体; "as_written" keeps them.
        "SCRIPT": os.environ.get("PORTAL_DOCUMENT_SCRIPT", "simplified"),
    },
    # 督办单: numbered like the bulletin (督办〔2026〕3号); the unit's 回执 is due this many
    # working days after sending unless the office sets another 反馈时限 on the preview.
    "NOTICE": {
        "NUMBER_PREFIX": os.environ.get("PORTAL_NOTICE_NUMBER_PREFIX", "督办"),
        "FEEDBACK_WORKING_DAYS": int(os.environ.get("PORTAL_NOTICE_FEEDBACK_WORKING_DAYS", "10")),
    },
}

# Fonts of the official documents, first found wins: the licensed official fonts when the
# office has installed them (GB/T 9704-2012: title 2号小标宋, body 3号仿宋, 一、黑体, (一)楷体),
# then the free Noto CJK fonts Debian ships. A comma-separated list in the environment
# replaces a role's list.
OFFICIAL_FONTS = {
    role: env_list(f"PORTAL_FONTS_{role.upper()}", default)
    for role, default in {
        "title": "方正小标宋简体,FZXiaoBiaoSong-B05S,方正小标宋_GBK,Noto Serif CJK SC",
        "body": "仿宋_GB2312,FangSong_GB2312,仿宋,FangSong,STFangsong,Noto Serif CJK SC",
        "heading": "黑体,SimHei,Noto Sans CJK SC",
        "kai": "楷体_GB2312,KaiTi_GB2312,楷体,KaiTi,STKaiti,Noto Serif CJK SC",
        "number": "Times New Roman,Liberation Serif,Noto Serif CJK SC",
    }.items()
}
# A session ends after a working day, and when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# E-mail: an SMTP server from the environment; without one (a laptop, a demo) messages
# are written as files under var/mail so they can be read.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
# "Forgot your password?" mails a link: offered only where a real mail server is set up.
PASSWORD_RESET_BY_EMAIL = bool(os.environ.get("EMAIL_HOST"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "改革任务督查督办平台 <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs a line per page it lays out: progress for the render jobs, not a log.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
