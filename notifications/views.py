"""The inbox and where else a person's messages go: pages of the user's own rows only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from reform_portal.forms import errors_into

from . import selectors
from .forms import DeliverySettingsForm
from .models import Notification
from .services import delivery_settings_save, notifications_mark_read
from .services.delivery import deliveries_recent, delivery_settings_for


@login_required
def inbox(request):
    notifications = selectors.notifications(user=request.user)
    return render(request, "notifications/inbox.html", {"notifications": notifications})


@login_required
def inbox_open(request, notification_id: int):
    """Follow a notification to its page, marking it read (a GET that writes only the
    user's own read flag, so that a link in the inbox is all it takes)."""
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=notification_id)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(notification.url or "notifications:inbox")


@login_required
@require_POST
def inbox_read(request):
    ids = request.POST.getlist("id")
    notifications_mark_read(user=request.user, ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    if request.htmx:
        return HttpResponse("")
    return redirect("notifications:inbox")


@login_required
def delivery_settings(request):
    """Where the user's messages go besides the inbox, and how the last ones fared."""
    preference = delivery_settings_for(request.user)
    status = 200
    if request.method == "POST":
        form = DeliverySettingsForm(request.POST, instance=preference, user=request.user)
        if form.is_valid():
            try:
                delivery_settings_save(
                    user=request.user, preference=form.save(commit=False), address=form.cleaned_data["address"]
                )
                messages.success(request, gettext("消息接收设置已保存。"))
                return redirect("notifications:delivery_settings")
            except ValidationError as error:
                errors_into(form, error)
        status = 400
    else:
        form = DeliverySettingsForm(instance=preference, user=request.user)
    context = {"form": form, "recent": deliveries_recent(request.user)}
    return render(request, "notifications/delivery_settings.html", context, status=status)
