"""Task tables flattened to one cell per line (a web page or a PDF copied as text). Plain Python.

A table is found by its header: short lines naming a task column (重点工作, 工作任务, 重点内容…)
and a unit column (牵头单位, 责任单位, 配合单位…), in any order, a header cell possibly split
over two lines (市政府 / 分管领导). Its rows are then read by what each cell holds, not by
position, since empty cells vanish and long cells break over lines: a row number, the task
text, a list of units (given to the unit columns in the header's order), a leader (a post or
a person), a deadline; other cells (a category, a reference document) are set aside. "|" lines
some copies keep as cell separators are ignored. Works on simplified text.
"""

import re
from dataclasses import dataclass, field

from . import deadlines as dl
from . import units

_TASK_COLUMN = re.compile(
    r"^(?:重点|主要|具体|工作|目标|建设|实施|项目)?(?:工作|任务|内容|事项|措施|举措)(?:目标任务|任务|内容|事项|措施|名称)?$|^重点内容$|^目标任务$"
)
_UNIT_COLUMN = re.compile(r"^(?P<role>牵头|主办|配合|协办|参与|责任|协同|实施)(?:单位|部门)$")
_LEADER_COLUMN = re.compile(r"(?:分管|牵头|责任|联系)(?:市|县|区|省)?(?:政府)?(?:分管)?领导$")
_TIME_COLUMN = re.compile(r"^(?:完成)?(?:时限|时间|期限)$|^时间节点$|^进度安排$")
# A project's name beside its content (项目名称 | 建设内容): the name is the task's title.
_NAME_COLUMN = re.compile(r"^(?:项目|事项|工程)名称$")
_OTHER_COLUMN = re.compile(r"^(?:序号|编号|项目|类别|任务类型|类型|备注|参考文件|依据|成果形式|分值|指标)$")
_SEPARATOR = re.compile(r"^[|｜\s]+$")
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_NUMBERED_TEXT = re.compile(r"^(\d{1,3})[.．、](?!\d)")
_MAX_HEADER_CELL = 10


@dataclass
class Row:
    number: str
    text: list[int] = field(default_factory=list)  # indexes of the lines holding the task text
    name: int | None = None  # the line holding the project's name, where the table has a name column
    cells: list[tuple[str, int]] = field(default_factory=list)  # (column label, line index)


def _column(cell: str) -> str | None:
    if _UNIT_COLUMN.match(cell):
        return cell
    if _LEADER_COLUMN.search(cell) and len(cell) <= _MAX_HEADER_CELL:
        return "牵头领导"
    if _TIME_COLUMN.match(cell):
        return "完成时限"
    if _TASK_COLUMN.match(cell):
        return "task"
    if _NAME_COLUMN.match(cell):
        return "name"
    if _OTHER_COLUMN.match(cell):
        return "other"
    return None


def find_header(simple: list[str], start: int = 0) -> tuple[int, int, list[str]] | None:
    """The first task-table header from `start`: (first line, line after it, its columns)."""
    i = start
    while i < len(simple):
        columns, j, unknown, after = [], i, 0, i
        while j < len(simple) and (len(simple[j]) <= _MAX_HEADER_CELL or _SEPARATOR.match(simple[j])):
            cell = simple[j]
            if _SEPARATOR.match(cell):
                j += 1
                continue
            column = _column(cell)
            if column is None and j + 1 < len(simple):
                column = _column(cell + simple[j + 1])  # a header cell split over two lines
                if column is None and _column(simple[j + 1]) is not None and _LEADER_COLUMN.search(simple[j + 1]):
                    column = "skip"  # 市政府 / 分管领导: the first half of the next cell
            if column is None:
                unknown += 1
                if unknown > 1:
                    break
            else:
                if column != "skip":
                    columns.append(column)
                after = j + 1
            j += 1
        kinds = set(columns)
        if "task" in kinds and any(_UNIT_COLUMN.match(c) for c in columns) and len(columns) >= 3:
            return i, after, columns
        i = max(j, i + 1)
    return None


def _is_header_line(cell: str) -> bool:
    return len(cell) <= _MAX_HEADER_CELL and _column(cell) is not None


def _looks_like_text(cell: str) -> bool:
    if cell.startswith(("《", "“")) or cell.endswith(("》", "号）", "号)")):
        return False
    return bool(re.search(r"[。；;：:，,]", cell)) or len(cell) >= 16


