"""Sign-in throttling: after too many failed passwords for an account (from anywhere),
or from one address (for any accounts), sign-in is refused for a while, even with the
right password. Failures are rows in the database, so every web process sees them and
nothing depends on Redis.

Each attempt is counted *before* its password is checked, under a row lock
(`attempt_begin`): twelve guesses sent at the same moment are counted one after another,
and only as many are checked as the limit allows. A browser that signed in to the account
before carries a signed cookie (a known device): its attempts are counted for it alone,
so the owner is not locked out by a stranger's guesses nor by a busy address (NAT)."""

import ipaddress
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from .models import LoginFailure, LoginGate

DEVICE_COOKIE = "portal_device"
DEVICE_SALT = "departments.throttle.device"
DEVICE_DAYS = 180
_ATTEMPT = "_portal_login_attempt"  # the request's attempt row, recorded in advance


def _rule() -> tuple[int, int, timedelta]:
    portal = settings.PORTAL
    return (
        portal.get("LOGIN_FAILURES_PER_ACCOUNT", 5),
        portal.get("LOGIN_FAILURES_PER_ADDRESS", 20),
        timedelta(minutes=portal.get("LOGIN_LOCK_MINUTES", 15)),
    )


def client_address(request) -> str | None:
    """The client's address. Behind a reverse proxy REMOTE_ADDR is the proxy's; set
    PORTAL_CLIENT_IP_HEADER (e.g. HTTP_X_REAL_IP) to the header the proxy writes, and
    only then is that header believed."""
    if request is None:
        return None
    header = settings.PORTAL.get("CLIENT_IP_HEADER")
    for candidate in ((header and request.META.get(header)) or "", request.META.get("REMOTE_ADDR") or ""):
        try:  # a header holding anything but one address (a list, text) is not believed
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return None


def known_device(request, username: str) -> str:
    """This browser's id if it signed in to this account before, else ""."""
    raw = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not raw:
        return ""
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return ""
    if not isinstance(value, dict) or str(value.get("u", "")).lower() != username.lower():
        return ""
    return str(value.get("d", ""))[:32]


def device_cookie(username: str) -> str:
    return signing.dumps({"u": username.lower(), "d": secrets.token_hex(16)}, salt=DEVICE_SALT)


def _locked(recent, username: str, address: str | None, device: str) -> bool:
    per_account, per_address, _ = _rule()
    if device:
        return recent.filter(device=device).count() >= per_account
    if recent.filter(username__iexact=username).count() >= per_account:
        return True
    return bool(address) and recent.filter(ip_address=address, device="").count() >= per_address


def is_locked(username: str, address: str | None, device: str = "") -> bool:
    return _locked(LoginFailure.objects.filter(at__gte=timezone.now() - _rule()[2]), username, address, device)


def attempt_begin(username: str, request) -> bool:
    """Count this attempt before its password is checked: False (locked, nothing checked)
    or True, with the attempt recorded as a failure until `attempt_succeeded` says not."""
    address = client_address(request)
    device = known_device(request, username)
    keys = {f"d:{device}"} if device else {f"u:{username.lower()}"[:200]} | ({f"a:{address}"} if address else set())
    with transaction.atomic():
        for key in sorted(keys):
            LoginGate.objects.get_or_create(key=key)
        list(LoginGate.objects.select_for_update().filter(key__in=keys).order_by("key"))
        if is_locked(username, address, device):
            return False
        attempt = LoginFailure.objects.create(username=username[:150], ip_address=address, device=device)
    if request is not None:
        setattr(request, _ATTEMPT, attempt.pk)
    return True


def attempt_succeeded(request) -> None:
    """The password was right: the attempt recorded in advance was no failure."""
    pk = getattr(request, _ATTEMPT, None)
    if pk:
        LoginFailure.objects.filter(pk=pk).delete()


def lock_minutes() -> int:
    return int(_rule()[2].total_seconds() // 60)


@receiver(user_login_failed)
def _record_failure(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, _ATTEMPT, None):
        return  # recorded in advance by attempt_begin
    LoginFailure.objects.create(username=(credentials.get("username") or "")[:150], ip_address=client_address(request))


@receiver(user_logged_in)
def _forget_failures(sender, request, user, **kwargs):
    LoginFailure.objects.filter(Q(username__iexact=user.get_username())).delete()


def failures_prune(older_than: timedelta = timedelta(days=30)) -> int:
    return LoginFailure.objects.filter(at__lt=timezone.now() - older_than).delete()[0]
