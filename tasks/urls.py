from django.urls import path

from . import views
from .views import importing

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("import/", importing.import_start, name="import"),
    path("import/confirm/", importing.import_confirm, name="import_confirm"),
]
