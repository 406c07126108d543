"""Downloads: the ranking and each statement as .xlsx and as PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from .. import selectors
from ..exports import pdf, xlsx
from .common import require_ranking, require_statement, scheme_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


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
    return _download(data, f"ranking-{scheme.pk}.xlsx", XLSX)


@login_required
def ranking_pdf(request, pk: int):
    scheme = scheme_for(request, pk)
    require_ranking(request, scheme)
    rows = selectors.ranking(scheme)
    return _download(
        pdf.to_pdf(pdf.ranking_html(scheme, rows, _classes(rows))), f"ranking-{scheme.pk}.pdf", "application/pdf"
    )


@login_required
def statement_xlsx(request, pk: int, department: int):
    scheme = scheme_for(request, pk)
    require_statement(request, department)
    statement = selectors.statement(scheme, department)
    data = xlsx.statement_xlsx(f"{scheme.title} · {statement.row.name}考核明细", statement)
    return _download(data, f"statement-{scheme.pk}-{department}.xlsx", XLSX)


@login_required
def statement_pdf(request, pk: int, department: int):
    scheme = scheme_for(request, pk)
    require_statement(request, department)
    statement = selectors.statement(scheme, department)
    data = pdf.to_pdf(pdf.statement_html(scheme, statement))
    return _download(data, f"statement-{scheme.pk}-{department}.pdf", "application/pdf")
