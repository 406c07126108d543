from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from importer.text import normalize_name

from .choices import SUPERVISED_JURISDICTIONS, DepartmentKind, Jurisdiction, Role


class DepartmentQuerySet(models.QuerySet):
    def resolve(self, name: str):
        """The department a written name means, through its aliases and traditional forms."""
        key = normalize_name(name)
        return self.filter(aliases__key=key).distinct().first()

    def supervised(self):
        """The units the issuing office may commend, criticise, send a 督办单 and assess: its own
        level's departments and the governments below, never a higher body, a leader, the office
        itself or the offices above it (its parent 区人民政府办公室 and theirs). No query of its own:
        the office and its parents are subqueries."""
        office = Department.objects.filter(aliases__key=normalize_name(settings.PORTAL["BULLETIN"]["ISSUER"]))
        result = self.filter(jurisdiction__in=SUPERVISED_JURISDICTIONS).exclude(kind=DepartmentKind.LEADERSHIP)
        result = result.exclude(pk__in=office.values("pk"))
        for up in ("parent", "parent__parent", "parent__parent__parent"):
            # NOT IN over a NULL would exclude every row: only real parents go in.
            result = result.exclude(pk__in=office.filter(**{f"{up}__isnull": False}).values(up))
        return result


class Department(models.Model):
    name = models.CharField(_("全称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.GOVERNMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    jurisdiction = models.CharField(
        _("与本机关关系"),
        max_length=12,
        choices=Jurisdiction.choices,
        default=Jurisdiction.SAME_LEVEL,
        help_text=_("本机关只对本级部门和下级政府作表扬、批评、督办和考核；上级机关和外部单位只列为配合单位。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    # Set when the office merged this department into another that is the same unit: everything
    # it had moved there, and it stays, inactive, as the record of the name it was known by.
    merged_into = models.ForeignKey(
        "self", verbose_name=_("已并入"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    requires_head_signoff = models.BooleanField(
        _("报告须负责人签发"), default=False, help_text=_("勾选后，本部门的进展报告须经部门负责人审签后才能报送。")
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["name"]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("admin:departments_department_change", args=[self.pk])

    @property
    def short_name(self) -> str:
        """The first short name, the one documents use (区编委办), else the full name."""
        for alias in self.aliases.all():
            if alias.kind == DepartmentAlias.Kind.SHORT:
                return alias.name
        return self.name


class DepartmentAlias(models.Model):
    """Every name a department is written under, matched by its normalised key."""

    class Kind(models.TextChoices):
        FULL = "full", _("全称")
        SHORT = "short", _("简称")
        ALIAS = "alias", _("别称")

    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    # Simplified, half-width, no spaces: 區發改委 and 区发改委 share one key.
    key = models.CharField(_("匹配键"), max_length=100, unique=True, editable=False)
    # Who taught the registry this name, when and from what: an office correcting a unit in the
    # import preview adds an alias that every later import reads, so it stays on record.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True, null=True)
    source = models.CharField(_("来源"), max_length=300, blank=True, help_text=_("如“导入《…》时对应”。"))

    class Meta:
        verbose_name = _("部门名称")
        verbose_name_plural = _("部门名称")
        ordering = ["department", "kind", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = normalize_name(self.name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user's department and role; one per user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="membership"
    )
    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="members")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    # The person behind the login: pages, history and documents print the name, never the
    # login (a login like "staff2" means nothing to a reader of a bulletin).
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    mobile = models.CharField(
        _("手机"),
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^1\d{10}$", message=_("手机号码应为以1开头的11位数字。"))],
    )

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["department", "role", "user__username"]
        indexes = [models.Index(fields=["department", "role"], name="membership_dept_role_idx")]

    def __str__(self):
        return f"{display_name(self.user)} · {self.department} · {self.get_role_display()}"


def display_name(user) -> str:
    """How the portal names a person: 姓名 when the office has entered one, else the login.

    Reads `user.membership`; lists select it with the user (`select_related("…__membership")`)."""
    if user is None:
        return ""
    membership = getattr(user, "membership", None)
    return (membership.full_name if membership is not None else "") or user.get_username()


class LoginFailure(models.Model):
    """A failed sign-in, kept a while so that guessing passwords is slowed to a crawl."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True, db_index=True)
    # The browser's id when it had signed in to this account before (a signed cookie):
    # such attempts are counted for that browser alone, so strangers cannot lock its owner out.
    device = models.CharField(_("已知设备"), max_length=32, blank=True, db_index=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.username} @ {self.ip_address}"


class LoginGate(models.Model):
    """One row per account, address or known browser that tries to sign in. An attempt
    locks its rows while it counts the recent failures and records itself, so attempts
    sent at the same moment are counted one after another, not all against the same
    old count."""

    key = models.CharField(_("键"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("登录计数锁")
        verbose_name_plural = _("登录计数锁")

    def __str__(self):
        return self.key


class RegistryEvent(models.Model):
    """What the office changed in its people and departments: who, when, what before and after."""

    class Kind(models.TextChoices):
        ACCOUNT_CREATED = "account_created", _("新增账户")
        ACCOUNT_CHANGED = "account_changed", _("修改账户")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("停用账户")
        ACCOUNT_ACTIVATED = "account_activated", _("启用账户")
        PASSWORD_RESET = "password_reset", _("重置密码")
        DEPARTMENT_DEACTIVATED = "department_deactivated", _("停用部门")
        DEPARTMENT_ACTIVATED = "department_activated", _("启用部门")
        DEPARTMENT_MERGED = "department_merged", _("合并部门")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    summary = models.CharField(_("摘要"), max_length=500)
    # {field: [before, after]} or, for a merge, {table: rows moved}.
    changes = models.JSONField(_("变更"), default=dict, blank=True)

    class Meta:
        verbose_name = _("人员与部门记录")
        verbose_name_plural = _("人员与部门记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.summary
