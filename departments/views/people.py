"""The office's own people and departments, managed in the portal rather than the admin."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import MergeForm, NewPersonForm, PasswordSetForm, PersonForm
from ..models import Department, display_name
from ..permissions import require_office


def _office(request) -> None:
    require_office(request.user)


def _person(pk: int):
    return get_object_or_404(
        get_user_model().objects.select_related("membership__department"), pk=pk, membership__isnull=False
    )


@login_required
def person_list(request):
    _office(request)
    department_id = request.GET.get("department") or None
    active = {"1": True, "0": False}.get(request.GET.get("active", ""))
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "people/person_list.html",
        {
            "people": selectors.people(
                department_id=int(department_id) if str(department_id).isdigit() else None, active=active, query=query
            ),
            "departments": Department.objects.filter(is_active=True).order_by("name"),
            "chosen": {"department": department_id, "active": request.GET.get("active", ""), "q": query},
            "events": selectors.registry_events(),
        },
    )


@login_required
def person_new(request):
    _office(request)
    form = NewPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("已新增账户：%(name)s。") % {"name": display_name(user)})
            return redirect("people:list")
    context = {"form": form, "title": gettext("新增账户")}
    return render(request, "people/person_form.html", context, status=400 if form.errors else 200)


@login_required
def person_edit(request, pk: int):
    _office(request)
    user = _person(pk)
    membership = user.membership
    initial = {
        "full_name": membership.full_name,
        "title": membership.title,
        "mobile": membership.mobile,
        "email": user.email,
        "department": membership.department_id,
        "role": membership.role,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_change(by=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("已保存：%(name)s。") % {"name": display_name(user)})
            return redirect("people:list")
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": user,
            "title": gettext("修改账户：%(name)s") % {"name": display_name(user)},
            "password_form": PasswordSetForm(),
        },
        status=400 if form.errors else 200,
    )


def _switch(request, write, *, what: str, back: str):
    """Start or stop something (an account, a department) from a list's button, and say so."""
    active = request.POST.get("active") == "1"
    try:
        write(active=active)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        done = gettext("已启用%(what)s。") if active else gettext("已停用%(what)s。")
        messages.success(request, done % {"what": what})
    return redirect(back)


@login_required
@require_POST
def person_active(request, pk: int):
    _office(request)
    user = _person(pk)

    def write(*, active):
        services.account_set_active(by=request.user, user=user, active=active)

    return _switch(request, write, what=gettext("账户：%(name)s") % {"name": display_name(user)}, back="people:list")


@login_required
@require_POST
def person_password(request, pk: int):
    _office(request)
    user = _person(pk)
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            services.account_password_reset(by=request.user, user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(request, gettext("已为%(name)s设置新密码。") % {"name": display_name(user)})
            return redirect("people:edit", pk=user.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": PersonForm(initial={"full_name": user.membership.full_name}),
            "person": user,
            "title": gettext("修改账户：%(name)s") % {"name": display_name(user)},
            "password_form": form,
        },
        status=400,
    )


@login_required
def department_list(request):
    _office(request)
    return render(request, "people/department_list.html", {"departments": selectors.departments_overview()})


@login_required
@require_POST
def department_active(request, pk: int):
    _office(request)
    department = get_object_or_404(Department, pk=pk)

    def write(*, active):
        services.department_set_active(by=request.user, department=department, active=active)

    what = gettext("部门：%(name)s") % {"name": department.name}
    return _switch(request, write, what=what, back="people:departments")


@login_required
def department_merge(request, pk: int):
    _office(request)
    source = get_object_or_404(Department, pk=pk, merged_into__isnull=True)
    form = MergeForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            moved = services.department_merge(by=request.user, source=source, target=target)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = sum(moved.values())
            messages.success(
                request,
                gettext("已将“%(source)s”并入“%(target)s”，迁移%(count)s条记录。")
                % {"source": source.name, "target": target.name, "count": count},
            )
            return redirect("people:departments")
    return render(
        request, "people/department_merge.html", {"form": form, "source": source}, status=400 if form.errors else 200
    )
