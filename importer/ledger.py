"""The task ledger (任务分工和进度安排表) as a table → the same ParsedPlan as a text. Plain Python.

Columns are recognised by their heading, in any order and under the names offices
use: 序号, 任务/工作内容, 牵头单位, 配合/责任单位, 完成时限, 分值, and their relatives.
"""

import re

from . import deadlines as dl
from .names import Registry
from .parser import Milestone, ParsedPlan, Task, _Reader, _title_of
from .responsibility import JOINT, SOLE, split_names
from .text import normalize_name, to_simplified

# Heading words per field, tried in order; a heading is matched after simplification.
COLUMNS: dict[str, tuple[str, ...]] = {
    # The ledger this portal exports carries each task's id, for importing progress back;
    # checked before 任务…, which its heading also starts with.
    "task_id": ("任务编号",),
    "number": ("序号", "编号", "序"),
    "category": ("类别", "分类", "类型"),
    "task": (
        "任务内容",
        "工作内容",
        "改革任务",
        "重点任务",
        "主要任务",
        "工作任务",
        "具体任务",
        "改革事项",
        "工作事项",
        "任务",
        "事项",
        "项目名称",
        "项目",
        "内容",
    ),
    "lead": ("牵头单位", "牵头部门", "主办单位", "牵头"),
    "cooperating": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "配合"),
    # 责任单位 is the lead where no column says 牵头, else the co-operating departments.
    "responsible": ("责任单位", "责任部门", "责任主体"),
    "deadline": ("完成时限", "完成时间", "时间节点", "截止时间", "时间要求", "时限", "进度安排", "时间"),
    "weight": ("分值", "权重", "分数"),
    "deliverable": ("成果形式", "预期成果", "成果"),
    "progress": ("进展情况", "完成情况", "进展"),
}
_SECTION_NUMBER = re.compile(r"^[(（]?([一二三四五六七八九十]{1,3})[)）]?[、.．]?$")
_DOTTED = re.compile(r"^\d+(?:[.．]\d+)*[.．、]?$")


def find_columns(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The header row (among the first ten) and which column holds which field."""
    for index, row in enumerate(rows[:10]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            heading = normalize_name(cell)
            if not heading or len(heading) > 12:
                continue
            for field, words in COLUMNS.items():
                if field not in found and any(heading.startswith(w) or heading == w for w in words):
                    found[field] = column
                    break
        if "task" in found and len(found) >= 2:
            if "responsible" in found:
                found.setdefault("lead" if "lead" not in found else "cooperating", found["responsible"])
                del found["responsible"]
            return index, found
    return None


def parse_ledger(rows: list[list[str]], *, year: int | None = None, registry: Registry | None = None) -> ParsedPlan:
    """Rows of a ledger sheet, header included. Raises ValueError (Chinese) without recognisable columns."""
    located = find_columns(rows)
    if located is None:
        raise ValueError("表格中没有找到“任务（工作内容）”及“牵头单位”“完成时限”等列，无法识别为任务台账。")
    header, columns = located
    reader = _Reader(registry)

    def cell(row: list[str], field: str) -> str:
        column = columns.get(field)
        return row[column].strip() if column is not None and column < len(row) else ""

    if year is None:
        # The year phrases without one are read in: the first the deadline column names.
        written = (re.search(r"(\d{4})(?:年|-\d{2}-)", cell(row, "deadline")) for row in rows[header + 1 :])
        year = next((int(match.group(1)) for match in written if match), None)
    plan = ParsedPlan(year=year)

    section: Task | None = None
    parents: dict[str, Task] = {}
    for row in rows[header + 1 :]:
        content = cell(row, "task")
        number = cell(row, "number")
        if not content:
            continue
        simple = to_simplified(content)
        lead_text, coop_text = cell(row, "lead"), cell(row, "cooperating")
        is_section = bool(_SECTION_NUMBER.match(number)) and not lead_text and not cell(row, "deadline")
        parent = None
        if is_section:
            level = 1
        elif _DOTTED.match(number) and re.match(r"^\d+[.．]\d", number):
            stem = re.split(r"[.．]", number.rstrip(".．、"))
            parent = parents.get(".".join(stem[:-1])) or section
            level = (parent.level + 1) if parent else 1
        else:
            parent = section
            level = (section.level + 1) if section else 1
        reader.counter += 1
        task = Task(
            ref=f"t{reader.counter}",
            level=level,
            number=number,
            title=_title_of(simple, content),
            text=content,
            parent=parent,
            kind="section" if is_section else "task",
            category=cell(row, "category"),
            deliverable=cell(row, "deliverable"),
            year=year,
        )
        weight = cell(row, "weight")
        if re.fullmatch(r"\d+(?:\.0+)?", weight):
            task.weight = int(float(weight))
        leads, lead_open, prefix = split_names(to_simplified(lead_text))
        coops, coop_open, _ = split_names(to_simplified(coop_text), prefix=prefix)
        task.lead = [reader.department(raw) for raw in leads]
        task.cooperating = [reader.department(raw) for raw in coops if raw not in leads]
        task.open_set = lead_open or coop_open
        task.lead_mode = JOINT if len(leads) > 1 else SOLE
        task.responsibility = "；".join(filter(None, [lead_text, coop_text]))
        for department in task.lead + task.cooperating:
            if not department.known:
                task.warnings.append(f"部门“{department.raw}”未在部门库中登记，确认后将新建。")
        _read_deadline_cell(reader, task, cell(row, "deadline"), year)
        if parent:
            parent.children.append(task)
        if is_section:
            section = task
        if number:
            parents[number.rstrip(".．、")] = task
        plan.tasks.append(task)
    if not plan.tasks:
        raise ValueError("表格中没有任务行。")
    for task in plan.tasks:
        if task.kind == "section" and task.parent is None and not task.children:
            task.kind = "task"
    return plan


def _read_deadline_cell(reader: _Reader, task: Task, written: str, year: int | None) -> None:
    """A deadline cell holds a phrase, a date, or several dated steps (one per line)."""
    if not written:
        return
    simple = to_simplified(written)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", simple):
        simple = "{}年{}月{}日".format(*map(int, simple.split("-")))
    steps = [line for line in re.split(r"[\n；;]", simple) if line.strip()]
    if len(steps) > 1:
        task.milestones = [
            Milestone(step.strip(), dl.parse_deadline(step, year, bare_year_allowed=True)) for step in steps
        ]
        dated = [m.deadline for m in task.milestones if m.deadline and m.deadline.deadline]
        if dated:
            reader.set_deadline(task, max(dated, key=lambda d: d.deadline))
        return
    deadline = dl.parse_deadline(simple, year, bare_year_allowed=True)
    if deadline is None:
        found = dl.find_deadlines(simple, year, anchored=True)
        deadline = found[0][2] if found else None
    if deadline:
        reader.set_deadline(task, deadline)
    else:
        task.warnings.append(f"无法识别完成时限“{written}”。")
