"""Sign-in throttling: after too many failed passwords for an account (from anywhere),
or from one address (for any accounts), sign-in is refused for a while, even with the
right password. Failures are rows in the database, so every web process sees them and
nothing depends on Redis."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from .models import LoginFailure


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
    return (header and request.META.get(header)) or request.META.get("REMOTE_ADDR") or None


def is_locked(username: str, address: str | None) -> bool:
    per_account, per_address, window = _rule()
    since = timezone.now() - window
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username__iexact=username).count() >= per_account:
        return True
    return bool(address) and recent.filter(ip_address=address).count() >= per_address


def lock_minutes() -> int:
    return int(_rule()[2].total_seconds() // 60)


@receiver(user_login_failed)
def _record_failure(sender, credentials, request=None, **kwargs):
    LoginFailure.objects.create(username=(credentials.get("username") or "")[:150], ip_address=client_address(request))


@receiver(user_logged_in)
def _forget_failures(sender, request, user, **kwargs):
    LoginFailure.objects.filter(Q(username__iexact=user.get_username())).delete()


def failures_prune(older_than: timedelta = timedelta(days=30)) -> int:
    return LoginFailure.objects.filter(at__lt=timezone.now() - older_than).delete()[0]
