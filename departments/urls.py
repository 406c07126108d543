from django.urls import path

from .views import people

app_name = "people"

urlpatterns = [
    path("", people.person_list, name="list"),
    path("new/", people.person_new, name="new"),
    path("<int:pk>/", people.person_edit, name="edit"),
    path("<int:pk>/active/", people.person_active, name="active"),
    path("<int:pk>/password/", people.person_password, name="password"),
    path("departments/", people.department_list, name="departments"),
    path("departments/<int:pk>/active/", people.department_active, name="department_active"),
    path("departments/<int:pk>/merge/", people.department_merge, name="department_merge"),
]
