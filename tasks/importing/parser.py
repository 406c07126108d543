"""Plan document text → plan metadata and a task tree. Plain Python, no Django.

    parse_plan(text, year=None, registry=None) -> ParsedPlan

The reading, in order: repair the text (injected pinyin), find the layout
(an outline numbered 一、/(一)/1./(1)/①, or a table of numbered projects with
category and score), split "一是…二是…" enumerations into items, drop guidance
chapters (总体要求, 工作要求…), then read each node's responsibility note,
deadline phrases and dated steps. Patterns run on a simplified-character copy
of each line; titles and texts keep the document's own script.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date

from . import deadlines as dl
from .names import Registry
from .responsibility import JOINT, SOLE, Responsibility, find_in_text, parse_note
from .text import repair_injected_pinyin, to_simplified

MAX_TITLE = 60
CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Outline numbering at the start of a line, on simplified text.
_STYLES = [
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]")),
    ("pcn", re.compile(r"^[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]")),
    ("ar", re.compile(r"^(\d{1,3})\s*[、.．](?![\d.．])")),
    ("par", re.compile(r"^[(（]\s*(\d{1,3})\s*[)）]")),
    ("circ", re.compile(r"^([" + CIRCLED + r"])")),
]
# Chapters of guidance, not work: a plan's 总体要求, 工作要求, 保障措施…
_GUIDANCE = re.compile(
    r"总体要求|工作要求|工作保障|保障措施|组织保障|组织领导|指导思想|基本原则|工作目标|重要意义|统一思想|加强领导"
)
_ENUMERATION = re.compile(r"(?:^|(?<=[。；;：:，,]))\s*([一二三四五六七八九十])是(?=\S)")
_DECLARED_COUNT = re.compile(r"共\s*(\d+)\s*[项个条]")
_HEADING_YEAR = re.compile(r"(\d{4})年")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号$")
_TITLE_WORDS = re.compile(r"关于|方案|意见|通知|规划|计划|讲话|办法|要点|安排|清单|决定|细则")
_ISSUER = re.compile(r"^\S{2,20}(人民政府|办公室|办公厅|委员会|管委会|局|委|办)$")
_BYLINE = re.compile(r"^(?:作者|发文机关|发文单位)\s*[:：]\s*([^|｜\s]+)")
_BARE_INT = re.compile(r"^\d{1,3}$")
_STRONG_INLINE = {"day", "span", "month", "year", "approximate", "conditional"}


@dataclass
class Department:
    raw: str
    name: str | None
    known: bool

    def as_json(self) -> dict:
        return {"raw": self.raw, "name": self.name, "known": self.known}


@dataclass
class Milestone:
    text: str
    deadline: dl.Deadline | None

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "deadline": _iso(self.deadline.deadline if self.deadline else None),
            "deadline_text": self.deadline.text if self.deadline else "",
            "precision": self.deadline.precision if self.deadline else dl.UNKNOWN,
        }


@dataclass
class Task:
    ref: str
    level: int
    number: str
    title: str
    text: str = ""
    kind: str = "task"
    parent: "Task | None" = None
    children: list["Task"] = field(default_factory=list)
    responsibility: str = ""
    lead: list[Department] = field(default_factory=list)
    cooperating: list[Department] = field(default_factory=list)
    open_set: bool = False
    lead_mode: str = SOLE
    deadline: dl.Deadline | None = None
    deadline_inherited: bool = False
    start: date | None = None
    deliverable: str = ""
    category: str = ""
    weight: int | None = None
    milestones: list[Milestone] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    year: int | None = None  # the year its phrases resolve against

    def as_json(self) -> dict:
        deadline = self.deadline
        return {
            "ref": self.ref,
            "parent": self.parent.ref if self.parent else None,
            "level": self.level,
            "kind": self.kind,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "responsibility": self.responsibility,
            "lead": [d.as_json() for d in self.lead],
            "cooperating": [d.as_json() for d in self.cooperating],
            "open_set": self.open_set,
            "lead_mode": self.lead_mode,
            "deadline": _iso(deadline.deadline if deadline else None),
            "start": _iso(self.start or (deadline.start if deadline else None)),
            "deadline_text": deadline.text if deadline else "",
            "precision": deadline.precision if deadline else dl.UNKNOWN,
            "deadline_inherited": self.deadline_inherited,
            "deliverable": self.deliverable,
            "category": self.category,
            "weight": self.weight,
            "milestones": [m.as_json() for m in self.milestones],
            "warnings": list(self.warnings),
        }


@dataclass
class ParsedPlan:
    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    year: int | None = None
    issued: date | None = None
    tasks: list[Task] = field(default_factory=list)  # document order, parents before children
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "plan": {
                "title": self.title,
                "doc_number": self.doc_number,
                "issuer": self.issuer,
                "year": self.year,
                "issued": _iso(self.issued),
            },
            "tasks": [task.as_json() for task in self.tasks],
            "warnings": list(self.warnings),
        }


class NoTasksFound(ValueError):
    """The text holds nothing that reads as a task."""


def number_key(number: str) -> str:
    """A printed number as compared across versions and readers: "（一）" ≡ "(一)", "1．" ≡ "1."."""
    return re.sub(r"[\s()（）、.．,，:：]", "", to_simplified(number or ""))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class _Line:
    original: str
    simple: str


@dataclass
class _Node:
    """A node while the tree is being built: its numbered line and the paragraphs after it."""

    style: str
    value: int
    number: str
    content: _Line
    body: list[_Line] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    category: str = ""
    weight: int | None = None
    steps: list[_Line] = field(default_factory=list)  # project layout: the dated steps
    project: bool = False
    note: _Line | None = None  # a trailing "(…负责。…前完成)" taken off before items are split


def _as_printed(deadline: dl.Deadline | None, line: _Line) -> dl.Deadline | None:
    """The deadline with its phrase in the document's own script (預計…, not 预计…)."""
    if deadline is None:
        return None
    position = line.simple.find(deadline.text)
    if position < 0:
        return deadline
    return replace(deadline, text=_same_length_slice(line, position, position + len(deadline.text)))


