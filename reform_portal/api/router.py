"""The API router: each app registers its viewsets here."""

from rest_framework.routers import DefaultRouter

from dashboard.api.views import DashboardViewSet
from departments.api.views import DepartmentViewSet
from matters.api.views import InstructionViewSet, MeetingViewSet, ProposalViewSet
from notifications.api.views import NotificationViewSet
from supervision.api.views import (
    BulletinViewSet,
    DemandViewSet,
    FindingViewSet,
    InspectionViewSet,
    NoticeViewSet,
)
from tasks.api.views.events import EventViewSet
from tasks.api.views.plans import PlanViewSet
from tasks.api.views.reports import ReportViewSet
from tasks.api.views.requests import (
    CompletionRequestViewSet,
    ExtensionRequestViewSet,
    ParticipationRequestViewSet,
)
from tasks.api.views.tasks import TaskViewSet


class IdRouter(DefaultRouter):
    """Object ids in URLs are whole numbers a bigint holds (up to 18 digits): anything else
    matches no URL and is a 404, never a lookup that overflows the database's integer."""

    def __init__(self):
        super().__init__()
        self._default_value_pattern = "[0-9]{1,18}"


router = IdRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("plans", PlanViewSet, basename="plan")
router.register("tasks", TaskViewSet, basename="task")
router.register("reports", ReportViewSet, basename="report")
router.register("extension-requests", ExtensionRequestViewSet, basename="extension-request")
router.register("completion-requests", CompletionRequestViewSet, basename="completion-request")
router.register("participation-requests", ParticipationRequestViewSet, basename="participation-request")
router.register("events", EventViewSet, basename="event")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("dashboard", DashboardViewSet, basename="dashboard")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("findings", FindingViewSet, basename="finding")
router.register("demands", DemandViewSet, basename="demand")
router.register("bulletins", BulletinViewSet, basename="bulletin")
router.register("notices", NoticeViewSet, basename="notice")
router.register("instructions", InstructionViewSet, basename="instruction")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("proposals", ProposalViewSet, basename="proposal")
