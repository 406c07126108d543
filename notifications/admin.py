from django.contrib import admin, messages
from django.utils.timezone import now

from reform_portal.admin import ReadOnlyAdmin

from .choices import DeliveryStatus
from .models import Delivery, DeliverySettings
from .services.delivery import deliveries_queue


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "recipient",
        "channel",
        "notification",
        "digest_on",
        "status",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["recipient__username", "notification__title", "last_error"]
    list_select_related = ["recipient", "notification"]
    raw_id_fields = ["recipient", "notification"]
    actions = ["send_again"]

    @admin.action(description="重新发送所选的失败消息")
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=failed).update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now())
        deliveries_queue(failed)
        self.message_user(request, f"已重新发送{len(failed)}条。", messages.SUCCESS)


@admin.register(DeliverySettings)
class DeliverySettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "webhook", "digest"]
    list_filter = ["email", "webhook", "digest"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
