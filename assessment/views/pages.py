"""The scheme's form, the ranking, a department's statement, closing and reopening."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from departments.permissions import department_id_of, has_role, require
from reform_portal.forms import errors_into

from .. import rules, selectors
from ..forms import ReopenForm, SchemeForm
from ..services import classes_text, period_close_request, period_reopen, scheme_save
from .common import require_ranking, require_statement, scheme_for

logger = logging.getLogger(__name__)
# Departments on one page of the ranking.
RANKING_PER_PAGE = 100


@login_required
def scheme_list(request):
    require(has_role(request.user), gettext("请先加入一个部门。"))
    schemes = list(selectors.schemes_for(request.user))
    # A department's own statement; the portal-wide roles reach every one from the ranking.
    own = None if rules.can_see_all(request.user) else department_id_of(request.user)
    rows = [
        {
            "scheme": scheme,
            "closed": scheme.open_snapshot,
            "ranking": rules.can_see_ranking(request.user, scheme),
        }
        for scheme in schemes
    ]
    return render(
        request,
        "assessment/scheme_list.html",
        {"rows": rows, "own_department": own},
    )


@login_required
def scheme_edit(request, pk: int | None = None):
    # The form is offered to the office only; scheme_save refuses anyone else for itself.
    require(rules.can_manage(request.user), gettext("只有政府办（督查室）可以设置考核方案。"))
    scheme = scheme_for(request, pk) if pk else None
    initial = {"classes": classes_text(scheme)} if scheme else {}
    form = SchemeForm(request.POST or None, instance=scheme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = scheme_save(
                scheme=scheme, data=form.instance_data, classes=form.cleaned_data["classes"], by=request.user
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, gettext("考核方案已保存。"))
            return redirect(saved)
    return render(request, "assessment/scheme_form.html", {"form": form, "scheme": scheme})


@login_required
def ranking_page(request, pk: int):
    scheme = scheme_for(request, pk)
    require_ranking(request, scheme)
    rows = selectors.ranking(scheme)
    classes = {}
    for row in rows:
        classes.setdefault(row.class_name, []).append(row)
    # A county ranks some dozens of departments: one page, each class's table below. A
    # province ranks thousands: pages of the ranking, and a class is chosen to see its own.
    chosen = request.GET.get("class", "")
    shown = classes.get(chosen, rows)
    page = Paginator(shown, RANKING_PER_PAGE).get_page(request.GET.get("page"))
    tables = sorted(classes.items()) if len(rows) <= RANKING_PER_PAGE else []
    on_page = [*page.object_list, *(row for _, members in tables for row in members)]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessment/ranking.html",
        {
            "scheme": scheme,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "class_names": sorted(classes) if len(rows) > RANKING_PER_PAGE else [],
            "chosen": chosen if chosen in classes else "",
            # A department sees the closed ranking but only its own statement: link only those.
            "linked": {
                row.department_id for row in on_page if rules.can_see_statement(request.user, row.department_id)
            },
            "classes": tables,
            "snapshot": scheme.open_snapshot,
            "ranking_visible": True,
            "history": list(scheme.snapshots.all()),
            "reopen_form": ReopenForm(),
        },
    )


@login_required
def statement_page(request, pk: int, department: int):
    scheme = scheme_for(request, pk)
    require_statement(request, department)
    statement = selectors.statement(scheme, department)
    return render(
        request,
        "assessment/statement.html",
        {
            "scheme": scheme,
            "statement": statement,
            "snapshot": scheme.open_snapshot,
            "ranking_visible": rules.can_see_ranking(request.user, scheme),
        },
    )


@login_required
@require_POST
def close(request, pk: int):
    scheme = scheme_for(request, pk)
    try:
        done = period_close_request(scheme=scheme, by=request.user)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except Exception:  # the broker is down: say so, not a 500
        logger.exception("could not queue closing scheme %s", scheme.pk)
        messages.error(request, gettext("无法提交后台关账任务，请稍后再试。"))
    else:
        if done:
            messages.success(request, gettext("已关账：本期得分和明细已存档，此后任务的变化不再影响。"))
        else:
            messages.info(request, gettext("本期任务较多，关账已交后台处理，几分钟后刷新本页即可看到存档。"))
    return redirect(scheme)


@login_required
@require_POST
def reopen(request, pk: int):
    scheme = scheme_for(request, pk)
    form = ReopenForm(request.POST)
    # The service refuses anyone but the office before it reads the reason.
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        period_reopen(scheme=scheme, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, gettext("已重新开启，原存档连同开启原因保留在记录中。"))
    return redirect(scheme)
