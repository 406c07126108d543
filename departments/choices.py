from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("政府工作部门")
    PARTY = "party", _("党委部门")
    INSTITUTION = "institution", _("事业单位/中心")
    VERTICAL = "vertical", _("垂直管理部门")
    STREET = "street", _("街道/乡镇")
    COORDINATION = "coordination", _("议事协调机构")
    LEADERSHIP = "leadership", _("政府领导")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    STAFF = "staff", _("经办人")
    HEAD = "head", _("部门负责人")
    OFFICE = "office", _("政府办/督查室")
    SUPERVISOR = "supervisor", _("督查员")
    LEADER = "leader", _("领导")


# Roles that see every department's work, not only their own.
PORTAL_WIDE_ROLES = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.LEADER})
