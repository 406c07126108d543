from django.db.models import Prefetch

from .models import Department, DepartmentAlias


def departments_with_names():
    """Departments with their names prefetched, so `short_name` costs no query."""
    return Department.objects.prefetch_related(
        Prefetch("aliases", queryset=DepartmentAlias.objects.order_by("kind", "id"))
    )


def registry():
    """Every registered name, for the importer's matching (tasks.importing.names.Registry)."""
    from tasks.importing.names import Registry

    return Registry(DepartmentAlias.objects.values_list("name", "department__name"))
