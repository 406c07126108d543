from types import SimpleNamespace

from . import permissions
from .permissions import membership_of


def can_flags(user) -> SimpleNamespace:
    """What the page may offer the user, so templates never test a role themselves."""
    return SimpleNamespace(
        see_dashboards=permissions.sees_everything(user),
        review=permissions.is_office(user) or permissions.is_department_member(user),
        import_plans=permissions.is_office(user),
        publish_plans=permissions.is_office(user),
        give_out=permissions.is_office(user),
        manage_people=permissions.is_office(user),
        register_matters=permissions.is_office(user),
        manage_assessment=permissions.is_office(user),
        decide_requests=permissions.is_office(user),
        upload_progress=permissions.is_department_member(user),
        supervise=permissions.is_supervising(user),
        use_portal=permissions.has_role(user),
    )


def membership(request):
    """The signed-in user's department and role, and the `can.*` flags, for the page header."""
    if not request.user.is_authenticated:
        return {"membership": None, "can": can_flags(request.user)}
    return {"membership": membership_of(request.user), "can": can_flags(request.user)}
