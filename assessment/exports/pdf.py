"""The ranking and a statement as official documents (GB/T 9704-2012), through the
supervision app's renderer, stylesheet and fonts."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from supervision.reports.document import chinese_date
from supervision.reports.fonts import font_css
from supervision.reports.pdf import render_pdf

from ..selectors import Row, Statement


def _context(scheme, snapshot) -> dict:
    config = settings.PORTAL["BULLETIN"]
    day = timezone.localtime(snapshot.closed_at).date() if snapshot else timezone.localdate()
    return {
        "scheme": scheme,
        "snapshot": snapshot,
        "mark": config["MARK"],
        "issuer": config["ISSUER"],
        "date": chinese_date(day),
        "font_css": font_css(),
    }


def ranking_html(scheme, rows: list[Row], classes) -> str:
    context = _context(scheme, scheme.open_snapshot) | {"rows": rows, "classes": classes}
    return render_to_string("assessment/document/ranking.html", context)


def statement_html(scheme, statement: Statement) -> str:
    context = _context(scheme, scheme.open_snapshot) | {"statement": statement}
    return render_to_string("assessment/document/statement.html", context)


def to_pdf(html: str) -> bytes:
    return render_pdf(html).data
