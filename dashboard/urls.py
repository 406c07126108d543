from django.urls import path

from .views import dashboards, public

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", dashboards.overview, name="overview"),
    path("dashboard/departments/", dashboards.departments, name="departments"),
    path("dashboard/plans/", dashboards.plans, name="plans"),
    path("dashboard/plans/<int:pk>/public/", public.plan_publish, name="plan_publish"),
    path("public/plans/<str:slug>/", public.public_plan, name="public_plan"),
]
