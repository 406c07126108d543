from django.db.models import Prefetch

from .models import Department, DepartmentAlias


def departments_with_names():
    """Departments with their names prefetched, so `short_name` costs no query."""
    return Department.objects.prefetch_related(
        Prefetch("aliases", queryset=DepartmentAlias.objects.order_by("kind", "id"))
    )


def registry():
    """Every registered name, for the importer's matching (importer.names.Registry)."""
    from importer.names import Registry

    return Registry(DepartmentAlias.objects.values_list("name", "department__name"))


def people(*, department_id: int | None = None, active: bool | None = None, query: str = ""):
    """The portal's accounts with their department, for the office's people page."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects.filter(membership__isnull=False).select_related("membership__department")
    if department_id:
        users = users.filter(membership__department_id=department_id)
    if active is not None:
        users = users.filter(is_active=active)
    if query:
        users = users.filter(Q(username__icontains=query) | Q(membership__full_name__icontains=query))
    return users.order_by("membership__department__name", "membership__role", "membership__full_name", "username")


def departments_overview():
    """Every department with its active accounts and open lead tasks counted, merged ones last."""
    from django.db.models import Count, Q

    return (
        departments_with_names()
        .select_related("merged_into")
        .annotate(
            people=Count("members", filter=Q(members__user__is_active=True), distinct=True),
            leads=Count("assignments", filter=Q(assignments__role="lead"), distinct=True),
        )
        .order_by("merged_into", "-is_active", "name")
    )


def registry_events(limit: int = 30):
    from .models import RegistryEvent

    return RegistryEvent.objects.select_related("actor__membership")[:limit]
