"""An uploaded file or pasted text → a ParsedPlan, or a DocumentError in Chinese. Plain Python."""

from .ledger import find_columns, parse_ledger
from .names import Registry
from .parser import NoTasksFound, ParsedPlan, describe_plan, parse_plan
from .readers import Document, DocumentError, read_document
from .simplify import simplify_document

__all__ = ["DocumentError", "parse_document", "parse_read_document"]

SIMPLIFIED_WARNING = "已将繁体字转换为简体字；原文按上传时的繁体保存。"


def parse_document(
    data: bytes, filename: str, *, year: int | None = None, registry: Registry | None = None, simplify: bool = False
) -> ParsedPlan:
    """Read the file and its tasks. A spreadsheet, or a document holding a ledger
    table, is read as the ledger; any other text as a plan. simplify: convert 繁体 to 简体 before parsing."""
    return parse_read_document(read_document(data, filename), year=year, registry=registry, simplify=simplify)


def parse_read_document(
    document: Document, *, year: int | None = None, registry: Registry | None = None, simplify: bool = False
) -> ParsedPlan:
    """The tasks of a document read already: callers that also keep the document's text as the source read it
    once (converting a .doc through LibreOffice takes a second or more)."""
    if simplify:
        document = simplify_document(document)
    plan = _parse(document, year=year, registry=registry)
    if simplify:
        plan.warnings.insert(0, SIMPLIFIED_WARNING)
    return plan


def _parse(document: Document, *, year: int | None, registry: Registry | None) -> ParsedPlan:
    ledger = next((table for table in document.tables if find_columns(table)), None)
    try:
        if ledger is not None:
            described = _described(document.text, year)
            plan = parse_ledger(ledger, year=year or (described.year if described else None), registry=registry)
            if described:
                plan.title, plan.doc_number = described.title, described.doc_number
                plan.issuer, plan.issued = described.issuer, described.issued
            return plan
        if document.kind in ("xlsx", "csv"):
            raise DocumentError("表格中没有找到“任务（工作内容）”及“牵头单位”“完成时限”等列，无法识别为任务台账。")
        return parse_plan(document.text, year=year, registry=registry)
    except NoTasksFound as error:
        raise DocumentError(str(error)) from error
    except ValueError as error:
        if isinstance(error, DocumentError):
            raise
        raise DocumentError(str(error)) from error


def _described(text: str, year: int | None) -> ParsedPlan | None:
    """Title, number, issuer, date and year from the text around a ledger table."""
    return describe_plan(text, year=year) if text.strip() else None
