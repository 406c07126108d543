""".xlsx, through openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import warnings

from .base import MSG_BROKEN_ZIP, Document, DocumentError
from .text import LINE_BREAKS


def read_xlsx(data: bytes) -> Document:
    import openpyxl  # only spreadsheets pay for the import

    tables: list[list[list[str]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style", unknown extensions ...: noise to the uploader
            # Not read-only: a ledger merges 牵头单位 down the rows of a group, and only
            # the full reader knows the merged ranges whose value belongs to every row.
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
            try:
                for sheet in workbook.worksheets:
                    grid = [[_cell_text(value) for value in values] for values in sheet.iter_rows(values_only=True)]
                    for merged in sheet.merged_cells.ranges:
                        top, left = merged.min_row - 1, merged.min_col - 1
                        if top >= len(grid) or left >= len(grid[top]):
                            continue
                        value = grid[top][left]
                        for r in range(top, min(merged.max_row, len(grid))):
                            for c in range(left, min(merged.max_col, len(grid[r]))):
                                grid[r][c] = value
                    rows = []
                    for row in grid:
                        while row and not row[-1]:
                            row.pop()
                        if row:
                            rows.append(row)
                    if rows:
                        width = max(len(row) for row in rows)
                        tables.append([row + [""] * (width - len(row)) for row in rows])
            finally:
                workbook.close()
    except DocumentError:
        raise
    except Exception:  # openpyxl raises anything from KeyError to zlib.error on a damaged workbook
        raise DocumentError(MSG_BROKEN_ZIP) from None
    return Document(text="", tables=tables, encoding=None, kind="xlsx")


def _cell_text(value: object) -> str:
    """A cell value as the text a person sees in Excel: 15 not 15.0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"  # Excel's 15 significant digits: 0.1 + 0.2 shows as 0.3
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return LINE_BREAKS.sub("\n", str(value)).strip()
