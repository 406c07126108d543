"""Every write to notifications, deliveries and delivery settings goes through these functions."""

from .delivery import deliveries_queue, delivery_settings_save
from .notifications import notifications_create, notifications_mark_read, notify, notify_departments, notify_office

__all__ = [
    "deliveries_queue",
    "delivery_settings_save",
    "notifications_create",
    "notifications_mark_read",
    "notify",
    "notify_departments",
    "notify_office",
]
