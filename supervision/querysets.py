"""Who may see what in supervision: one `visible_to(user)` per model, used by the
selectors, the pages and the API alike."""

from django.db import models

from departments.permissions import department_id_of, has_role, is_department_member, is_supervising

from .choices import PUBLISHED_STATUSES


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Inspections are the supervisors' and the office's working files."""
        return self if is_supervising(user) else self.none()


class FindingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if is_supervising(user) else self.none()


class BulletinQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Supervisors and the office see every bulletin; anyone else placed in the portal
        sees the issued ones (and the versions corrected since)."""
        if is_supervising(user):
            return self
        if not has_role(user):
            return self.none()
        return self.filter(status__in=PUBLISHED_STATUSES)


class DepartmentOwnedQuerySet(models.QuerySet):
    """Notices and demands: supervisors see all, a department its own, nobody else any."""

    def visible_to(self, user):
        if is_supervising(user):
            return self
        if is_department_member(user):
            return self.filter(department_id=department_id_of(user))
        return self.none()
