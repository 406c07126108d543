"""The ranking and a statement as official documents (GB/T 9704-2012), through the
documents kit's renderer, stylesheet and fonts."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from documents.dates import chinese_date
from documents.fonts import font_css
from documents.pdf import render_pdf
from documents.titles import title_lines

from ..selectors import Row, Statement

CN_NUMBERS = "一二三四五六七八九十"


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


def ranking_title(scheme) -> str:
    """ "…考核结果", never "…考核考核结果" when the scheme's own title ends in 考核."""
    title = scheme.title
    if title.endswith("考核结果"):
        return title
    return f"{title}结果" if title.endswith("考核") else f"{title}考核结果"


def ranking_filename(scheme, extension: str) -> str:
    return f"{scheme.year}年度考核结果.{extension}"


def statement_filename(scheme, statement: Statement, extension: str) -> str:
    return f"{scheme.year}年度考核得分明细-{statement.row.name}.{extension}"


def ranking_context(scheme, rows: list[Row], classes) -> dict:
    """The ranking, and each class as its own table under a (一) heading (GB/T 9704 §7.3.3)."""
    headed = [
        (f"（{CN_NUMBERS[n]}）{name}（{len(members)}个单位）", members) for n, (name, members) in enumerate(classes)
    ]
    title = ranking_title(scheme)
    return _context(scheme, scheme.open_snapshot) | {
        "rows": rows,
        "classes": headed,
        "title": title,
        "title_lines": title_lines(title),
    }


def statement_context(scheme, statement: Statement) -> dict:
    title = f"{statement.row.name}{scheme.year}年度考核得分明细"
    return _context(scheme, scheme.open_snapshot) | {
        "statement": statement,
        "title": title,
        "title_lines": title_lines(title),
    }


def ranking_html(scheme, rows: list[Row], classes) -> str:
    return render_to_string("assessment/document/ranking.html", ranking_context(scheme, rows, classes))


def statement_html(scheme, statement: Statement) -> str:
    return render_to_string("assessment/document/statement.html", statement_context(scheme, statement))


def to_pdf(html: str) -> bytes:
    return render_pdf(html).data
