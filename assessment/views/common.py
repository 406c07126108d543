"""What the assessment pages share: the scheme as the user may see it, and refusals."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from departments.permissions import is_office

from .. import selectors
from ..models import Scheme


def scheme_for(request, pk: int) -> Scheme:
    return get_object_or_404(selectors.schemes_for(request.user), pk=pk)


def require_ranking(request, scheme: Scheme) -> None:
    if not selectors.can_see_ranking(request.user, scheme):
        raise PermissionDenied("考核排名在关账公布后向各部门开放。")


def require_statement(request, department_id: int) -> None:
    if not selectors.can_see_statement(request.user, department_id):
        raise Http404


def require_office(request) -> None:
    if not is_office(request.user):
        raise PermissionDenied("只有政府办（督查室）可以设置和关账考核。")
