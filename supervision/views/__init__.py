"""督查督办 pages. Each view finds objects through a selector scoped to the user (404 for
what they may not see), lets a service refuse what they may not do (403), and shows a
service's ValidationError next to the field it names."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from .. import rules, selectors


@login_required
def index(request):
    """Supervisors and the office: inspections and the demand figures; a department: its
    demands and notices; everyone signed in: the issued bulletins."""
    if not rules.can_read_bulletins(request.user):
        raise PermissionDenied(gettext("请先由管理员为您分配部门和角色。"))
    today = timezone.localdate()
    supervising = rules.can_supervise(request.user)
    context = {
        "supervising": supervising,
        "department": rules.is_department_member(request.user),
        "today": today,
        "counts": selectors.demand_counts(user=request.user, today=today),
        "inspections": list(selectors.inspections(user=request.user)[:20]) if supervising else [],
        "bulletins": list(selectors.bulletins(user=request.user)[:10]),
        "notices": list(selectors.notices(user=request.user)[:20]),
    }
    return render(request, "supervision/index.html", context)
