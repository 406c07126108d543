from django.urls import path

from .views import exports, pages

app_name = "assessment"

urlpatterns = [
    path("", pages.scheme_list, name="schemes"),
    path("new/", pages.scheme_edit, name="scheme_new"),
    path("<int:pk>/", pages.ranking_page, name="ranking"),
    path("<int:pk>/edit/", pages.scheme_edit, name="scheme_edit"),
    path("<int:pk>/close/", pages.close, name="close"),
    path("<int:pk>/reopen/", pages.reopen, name="reopen"),
    path("<int:pk>/ranking.xlsx", exports.ranking_xlsx, name="ranking_xlsx"),
    path("<int:pk>/ranking.pdf", exports.ranking_pdf, name="ranking_pdf"),
    path("<int:pk>/ranking.docx", exports.ranking_docx, name="ranking_docx"),
    path("<int:pk>/departments/<int:department>/", pages.statement_page, name="statement"),
    path("<int:pk>/departments/<int:department>.xlsx", exports.statement_xlsx, name="statement_xlsx"),
    path("<int:pk>/departments/<int:department>.pdf", exports.statement_pdf, name="statement_pdf"),
    path("<int:pk>/departments/<int:department>.docx", exports.statement_docx, name="statement_docx"),
]
