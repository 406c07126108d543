from django.shortcuts import get_object_or_404
from rest_framework.exceptions import NotFound

from ...models import Task


def visible_task(request, pk) -> Task:
    """A task the user may see, with its assignments (the rules read them), else 404."""
    if not str(pk).isdigit() or len(str(pk)) > 18:
        raise NotFound("任务不存在。")
    return get_object_or_404(Task.objects.visible_to(request.user).prefetch_related("assignments"), pk=pk)
