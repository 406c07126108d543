"""What the assessment pages share: the scheme as the user may see it, and refusals."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from .. import rules, selectors
from ..models import Scheme


def scheme_for(request, pk: int) -> Scheme:
    return get_object_or_404(selectors.schemes_for(request.user), pk=pk)


def require_ranking(request, scheme: Scheme) -> None:
    if not rules.can_see_ranking(request.user, scheme):
        raise PermissionDenied(gettext("考核排名在关账公布后向各部门开放。"))


def require_statement(request, department_id: int) -> None:
    if not rules.can_see_statement(request.user, department_id):
        raise Http404
