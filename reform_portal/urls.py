from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from departments.forms import AdminLoginForm, LoginForm
from reform_portal.api.router import router
from reform_portal.api.tokens import TokenView
from tasks import views as task_views
from tasks.views import dashboards, public

admin.site.site_header = _("改革任务督查督办平台")
admin.site.site_title = _("改革任务督查督办平台")
admin.site.index_title = _("管理后台")
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", task_views.home, name="root"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tasks/", include("tasks.urls")),
    path("supervision/", include("supervision.urls")),
    path("assessment/", include("assessment.urls")),
    path("dashboard/", dashboards.overview, name="dashboard"),
    path("dashboard/departments/", dashboards.departments, name="dashboard_departments"),
    path("dashboard/plans/", dashboards.plans, name="dashboard_plans"),
    path("dashboard/plans/<int:pk>/public/", public.plan_publish, name="plan_publish"),
    path("public/plans/<str:slug>/", public.public_plan, name="public_plan"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/", include(router.urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "reform_portal.api.errors.not_found"
