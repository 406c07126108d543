"""The office's own 催办 from a task page."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tasks.forms import UrgeForm
from tasks.views.actions import request_action

from .services import task_urge


@login_required
@require_POST
def urge(request, pk: int):
    """The office's own 催办, sent at once and recorded on the task."""
    return request_action(
        request,
        pk,
        UrgeForm,
        "urge_form",
        lambda task, data: task_urge(
            task=task, by=request.user, message=data["message"], cooperating=data["cooperating"]
        ),
        gettext("催办已发送。"),
    )
