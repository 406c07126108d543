from rest_framework import viewsets

from reform_portal.api.pagination import NumberedPage

from ..filtersets import DepartmentFilterSet
from ..selectors import departments_with_names
from .serializers import DepartmentSerializer


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """The department registry with every name each department is written under."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    pagination_class = NumberedPage
    queryset = departments_with_names().order_by("name")
