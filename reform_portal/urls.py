from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from departments import views as account_views
from departments.forms import AdminLoginForm
from departments.views import LoginView
from reform_portal.api.router import router
from reform_portal.api.tokens import TokenView
from tasks import views as task_views

admin.site.site_header = _("改革任务督查督办平台")
admin.site.site_title = _("改革任务督查督办平台")
admin.site.index_title = _("管理后台")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", task_views.home, name="root"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("people/", include("departments.urls")),
    path("tasks/inbox/", include("notifications.urls")),
    path("tasks/", include("tasks.urls")),
    path("tasks/", include("reminders.urls")),
    path("supervision/", include("supervision.urls")),
    path("assessment/", include("assessment.urls")),
    path("matters/", include("matters.urls")),
    path("", include("dashboard.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/", include(router.urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "reform_portal.api.errors.permission_denied"
handler404 = "reform_portal.api.errors.not_found"
