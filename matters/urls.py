from django.urls import path

from . import views

app_name = "matters"

urlpatterns = [
    path("", views.index, name="index"),
    path("instructions/new/", views.instruction_new, name="instruction_new"),
    path("instructions/<int:pk>/", views.instruction_detail, name="instruction"),
    path("instructions/<int:pk>/document/", views.instruction_document, name="instruction_document"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
    path("proposals/<int:pk>/countersign/", views.proposal_countersign, name="proposal_countersign"),
    path("proposals/<int:pk>/send/", views.proposal_send, name="proposal_send"),
    path("proposals/<int:pk>/rate/", views.proposal_rate, name="proposal_rate"),
    path("tasks/<int:pk>/sheet/", views.assignment_sheet, name="sheet"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("rules/", views.rules_view, name="rules"),
    path("plans/source/", views.plan_source, name="plan_source"),
]
