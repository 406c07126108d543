from django.urls import path

from . import views
from .views import bulletins, demands, inspections

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("inspections/", inspections.inspection_list, name="inspections"),
    path("inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/confirm-all/", inspections.confirm_all, name="confirm_all"),
    path("inspections/<int:pk>/notices/", inspections.notices_new, name="notices_new"),
    path("inspections/<int:pk>/bulletin/", inspections.bulletin_new, name="bulletin_new"),
    path("findings/<int:pk>/", inspections.finding_detail, name="finding"),
    path("findings/<int:pk>/evidence/", inspections.evidence_upload, name="evidence_upload"),
    path("findings/<int:pk>/demand/", inspections.demand_new, name="demand_new"),
    path("evidence/<int:pk>/", inspections.evidence_download, name="evidence"),
    path("demands/", demands.demand_list, name="demands"),
    path("demands/<int:pk>/", demands.demand_detail, name="demand"),
    path("demands/<int:pk>/report/", demands.demand_report_view, name="demand_report"),
    path("demands/<int:pk>/decide/", demands.demand_decide, name="demand_decide"),
    path("demands/files/<int:pk>/", demands.demand_file, name="demand_file"),
    path("notices/", demands.notice_list, name="notices"),
    path("notices/<int:pk>/", demands.notice_detail, name="notice"),
    path("notices/<int:pk>/respond/", demands.notice_respond_view, name="notice_respond"),
    path("notices/files/<int:pk>/", demands.notice_file, name="notice_file"),
    path("bulletins/", bulletins.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", bulletins.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/document/", bulletins.bulletin_document, name="bulletin_document"),
    path("bulletins/<int:pk>/pdf/", bulletins.bulletin_pdf, name="bulletin_pdf"),
    path("bulletins/<int:pk>/docx/", bulletins.bulletin_docx_view, name="bulletin_docx"),
    path("bulletins/<int:pk>/render/", bulletins.bulletin_render, name="bulletin_render"),
    path("bulletins/<int:pk>/rules/", bulletins.bulletin_rules, name="bulletin_rules"),
    path("bulletins/<int:pk>/issue/", bulletins.bulletin_issue_view, name="bulletin_issue"),
    path("bulletins/<int:pk>/read/", bulletins.bulletin_read_view, name="bulletin_read"),
    path("bulletins/<int:pk>/remind/", bulletins.bulletin_remind_view, name="bulletin_remind"),
    path("bulletins/<int:pk>/correct/", bulletins.bulletin_correct_view, name="bulletin_correct"),
    path("jobs/<int:pk>/", bulletins.job_detail, name="job"),
    path("jobs/<int:pk>/file/", bulletins.job_file, name="job_file"),
]
