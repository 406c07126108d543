"""Downloads: the ranking and each statement as .xlsx, as PDF and as Word, named in Chinese."""

from django.contrib.auth.decorators import login_required

from documents.downloads import DOCX, PDF, XLSX
from documents.downloads import download as _download

from .. import selectors
from ..exports import pdf, word, xlsx
from .common import require_ranking, require_statement, scheme_for


def _classes(rows):
    grouped = {}
    for row in rows:
        grouped.setdefault(row.class_name, []).append(row)
    return sorted(grouped.items())


@login_required
def ranking_xlsx(request, pk: int):
    scheme = scheme_for(request, pk)
    require_ranking(request, scheme)
    data = xlsx.ranking_xlsx(f"{scheme.title}考核排名", selectors.ranking(scheme))
    return _download(data, pdf.ranking_filename(scheme, "xlsx"), XLSX)


@login_required
def ranking_pdf(request, pk: int):
    scheme = scheme_for(request, pk)
    require_ranking(request, scheme)
    rows = selectors.ranking(scheme)
    data = pdf.to_pdf(pdf.ranking_html(scheme, rows, _classes(rows)))
    return _download(data, pdf.ranking_filename(scheme, "pdf"), PDF)


@login_required
def ranking_docx(request, pk: int):
    scheme = scheme_for(request, pk)
    require_ranking(request, scheme)
    rows = selectors.ranking(scheme)
    return _download(word.ranking_docx(scheme, rows, _classes(rows)), pdf.ranking_filename(scheme, "docx"), DOCX)


@login_required
def statement_xlsx(request, pk: int, department: int):
    scheme = scheme_for(request, pk)
    require_statement(request, department)
    statement = selectors.statement(scheme, department)
    data = xlsx.statement_xlsx(f"{scheme.title} · {statement.row.name}考核明细", statement)
    return _download(data, pdf.statement_filename(scheme, statement, "xlsx"), XLSX)


@login_required
def statement_pdf(request, pk: int, department: int):
    scheme = scheme_for(request, pk)
    require_statement(request, department)
    statement = selectors.statement(scheme, department)
    data = pdf.to_pdf(pdf.statement_html(scheme, statement))
    return _download(data, pdf.statement_filename(scheme, statement, "pdf"), PDF)


@login_required
def statement_docx(request, pk: int, department: int):
    scheme = scheme_for(request, pk)
    require_statement(request, department)
    statement = selectors.statement(scheme, department)
    return _download(word.statement_docx(scheme, statement), pdf.statement_filename(scheme, statement, "docx"), DOCX)
