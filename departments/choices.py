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


class Jurisdiction(models.TextChoices):
    """Where a unit stands to the office that issues documents: an office judges only its
    own level's departments (本级部门) and the governments below it (下级政府)."""

    SAME_LEVEL = "same_level", _("本级部门")
    LOWER = "lower", _("下级政府")
    HIGHER = "higher", _("上级机关")
    OUTSIDE = "outside", _("外部单位")


SUPERVISED_JURISDICTIONS = (Jurisdiction.SAME_LEVEL, Jurisdiction.LOWER)
# A 区 office's plans name city and provincial bodies as co-operating units: their names say so.
_HIGHER_PREFIXES = ("市", "省", "国家", "中央", "国务院")


def guess_jurisdiction(name: str, kind: str) -> str:
    """The registry's first guess for a new unit, which the office corrects in the admin."""
    if name.startswith(_HIGHER_PREFIXES):
        return Jurisdiction.HIGHER
    if kind == DepartmentKind.STREET:
        return Jurisdiction.LOWER
    return Jurisdiction.SAME_LEVEL


class Role(models.TextChoices):
    STAFF = "staff", _("经办人")
    HEAD = "head", _("部门负责人")
    OFFICE = "office", _("政府办/督查室")
    SUPERVISOR = "supervisor", _("督查员")
    LEADER = "leader", _("领导")


# Roles that see every department's work, not only their own.
PORTAL_WIDE_ROLES = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.LEADER})
