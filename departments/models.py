from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tasks.importing.text import normalize_name

from .choices import DepartmentKind, Role


class DepartmentQuerySet(models.QuerySet):
    def resolve(self, name: str):
        """The department a written name means, through its aliases and traditional forms."""
        key = normalize_name(name)
        return self.filter(aliases__key=key).distinct().first()


class Department(models.Model):
    name = models.CharField(_("全称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.GOVERNMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("启用"), default=True)
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

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["department", "role", "user__username"]
        indexes = [models.Index(fields=["department", "role"], name="membership_dept_role_idx")]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class LoginFailure(models.Model):
    """A failed sign-in, kept a while so that guessing passwords is slowed to a crawl."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.username} @ {self.ip_address}"
