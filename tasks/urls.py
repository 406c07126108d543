from django.urls import path

from . import views
from .views import actions, giving_out, importing, ledger

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/acknowledge/", actions.acknowledge, name="acknowledge"),
    path("<int:pk>/report/", actions.report_form, name="report_new"),
    path("<int:pk>/report/<int:report_id>/", actions.report_form, name="report_edit"),
    path("<int:pk>/extension/", actions.extension_new, name="extension_new"),
    path("<int:pk>/completion/", actions.completion_new, name="completion_new"),
    path("<int:pk>/participation/", actions.participation_new, name="participation_new"),
    path("<int:pk>/steps/", actions.step_new, name="step_new"),
    path("<int:pk>/assign/", actions.assign, name="assign"),
    path("reports/<int:report_id>/submit/", actions.report_send, name="report_submit"),
    path("reports/<int:report_id>/decide/", actions.report_decide, name="report_decide"),
    path("requests/<str:kind>/<int:request_id>/decide/", actions.request_decide, name="request_decide"),
    path("evidence/<int:evidence_id>/", actions.evidence_download, name="evidence"),
    path("requests/completion/<int:request_id>/deliverable/", actions.deliverable_download, name="deliverable"),
    path("review/", actions.review_queue, name="review"),
    path("export/", ledger.export, name="export"),
    path("progress/", ledger.progress_upload, name="progress_upload"),
    path("progress/confirm/", ledger.progress_confirm, name="progress_confirm"),
    path("give-out/", giving_out.give_out, name="give_out"),
    path("import/", importing.import_start, name="import"),
    path("import/confirm/", importing.import_confirm, name="import_confirm"),
]
