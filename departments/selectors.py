from django.db.models import Prefetch

from .models import Department, DepartmentAlias


def departments_with_names():
    """Departments with their names prefetched, so `short_name` costs no query."""
    return Department.objects.prefetch_related(
        Prefetch("aliases", queryset=DepartmentAlias.objects.order_by("kind", "id"))
    )