def unit_cell(cell: str, known=None) -> bool:
    names = units.split_units(cell.replace("★", ""), known=known)[0]
    return bool(names) and all(units.looks_like_unit(n, known) for n in names)


def read_rows(simple: list[str], columns: list[str], known=None) -> tuple[list[Row], int]:
    """The rows of a table whose header ends before simple[0]; and how many lines it spans."""
    unit_columns = [c for c in columns if _UNIT_COLUMN.match(c)]
    rows: list[Row] = []
    pending_number = ""
    current: Row | None = None
    units_seen = 0
    early: list[tuple[str, int]] = []  # unit and leader cells of a row whose text comes later
    short: list[int] = []  # short cells after a row number: the task, when none reads as text
    i = 0
    end = len(simple)
    while i < end:
        cell = simple[i]
        if _SEPARATOR.match(cell) or _is_header_line(cell):
            i += 1
            continue
        # A cell broken over lines: a unit list ending in 、 or ， goes on.
        span = [i]
        while simple[span[-1]].endswith(("、", "，", ",")) and span[-1] + 1 < end:
            span.append(span[-1] + 1)
        joined = "".join(simple[k] for k in span)
        numbered = _NUMBERED_TEXT.match(cell)
        if _BARE_NUMBER.match(cell):
            pending_number, current, early, short, units_seen = cell, None, [], [], 0
        elif (
            (current is not None or pending_number)
            and len(cell) <= 20
            and dl.parse_deadline(cell, None, bare_year_allowed=True)
        ):
            if current is not None:
                current.cells.append(("完成时限", i))
            else:
                early.append(("完成时限", i))
        elif numbered and _looks_like_text(cell):
            current = Row(number=cell[: numbered.end()], text=[i])
            rows.append(current)
            pending_number, units_seen = "", 0
        elif (
            units.is_leader(cell, person="牵头领导" in columns)
            and not unit_cell(cell, known)
            and (current is not None or pending_number)
        ):
            if current is not None:
                current.cells.append(("牵头领导", i))
            else:
                early.append(("牵头领导", i))
        elif (current is not None or pending_number) and unit_cell(joined, known):
            if current is None and _task_before_units(columns):
                if not short:
                    short.append(i)  # a category cell that reads like a name (海绵城市): the task is still to come
                    i += 1
                    continue
                # No cell read as text: the last short cell before the units is the task.
                name = short[0] if len(short) > 1 and "name" in columns else None
                current = Row(number=pending_number, text=[short[-1]], cells=list(early), name=name)
                rows.append(current)
                pending_number, units_seen, early, short = "", 0, [], []
            label = unit_columns[units_seen] if units_seen < len(unit_columns) else unit_columns[-1]
            if current is not None:
                current.cells.extend((label, k) for k in span)
            else:
                early.extend((label, k) for k in span)
            units_seen += 1
            i = span[-1] + 1
            continue
        elif _looks_like_text(cell):
            if pending_number:
                name = short[0] if short and "name" in columns else None
                current = Row(number=pending_number, text=[i], cells=list(early), name=name)
                rows.append(current)
                units_seen = len({lab for lab, _ in early if lab not in ("牵头领导", "完成时限")})
                pending_number, early, short = "", [], []
            elif current is not None and units_seen == 0 and not current.cells:
                current.text.append(i)  # the task text goes on over lines
            else:
                current = None  # a group row (强化科技创新支撑能力。): not a task
        elif pending_number and current is None:
            if any(lab not in ("牵头领导", "完成时限") for lab, _ in early) and not _task_before_units(columns):
                # The units came first, as the header has them: this cell is the task.
                current = Row(number=pending_number, text=[i], cells=list(early))
                rows.append(current)
                units_seen = len({lab for lab, _ in early if lab not in ("牵头领导", "完成时限")})
                pending_number, early, short = "", [], []
            else:
                short.append(i)
        i += 1
    return rows, end


def _task_before_units(columns: list[str]) -> bool:
    """Whether the header puts the task column before the unit columns."""
    task = columns.index("task") if "task" in columns else len(columns)
    first_unit = next((n for n, c in enumerate(columns) if _UNIT_COLUMN.match(c)), len(columns))
    return task < first_unit
