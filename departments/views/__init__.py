"""Sign-in: Django's view with the portal's throttled form, and a known-device cookie."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404

from ..forms import LoginForm
from ..throttle import DEVICE_COOKIE, DEVICE_DAYS, device_cookie


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "password_reset_by_email": settings.PASSWORD_RESET_BY_EMAIL}

    def form_valid(self, form):
        response = super().form_valid(form)
        # This browser now proves itself for this account: a stranger's guesses, which lock
        # the account, do not lock it out (departments.throttle).
        response.set_cookie(
            DEVICE_COOKIE,
            device_cookie(form.get_user().get_username()),
            max_age=DEVICE_DAYS * 86400,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


class PasswordResetAvailable:
    """ "Forgot your password?" works only where a real mail server is set up; elsewhere the
    office sets a new password on the person's page."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_BY_EMAIL:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(PasswordResetAvailable, auth_views.PasswordResetView):
    pass


class PasswordResetDoneView(PasswordResetAvailable, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(PasswordResetAvailable, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(PasswordResetAvailable, auth_views.PasswordResetCompleteView):
    pass