def _same_length_slice(line: _Line, start: int, end: int | None = None) -> str:
    """The original-script text at positions found on the simplified copy."""
    source = line.original if len(line.original) == len(line.simple) else line.simple
    return source[start:end]


def _lines(text: str) -> list[_Line]:
    text = repair_injected_pinyin(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for raw in text.split("\n"):
        stripped = raw.strip().replace("\u3000", " ").strip()
        if stripped and stripped not in {"?", "？"}:
            lines.append(_Line(stripped, to_simplified(stripped)))
    return lines


# ── layout: numbered projects (seed 001: 类别 / 序号 / 项目 / 内容 / 步骤… / 分值) ──


def _project_layout(lines: list[_Line]) -> tuple[list[_Line], list[_Node]] | None:
    numbers = [i for i, line in enumerate(lines) if _BARE_INT.match(line.simple)]
    expected, starts = 1, []
    for i in numbers:
        following = lines[i + 1].simple if i + 1 < len(lines) else ""
        if int(lines[i].simple) == expected and following and not _BARE_INT.match(following) and len(following) <= 40:
            starts.append(i)
            expected += 1
    if len(starts) < 3:
        return None
    # A document numbered as an outline is an outline, whatever bare numbers it holds.
    outline_lines = sum(1 for line in lines if _numbering(line) and _numbering(line)[0] in ("cn", "pcn"))
    if outline_lines >= len(starts):
        return None
    weights = 0
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        weights += any(_BARE_INT.match(lines[j].simple) for j in range(i + 2, end))
    if weights < len(starts) / 2:
        return None
    preamble_end = starts[0]
    category = ""
    if preamble_end > 0 and _is_category(lines[preamble_end - 1]):
        category = lines[preamble_end - 1].original
        preamble_end -= 1
    projects = []
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[i + 2 : end]
        next_category = ""
        if block and n + 1 < len(starts) and _is_category(block[-1]):
            next_category = block.pop().original
        weight = None
        if block and _BARE_INT.match(block[-1].simple):
            weight = int(block.pop().simple)
        node = _Node("project", n + 1, lines[i].original, lines[i + 1], category=category, weight=weight, project=True)
        if block:
            node.body, node.steps = [block[0]], block[1:]
        projects.append(node)
        category = next_category or category
    return lines[:preamble_end], projects


def _is_category(line: _Line) -> bool:
    return (
        len(line.simple) <= 12
        and not _BARE_INT.match(line.simple)
        and not re.search(r"[,，。；;:：()（）]", line.simple)
    )


# ── layout: an outline ──


def _numbering(line: _Line) -> tuple[str, int, str, str] | None:
    for style, pattern in _STYLES:
        match = pattern.match(line.simple)
        if match:
            token = match.group(1)
            if style in ("cn", "pcn"):
                value = _cn_value(token)
            elif style == "circ":
                value = CIRCLED.index(token) + 1
            else:
                value = int(token)
            if value is None:
                continue
            number = _same_length_slice(line, 0, match.end()).strip()
            return style, value, number, line.simple[match.end() :]
    return None


def _cn_value(token: str) -> int | None:
    if token in CN_NUMERALS:
        return CN_NUMERALS[token]
    if token.startswith("十") and len(token) == 2 and token[1] in CN_NUMERALS:
        return 10 + CN_NUMERALS[token[1]]
    if len(token) in (2, 3) and token[1] == "十" and token[0] in CN_NUMERALS:
        tail = CN_NUMERALS.get(token[2], 0) if len(token) == 3 else 0
        return CN_NUMERALS[token[0]] * 10 + tail
    return None


def _outline(lines: list[_Line]) -> tuple[list[_Line], list[_Node]]:
    """Numbered lines become nodes: a style seen before closes the deeper lists; a
    new style opens a list under the current node. A number out of sequence
    (a "1." inside running text, a date) stays text."""
    root = _Node("root", 0, "", _Line("", ""))
    stack: list[_Node] = [root]
    last_seen: dict[str, int] = {}
    preamble: list[_Line] = []
    for line in lines:
        found = _numbering(line)
        accepted = False
        if found:
            style, value, number, rest = found
            styles = [node.style for node in stack]
            if style in styles:
                depth = styles.index(style)
                # The top level starting again at 1 is a second part (an annex, another document).
                if value == stack[depth].value + 1 or (depth == 1 and value == 1):
                    del stack[depth:]
                    accepted = True
            elif value == 1 or value == last_seen.get(style, 0) + 1:
                accepted = True
            if accepted:
                content = _Line(_same_length_slice(line, len(line.simple) - len(rest)).strip(), rest.strip())
                node = _Node(style, value, number, content)
                stack[-1].children.append(node)
                stack.append(node)
                last_seen[style] = value
                continue
        if len(stack) == 1:
            preamble.append(line)
        else:
            stack[-1].body.append(line)
    return preamble, root.children


def _split_enumerations(node: _Node) -> None:
    """ "…。一是X。…二是Y。…" inside one paragraph: the items become the node's children."""
    for child in node.children:
        _split_enumerations(child)
    if node.children or node.project:
        return
    head, note = _trailing_note(node.content)
    line = head if note is not None else node.content
    markers, expected = [], 1
    for match in _ENUMERATION.finditer(line.simple):
        if CN_NUMERALS[match.group(1)] == expected:
            markers.append(match)
            expected += 1
    if len(markers) < 2:
        return
    head_end = markers[0].start(1)
    items = []
    for n, match in enumerate(markers):
        end = markers[n + 1].start(1) if n + 1 < len(markers) else len(line.simple)
        number = match.group(1) + "是"
        segment = _Line(_same_length_slice(line, match.end(), end).strip(), line.simple[match.end() : end].strip())
        items.append(_Node("enum", n + 1, number, segment))
    node.content = _Line(_same_length_slice(line, 0, head_end).strip(), line.simple[:head_end].strip())
    node.note = note
    node.children = items


# ── reading one node ──


def _trailing_note(line: _Line) -> tuple[_Line, _Line | None]:
    """Split "…(区编委办负责。2015年12月底前完成)" into the text and the note."""
    simple = line.simple.rstrip("。;；")
    if not simple.endswith((")", "）")):
        return line, None
    depth = 0
    for i in range(len(simple) - 1, -1, -1):
        if simple[i] in ")）":
            depth += 1
        elif simple[i] in "(（":
            depth -= 1
            if depth == 0:
                if i == 0:
                    return line, None
                note = _Line(_same_length_slice(line, i + 1, len(simple) - 1), simple[i + 1 : -1])
                head = _Line(_same_length_slice(line, 0, i).rstrip(), simple[:i].rstrip())
                return head, note
    return line, None


def _read_note(note: _Line, year: int | None) -> tuple[Responsibility | None, dl.Deadline | None, str]:
    """A trailing note's parts: who answers, by when, and what proves it (in the document's script)."""
    responsibility, deadline, deliverable = None, None, ""
    offset = 0
    for part in re.split(r"([。；;])", note.simple):
        part_start, offset = offset, offset + len(part)
        part = part.strip()
        if not part or part in "。；;":
            continue
        if responsibility is None:
            found = parse_note(part)
            if found:
                responsibility = found
                continue
        if deadline is None:
            found = _as_printed(dl.parse_deadline(part, year, bare_year_allowed=True), note)
            if found:
                deadline = found
                rest_start = part_start + note.original[part_start:].find(found.text) + len(found.text)
                rest = _same_length_slice(note, rest_start, offset).strip(" ,，")
                if to_simplified(rest) not in ("", "完成", "基本完成", "前完成"):
                    deliverable = rest
    return responsibility, deadline, deliverable


def _note_says_something(note: _Line, year: int | None) -> bool:
    responsibility, deadline, _ = _read_note(note, year)
    return bool(responsibility or deadline)


def _title_of(simple: str, original: str) -> str:
    source = original if len(original) == len(simple) else simple
    end = len(simple)
    for mark in ("。", "；", ";"):
        position = simple.find(mark)
        if 0 < position < end:
            end = position
    if end > MAX_TITLE:
        comma = [m.start() for m in re.finditer(r"[,，]", simple[:end]) if m.start() >= 4]
        end = comma[0] if comma else MAX_TITLE
    return source[:end].strip().rstrip("。:：")


def _dated_clauses(simple: str, original: str, year: int | None) -> list[tuple[str, dl.Deadline]]:
    """Dated phrases in running text, each with the clause it opens: "6月底前制定好分中心管理制度"."""
    found = []
    for start, _end, deadline in dl.find_deadlines(simple, year):
        if deadline.precision not in _STRONG_INLINE and not deadline.start:
            continue
        stop = re.search(r"[,，。；;]", simple[start:])
        end = start + stop.start() if stop else len(simple)
        source = original if len(original) == len(simple) else simple
        printed = replace(deadline, text=source[start : start + len(deadline.text)])
        found.append((source[start:end].strip(), printed))
    return found


class _Reader:
    def __init__(self, registry: Registry | None):
        self.registry = registry or Registry()
        self.counter = 0

    def department(self, raw: str) -> Department:
        name = self.registry.match(raw)
        return Department(raw=raw, name=name, known=name is not None)

    def apply_responsibility(self, task: Task, found: Responsibility) -> None:
        task.responsibility = found.clause
        task.lead = [self.department(raw) for raw in found.leads]
        task.cooperating = [self.department(raw) for raw in found.cooperating]
        task.open_set = found.open_set
        task.lead_mode = found.mode
        for department in task.lead + task.cooperating:
            if not department.known:
                task.warnings.append(f"部门“{department.raw}”未在部门库中登记，确认后将新建。")

    def task(self, node: _Node, parent: Task | None, level: int, year: int | None) -> Task:
        self.counter += 1
        content, note = (node.content, node.note) if node.note else _trailing_note(node.content)
        if note is not None and not _note_says_something(note, year):
            content, note = node.content, None  # "(共3项)", "(2016年)": part of the title
        own_year = year
        heading_year = _HEADING_YEAR.search(content.simple)
        if heading_year and node.children and len(content.simple) <= 40:
            own_year = int(heading_year.group(1))
        title = _title_of(content.simple, content.original)
        body_text = "\n".join(line.original for line in node.body)
        heading = (
            note is None
            and len(content.simple) <= 40
            and (node.body or node.children)
            and "。" not in content.simple.rstrip("。")
        )
        # The task's text as printed, its note included; a bare heading's text is the paragraph under it.
        text = body_text if heading else "\n".join(filter(None, [node.content.original, body_text]))
        task = Task(
            ref=f"t{self.counter}",
            level=level,
            number=node.number,
            title=title,
            text=text,
            parent=parent,
            category=node.category,
            weight=node.weight,
            year=own_year,
        )
        simple_own = " ".join([content.simple] + [line.simple for line in node.body])
        original_own = " ".join([content.original] + [line.original for line in node.body])
        if note is not None:
            responsibility, deadline, deliverable = _read_note(note, own_year)
            if responsibility:
                self.apply_responsibility(task, responsibility)
            if deadline:
                self.set_deadline(task, deadline)
                task.deliverable = deliverable
            if not responsibility and not deadline:
                simple_own += note.simple
                original_own += note.original
        if not task.responsibility:
            found = find_in_text(simple_own)
            if found:
                self.apply_responsibility(task, found)
        steps = [self.step(line, own_year) for line in node.steps]
        if steps:
            task.milestones = steps
        elif task.deadline is None:
            dated = _dated_clauses(simple_own, original_own, own_year)
            distinct = {d.text for _, d in dated}
            if len(dated) == 1 or len(distinct) == 1:
                self.set_deadline(task, dated[0][1])
                rest = dated[0][0][len(dated[0][1].text) :].strip()
                task.deliverable = rest
            elif len(dated) > 1:
                task.milestones = [Milestone(text, deadline) for text, deadline in dated]
        if task.milestones and task.deadline is None:
            dated = [m.deadline for m in task.milestones if m.deadline and m.deadline.deadline]
            if dated:
                self.set_deadline(task, max(dated, key=lambda d: d.deadline))
            elif any(m.deadline for m in task.milestones):
                self.set_deadline(task, [m.deadline for m in task.milestones if m.deadline][-1])
        if not task.responsibility and node.steps:
            for line in node.steps:
                found = find_in_text(line.simple)
                if found:
                    self.apply_responsibility(task, found)
                    break
        declared = _DECLARED_COUNT.search(content.simple)
        if declared and node.children and int(declared.group(1)) != len(node.children):
            task.warnings.append(f"标题写明共{declared.group(1)}项，实际识别出{len(node.children)}项。")
        return task

    def set_deadline(self, task: Task, deadline: dl.Deadline) -> None:
        if deadline.deadline is None and deadline.start is not None:
            task.start = deadline.start
            return
        task.deadline = deadline
        if not deadline.year_known and deadline.deadline is None:
            task.warnings.append(f"时限“{deadline.text}”的年份不明，需人工确认日期。")
        elif not deadline.year_known:
            task.warnings.append(f"时限“{deadline.text}”的年份已隐去，按方案年度推定为{deadline.deadline.year}年。")

    def step(self, line: _Line, year: int | None) -> Milestone:
        content, note = _trailing_note(line)
        deadline = None
        if note is not None:
            deadline = _as_printed(dl.parse_deadline(note.simple, year, bare_year_allowed=True), note)
        if deadline is None:
            dated = _dated_clauses(line.simple, line.original, year)
            deadline = dated[0][1] if dated else None
            content = line
        text = content.original.rstrip("；;。 ")
        return Milestone(text=text, deadline=deadline)


# ── the whole plan ──


def _metadata(plan: ParsedPlan, preamble: list[_Line], all_lines: list[_Line]) -> None:
    if preamble:
        first = preamble[0]
        head = re.split(r"\s+本文简介|\s+本文内容", first.simple)[0]
        if _TITLE_WORDS.search(head) and len(head) <= 80 and not head.endswith((":", "：")):
            plan.title = _same_length_slice(first, 0, len(head)).strip()
    for i, line in enumerate(preamble):
        if _DOC_NUMBER.match(line.simple) and not plan.doc_number:
            plan.doc_number = line.original
        date_line = _DATE_LINE.match(line.simple)
        if date_line and not plan.issued:
            try:
                plan.issued = date(int(date_line.group(1)), int(date_line.group(2)), int(date_line.group(3)))
            except ValueError:
                plan.warnings.append(f"成文日期“{line.original}”不是有效日期。")
            if i > 0 and _ISSUER.match(preamble[i - 1].simple):
                plan.issuer = preamble[i - 1].original
    if not plan.issuer:
        for line in all_lines[-3:]:
            byline = _BYLINE.match(line.simple)
            if byline:
                plan.issuer = byline.group(1)


def _plan_year(plan: ParsedPlan, lines: list[_Line]) -> int | None:
    """The year phrases without one are read in: the title's, the issue date's, else
    the first year the plan's deadline phrases name."""
    title_year = _HEADING_YEAR.search(to_simplified(plan.title)) if plan.title else None
    if title_year:
        return int(title_year.group(1))
    if plan.issued:
        return plan.issued.year
    for line in lines:
        for _start, _end, deadline in dl.find_deadlines(line.simple, None):
            written = re.match(r"(?:预计|从|自)?(\d{4})年", deadline.text)
            if written:
                return int(written.group(1))
    return None


def describe_plan(text: str, *, year: int | None = None) -> ParsedPlan:
    """Only the plan's title, number, issuer, date and year (for the text around a ledger table)."""
    lines = _lines(text)
    preamble, _nodes = _outline(lines)
    plan = ParsedPlan()
    _metadata(plan, preamble or lines[:10], lines)
    plan.year = year if year is not None else _plan_year(plan, lines)
    return plan


def parse_plan(text: str, *, year: int | None = None, registry: Registry | None = None) -> ParsedPlan:
    """Read a plan document's text. Raises NoTasksFound when nothing reads as a task."""
    lines = _lines(text)
    plan = ParsedPlan()
    if not lines:
        raise NoTasksFound("文档中没有文字内容。")
    layout = _project_layout(lines)
    if layout is None:
        preamble, nodes = _outline(lines)
        for node in nodes:
            _split_enumerations(node)
    else:
        preamble, nodes = layout
    _metadata(plan, preamble, lines)
    plan.year = year if year is not None else _plan_year(plan, lines)
    reader = _Reader(registry)

    def walk(node: _Node, parent: Task | None, level: int, inherited_year: int | None) -> None:
        task = reader.task(node, parent, level, inherited_year)
        plan.tasks.append(task)
        if parent:
            parent.children.append(task)
        for child in node.children:
            walk(child, task, level + 1, task.year)

    for node in nodes:
        if node.style == "cn" and _GUIDANCE.search(node.content.simple[:30]):
            plan.warnings.append(f"已跳过“{node.number}{node.content.original[:20]}”：属工作要求等非任务内容。")
            continue
        walk(node, None, 1, plan.year)
    if not plan.tasks:
        raise NoTasksFound("没有识别出任何任务：请确认文档按“一、(一)1.”等编号列出任务。")
    _finish(plan)
    return plan


def _finish(plan: ParsedPlan) -> None:
    """Kinds, inherited deadlines, and the plan's own warnings."""
    for task in plan.tasks:
        own_content = bool(task.text) or task.deadline or task.responsibility or task.milestones
        task.kind = "section" if task.children and not own_content else "task"
        if task.kind == "section" and task.number and _GUIDANCE.search(to_simplified(task.title)):
            task.warnings.append("该章节可能不是任务。")
    for task in plan.tasks:  # parents come first, so inheritance runs down the tree
        parent = task.parent
        if task.deadline is None and parent is not None and parent.deadline is not None:
            task.deadline = parent.deadline
            task.deadline_inherited = True
    if plan.year is None and any(t.deadline and t.deadline.deadline is None for t in plan.tasks):
        plan.warnings.append("文档未写明年份（或年份已隐去），时限只保留原文，请指定年度后再解析日期。")
    leads = [t for t in plan.tasks if t.kind == "task" and t.lead]
    if len(leads) > 1 and all(t.lead_mode == JOINT for t in leads):
        plan.warnings.append("所有任务都是多个牵头单位，请核对牵头与配合的划分。")
