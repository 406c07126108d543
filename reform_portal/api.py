"""The API router: each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from departments.api.views import DepartmentViewSet

router = DefaultRouter()
router.register("departments", DepartmentViewSet, basename="department")
