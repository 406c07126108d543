from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.inbox_read, name="inbox_read"),
    path("settings/", views.delivery_settings, name="delivery_settings"),
    path("<int:notification_id>/", views.inbox_open, name="inbox_open"),
]
