"""Who may do what in assessment (考核): the office sets schemes and closes periods; the
portal-wide roles see every ranking and statement; a department sees its own statement,
and the ranking once the period is closed. Who may see which schemes is
Scheme.objects.visible_to(user)."""

from departments.permissions import department_id_of, has_role, is_department_member, is_office, sees_everything


def can_manage(user) -> bool:
    """Set a scheme, close (关账) and reopen a period."""
    return is_office(user)


def can_see_all(user) -> bool:
    return sees_everything(user)


def can_see_ranking(user, scheme) -> bool:
    """The office, supervisors and leadership always; departments once the period is closed."""
    if can_see_all(user):
        return True
    return is_department_member(user) and scheme.open_snapshot is not None


def can_see_statement(user, department_id: int) -> bool:
    return can_see_all(user) or (has_role(user) and department_id_of(user) == department_id)
