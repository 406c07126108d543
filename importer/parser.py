"""Plan document text → plan metadata and a task tree. Plain Python, no Django.

    parse_plan(text, year=None, registry=None) -> ParsedPlan

The reading, in order: repair the text (injected pinyin), find the layout
(an outline numbered 一、/(一)/1./(1)/①, or a table of numbered projects with
category and score), split "一是…二是…" enumerations into items, drop guidance
chapters (总体要求, 工作要求…), then read each node's responsibility note,
deadline phrases and dated steps. Patterns run on a simplified-character copy
of each line; titles and texts keep the document's own script.
"""

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from . import deadlines as dl
from . import tables, units
from .names import Registry
from .responsibility import (
    FIRST_LEADS,
    JOINT,
    LABEL_ANYWHERE,
    LABELLED_LINE,
    SOLE,
    Responsibility,
    find_in_text,
    parse_note,
    read_clause,
)
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
    r"|发展目标|主要目标|总体情况|基本情况|存在问题|主要成效|督查目的|督查方式"
)
_ENUMERATION = re.compile(r"(?:^|(?<=[。；;：:，,]))\s*([一二三四五六七八九十])是(?=\S)")
_DECLARED_COUNT = re.compile(r"共\s*(\d+)\s*[项个条]")
_HEADING_YEAR = re.compile(r"(\d{4})年")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号$")
_TITLE_WORDS = re.compile(r"关于|方案|意见|通知|通报|规划|计划|讲话|办法|要点|安排|清单|决定|细则|分工|分解")
_ISSUER = re.compile(r"^\S{2,20}(人民政府|办公室|办公厅|委员会|管委会|局|委|办)$")
_BYLINE = re.compile(r"^(?:作者|发文机关|发文单位)\s*[:：]\s*([^|｜\s]+)")
_NUMBERED = re.compile(r"^\d{1,3}[.．、](?!\d)")
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
            "recurrence": (self.deadline.rule or None) if self.deadline else None,
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
    leaders: list[str] = field(default_factory=list)  # posts and people answerable (分管领导), never units
    inheritable: bool = True  # whether its items without a date take its deadline
    ongoing: bool = False  # 长期坚持, 持续推进: work with no end date
    unit_heading: bool = False  # its heading is a unit's name: its items without a lead answer to it
    lead_inherited: bool = False
    simple_text: str = ""  # its text in simplified characters, for the checks made after reading

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
            "lead_leader": "、".join(self.leaders) or None,
            "recurrence": (deadline.rule or None) if deadline else None,
            "ongoing": self.ongoing,
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
        if (
            len(stack) > 1
            and _written_date(line.simple)
            and stack[-1].body
            and _ISSUER.match(stack[-1].body[-1].simple)
        ):
            # The issuer and the date at a notice's foot close what comes before: they are the
            # document's own, never part of its last item.
            preamble += [stack[-1].body.pop(), line]
            del stack[1:]
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
    if not simple.endswith((")", "）", "〕", "】")):
        return line, None
    depth = 0
    for i in range(len(simple) - 1, -1, -1):
        if simple[i] in ")）〕】":
            depth += 1
        elif simple[i] in "(（〔【":
            depth -= 1
            if depth == 0:
                if i == 0:
                    return line, None
                note = _Line(_same_length_slice(line, i + 1, len(simple) - 1), simple[i + 1 : -1])
                head = _Line(_same_length_slice(line, 0, i).rstrip(), simple[:i].rstrip())
                return head, note
    return line, None


def _read_note(
    note: _Line, year: int | None, reader: "_Reader | None" = None
) -> tuple[Responsibility | None, dl.Deadline | None, str]:
    """A trailing note's parts: who answers, by when, and what proves it (in the document's script)."""
    if reader is None:
        return _read_note_once(note, year, None)
    key = (note.original, note.simple, year)
    if key not in reader.notes:  # a note is asked about more than once (is it one? then its parts)
        reader.notes[key] = _read_note_once(note, year, reader)
    return reader.notes[key]


def _read_note_once(
    note: _Line, year: int | None, reader: "_Reader | None"
) -> tuple[Responsibility | None, dl.Deadline | None, str]:
    responsibility = read_clause(
        note.simple,
        first_leads=bool(reader and reader.first_leads),
        known=reader.known if reader else None,
    )
    if responsibility is not None:
        parts = list(responsibility.rest)
    else:
        parts = [p for p in re.split(r"[。；;]", note.simple) if p.strip()]
    deadline, deliverable = None, ""
    for part in parts:
        part = part.strip()
        if responsibility is None:
            found = parse_note(part)
            if found:
                responsibility = found
                continue
        if deadline is None:
            anchor = reader.anchor if reader else None
            found = _as_printed(dl.parse_deadline(part, year, bare_year_allowed=True, anchor=anchor), note)
            if found:
                deadline = found
                # What proves it: the words after the date, to the end of its sentence.
                position = note.simple.find(part)
                simple_text = to_simplified(found.text)
                rest = ""
                if position >= 0 and simple_text in note.simple[position:]:
                    start = note.simple.find(simple_text, position) + len(simple_text)
                    stop = re.search(r"[。；;]", note.simple[start:])
                    rest = _same_length_slice(note, start, start + stop.start() if stop else len(note.simple))
                rest = rest.strip(" ,，")
                if to_simplified(rest) not in ("", "完成", "基本完成", "前完成"):
                    deliverable = rest
    return responsibility, deadline, deliverable


def _note_says_something(note: _Line, year: int | None, reader: "_Reader | None" = None) -> bool:
    responsibility, deadline, _ = _read_note(note, year, reader)
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


_NOT_A_DEADLINE_BEFORE = re.compile(r"(?:有效期|有效期限|期限为|施行|截至|截止到|截止|政策期限)[^，,。；;]{0,6}$")
_NOT_A_DEADLINE_AFTER = re.compile(
    r"(?:[^，,。；;]{0,4}(?:召开|举行|举办|印发|发布|通过|签发|起施行|起实施|起执行|开始施行|以来|期间)|至\d{4}年)"
)


_MAX_STEP = 300


def _dated_clauses(
    simple: str, original: str, year: int | None, anchor: date | None = None
) -> list[tuple[str, dl.Deadline]]:
    """Dated phrases in running text, each with the clause it opens: "6月底前制定好分中心管理制度"."""
    found = []
    # Clause and sentence boundaries, found once: looked up for every date (a long text may hold many).
    clause_marks = [m.start() for m in re.finditer(r"[,，。；;]", simple)]
    sentence_marks = [m.start() for m in re.finditer(r"[。；;]", simple)]

    def after(marks: list[int], position: int) -> int:
        index = bisect.bisect_left(marks, position)
        return marks[index] if index < len(marks) else len(simple)

    def before(position: int) -> int:
        index = bisect.bisect_left(clause_marks, position)
        return clause_marks[index - 1] if index > 0 else -1

    for start, _end, deadline in dl.find_deadlines(simple, year, anchor=anchor):
        if deadline.precision not in _STRONG_INLINE and not deadline.start and not deadline.rule:
            continue
        if _NOT_A_DEADLINE_BEFORE.search(simple[max(0, start - 8) : start]) or _NOT_A_DEADLINE_AFTER.match(
            simple, _end
        ):
            continue  # a validity period, a status date (截至…), a meeting or a signature: no deadline
        around = simple[max(0, start - 8) : _end + 8]
        if (
            not re.search(r"\d", deadline.text)
            and not deadline.rule
            and (re.search(r"每年|季度|每月|月度", around) or len(re.findall(r"年中|年末|年底|年初", around)) > 1)
        ):
            continue  # "年中指导、年末检查", "每年年底": a rhythm, not a date
        end = after(clause_marks, start)
        clause_start = start
        previous = before(start)
        if 0 < start - previous - 1 <= 20:
            clause_start = previous + 1  # "各牵头单位于2月8日前报送…": the step with its actor
        if end - start <= len(deadline.text) + 2:
            # "…，嘉定区到2025年底，50平方公里…达到…。": the date opens no clause of its own; the step
            # is the sentence around it.
            clause_start = previous + 1
            end = after(sentence_marks, start)
        source = original if len(original) == len(simple) else simple
        printed = replace(deadline, text=source[start : start + len(deadline.text)])
        end = min(end, start + _MAX_STEP)  # a step's text is a clause, never a page
        found.append((source[clause_start:end].strip(), printed))
    return found


class _Reader:
    def __init__(self, registry: Registry | None, *, first_leads: bool = False):
        self.registry = registry or Registry()
        self.counter = 0
        self.first_leads = first_leads  # "排在第一位的部门为牵头部门": the document's own rule
        self.anchor: date | None = None  # the document's own date: relative and recurring deadlines count from it
        self.script: dict[str, str] = {}  # simplified character → the document's own, where they differ
        self.notes: dict[tuple, tuple] = {}

    def known(self, raw: str) -> bool:
        return self.registry.match(raw) is not None

    def department(self, raw: str) -> Department:
        name = self.registry.match(raw)
        return Department(raw=self.printed(raw), name=name, known=name is not None)

    def printed(self, simple: str) -> str:
        """A name read on the simplified copy, in the document's own script (區發改委 in a 繁体 plan)."""
        return "".join(self.script.get(char, char) for char in simple)

    def apply_responsibility(self, task: Task, found: Responsibility) -> None:
        task.responsibility = found.clause
        task.leaders = [self.printed(leader) for leader in found.leaders]
        if found.inferred:
            task.warnings.append("识别置信度低：牵头单位由句子主语推断")
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
        if note is not None and not _note_says_something(note, year, self):
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
        task.simple_text = simple_own
        original_own = " ".join([content.original] + [line.original for line in node.body])
        if note is not None:
            responsibility, deadline, deliverable = _read_note(note, own_year, self)
            if responsibility and responsibility.listed:
                responsibility = _lead_named_in_text(responsibility, content, self)
            if responsibility:
                self.apply_responsibility(task, responsibility)
            if deadline:
                self.set_deadline(task, deadline)
                task.deliverable = deliverable
            if not responsibility and not deadline:
                simple_own += note.simple
                original_own += note.original
        if not task.responsibility:
            labelled = []
            for line in [content, *node.body]:
                if LABELLED_LINE.match(line.simple):
                    labelled.append(line.simple)
                elif inline := LABEL_ANYWHERE.search(line.simple):
                    labelled.append(line.simple[inline.start() :])  # "…。牵头单位：X；配合单位：Y"
            found = (
                read_clause("；".join(labelled), first_leads=self.first_leads, known=self.known) if labelled else None
            )
            if found:
                self.apply_responsibility(task, found)
                if task.deadline is None:
                    for part in found.rest:
                        deadline = dl.parse_deadline(part, own_year, bare_year_allowed=True, anchor=self.anchor)
                        if deadline:
                            self.set_deadline(task, deadline)
                            break
        if not task.responsibility and node.style == "duty":
            found = _duty_responsibility(content, self)
            if found:
                self.apply_responsibility(task, found)
        steps = [self.step(line, own_year) for line in node.steps]
        if steps:
            task.milestones = steps
        elif task.deadline is None:
            dated = _dated_clauses(simple_own, original_own, own_year, self.anchor)
            distinct = {d.text for _, d in dated}
            if len(dated) == 1 or len(distinct) == 1:
                self.set_deadline(task, dated[0][1])
                rest = dated[0][0][len(dated[0][1].text) :].strip()
                task.deliverable = rest
            elif len(dated) > 1:
                task.milestones = [Milestone(text, deadline) for text, deadline in dated]
        if task.deadline is not None and note is None and task.deadline.text not in content.simple:
            task.inheritable = False  # a date in the paragraph under a heading is its own, not its items'
        if task.milestones and task.deadline is None:
            dated = [m.deadline for m in task.milestones if m.deadline and m.deadline.deadline]
            if dated:
                self.set_deadline(task, max(dated, key=lambda d: d.deadline))
            elif any(m.deadline for m in task.milestones):
                self.set_deadline(task, [m.deadline for m in task.milestones if m.deadline][-1])
        heading_leader = _HEADING_LEADER.search(content.simple) if node.children else None
        if heading_leader and not task.leaders:
            task.leaders = [self.printed(heading_leader["who"] + heading_leader["post"])]
        if not task.responsibility and len(content.simple) <= 40:
            # "（三）区住建局" / "二、县发改局：": a unit as the item's heading answers for it and its items.
            heading_units = units.split_units(content.simple.rstrip("。：: "), known=self.known)[0]
            if heading_units and all(units.strong_unit(n, self.known) for n in heading_units):
                mode = JOINT if len(heading_units) > 1 else SOLE
                self.apply_responsibility(task, Responsibility(content.simple, tuple(heading_units), (), False, mode))
                task.unit_heading = True
        if not task.responsibility:
            prefer = to_simplified(task.deadline.text) if task.deadline else ""
            found = _prose_responsibility([content, *node.body], self, prefer)
            if found:
                self.apply_responsibility(task, found)
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
            deadline = _as_printed(
                dl.parse_deadline(note.simple, year, bare_year_allowed=True, anchor=self.anchor), note
            )
        if deadline is None:
            dated = _dated_clauses(line.simple, line.original, year, self.anchor)
            deadline = dated[0][1] if dated else None
            content = line
        text = content.original.rstrip("；;。 ")
        return Milestone(text=text, deadline=deadline)


# ── the whole plan ──


_CN_DATE_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0, **{c: i + 1 for i, c in enumerate("一二三四五六七八九")}}
_DATE_WRITTEN = re.compile(
    r"^(?:成文日期|发文日期|印发日期|日期)?\s*[:：]?\s*(?P<y>\d{4}|[〇○零OＯ一二三四五六七八九]{4})\s*年\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
    r"(?:\s*(?:印发|发布|签发|发))?$"
)
_CHROME = re.compile(r"当前位置|首页|>|»|简体版|繁體版|繁体版|信息无障碍|打印|字体|分享|来源\s*[:：]")


def _cn_number(written: str) -> int:
    if written.isdigit():
        return int(written)
    if len(written) == 4:  # a year written digit by digit: 二○一二
        return int("".join(str(_CN_DATE_DIGITS.get(c, 0)) for c in written))
    value = _cn_value(written)
    return value or 0


def _written_date(simple: str) -> date | None:
    """ "2021年3月21日", "二○一二年五月八日", "2012年5月8日印发", "成文日期：2022年09月14日"."""
    match = _DATE_WRITTEN.match(simple.strip())
    if not match:
        return None
    try:
        return date(_cn_number(match["y"]), _cn_number(match["m"]), _cn_number(match["d"]))
    except ValueError:
        return None


_TITLE_END = re.compile(r"(?:通知|意见|方案|规划|计划|办法|要点|清单|决定|细则|分工|分解|通报|报告)$")


def _is_title(text: str, *, ending: bool = False) -> bool:
    """A line that reads as a document's title: names its kind, no sentence punctuation, no page chrome."""
    if not text or len(text) > 80 or re.search(r"[，,。；;！!：:]", text) or _CHROME.search(text):
        return False
    if _written_date(text) or _DOC_NUMBER.match(text):
        return False
    return bool(_TITLE_END.search(text) if ending else _TITLE_WORDS.search(text))


def _metadata(plan: ParsedPlan, preamble: list[_Line], all_lines: list[_Line]) -> None:
    """Title, number, issuer and date from the document itself: its head, or its foot
    (the issuer above the date a notice is signed with)."""
    head = preamble[:15] if preamble else all_lines[:15]
    for n, line in enumerate(head):
        text = re.split(r"\s+本文简介|\s+本文内容", line.simple)[0]
        if _is_title(text):
            plan.title = _same_length_slice(line, 0, len(text)).strip()
            # A title broken over lines: "国务院关于促进综合保税区" / "高水平开放高质量发展的若干意见".
            for following in head[n + 1 : n + 3]:
                if _TITLE_END.search(to_simplified(plan.title)) or not _is_title(following.simple, ending=True):
                    break
                plan.title += following.original
            break
    for line in preamble or all_lines[:40]:
        if _DOC_NUMBER.match(line.simple) and not plan.doc_number:
            plan.doc_number = line.original
    if not plan.doc_number:
        labelled = next((i for i, line in enumerate(all_lines[:40]) if line.simple in ("文号", "发文字号")), None)
        if labelled is not None and labelled + 1 < len(all_lines):
            plan.doc_number = all_lines[labelled + 1].original
    # The signature: a date line under the issuer's name; else a labelled or lone date near the head or foot.
    candidates = [(i, line) for i, line in enumerate(all_lines) if _written_date(line.simple)]
    signed = [(i, line) for i, line in candidates if i > 0 and _ISSUER.match(all_lines[i - 1].simple)]
    near = [(i, line) for i, line in candidates if i < 40 or i >= len(all_lines) - 5]
    chosen = (signed or near or [None])[0]
    if chosen is not None:
        i, line = chosen
        plan.issued = _written_date(line.simple)
        if i > 0 and _ISSUER.match(all_lines[i - 1].simple):
            plan.issuer = all_lines[i - 1].original
    if not plan.issuer:
        for line in all_lines[-3:]:
            byline = _BYLINE.match(line.simple)
            if byline:
                plan.issuer = byline.group(1)
    if not plan.issuer:
        labelled = next(
            (
                i
                for i, line in enumerate(all_lines[:40])
                if re.match(r"^(?:发文机关|公开责任部门|发布机构)[:：]?$", line.simple)
            ),
            None,
        )
        if labelled is not None and labelled + 1 < len(all_lines):
            plan.issuer = all_lines[labelled + 1].original


def _plan_year(plan: ParsedPlan, lines: list[_Line]) -> int | None:
    """The year phrases without one are read in: the title's, the issue date's, else
    the first year the plan's deadline phrases name."""
    title_year = _HEADING_YEAR.search(to_simplified(plan.title)) if plan.title else None
    if title_year:
        return int(title_year.group(1))
    if plan.issued:
        return plan.issued.year
    number_year = re.search(r"〔(\d{4})〕", to_simplified(plan.doc_number))
    if number_year:
        return int(number_year.group(1))
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
    script = _script_of(lines)
    layout = _project_layout(lines)
    rows: list[_Node] = []
    if layout is None:
        header = tables.find_header([line.simple for line in lines])
        if header is not None:
            rows, used = _table_rows(lines[header[1] :], header[2], registry)
            if rows:
                # The text after the table's last row is read as an outline again.
                lines = lines[: header[0]] + lines[header[1] + used :]
        preamble, nodes = _outline(lines)
        for node in nodes:
            _split_enumerations(node)
        nodes += rows
    else:
        preamble, nodes = layout
    _metadata(plan, preamble, lines)
    plan.year = year if year is not None else _plan_year(plan, lines)
    reader = _Reader(registry, first_leads=any(FIRST_LEADS.search(line.simple) for line in lines))
    reader.anchor = plan.issued
    reader.script = script

    def walk(node: _Node, parent: Task | None, level: int, inherited_year: int | None) -> None:
        task = reader.task(node, parent, level, inherited_year)
        plan.tasks.append(task)
        if parent:
            parent.children.append(task)
        for child in node.children:
            walk(child, task, level + 1, task.year)

    opening = _preamble_assignments(preamble, reader)
    if opening:
        nodes = _schedule_into(opening[0], nodes)
    nodes = opening + nodes
    for node in nodes:
        _duty_lines(node, reader)
        _listed_duties(node, reader)
    for node in nodes:
        if node.style == "cn" and _GUIDANCE.search(node.content.simple[:30]):
            kept = _assigned_only(node, reader, plan.year)
            if kept is None:
                plan.warnings.append(f"已跳过“{node.number}{node.content.original[:20]}”：属工作要求等非任务内容。")
                continue
            node = kept
        walk(node, None, 1, plan.year)
    if not plan.tasks:
        raise NoTasksFound("没有识别出任何任务：请确认文档按“一、(一)1.”等编号列出任务。")
    _finish(plan)
    return plan


# "房管所负责…；" / "城运中心结合…，协同做好…": a line that opens with the unit answering for it.
_DUTY = re.compile(r"^(?P<units>[^,，。；;:：“”]{2,40}?)(?:牵头)?(?:负责|牵头|要|协同|配合)")
_DUTY_HEAD = re.compile(r"^(?P<units>[^,，。；;:：“”（(]{2,14}?(?:" + units.UNIT_SUFFIX.pattern[3:-2] + r"))")


def _duty_unit(line: _Line, reader: "_Reader", *, loose: bool) -> bool:
    match = _DUTY.match(line.simple)
    if match and all(units.looks_like_unit(n, reader.known) for n in units.split_units(match["units"])[0]):
        return True
    if loose:
        head = _DUTY_HEAD.match(line.simple)
        return bool(
            head and units.looks_like_unit(head["units"], reader.known) and not units.LEVEL.fullmatch(head["units"])
        )
    return False


def _script_of(lines: list[_Line]) -> dict[str, str]:
    """How the document writes each character its simplified copy changed (發 for 发): the most
    frequent original, from lines the conversion kept the same length."""
    seen: dict[str, Counter] = {}
    for line in lines:
        if line.original == line.simple or len(line.original) != len(line.simple):
            continue
        for simple, original in zip(line.simple, line.original, strict=True):
            if simple != original:
                seen.setdefault(simple, Counter())[original] += 1
    return {simple: counts.most_common(1)[0][0] for simple, counts in seen.items()}


def _joined_cells(cells: list[str]) -> str:
    """Lines of one column: a cell broken after 、 goes on as written; separate cells join with 、."""
    out = ""
    for cell in cells:
        out += cell if not out or out.endswith(("、", "，", ",")) else "、" + cell
    return out


def _table_rows(lines: list[_Line], columns: list[str], registry: Registry | None) -> tuple[list[_Node], int]:
    """A flattened task table's rows as nodes (the text as content, the other cells as a labelled
    note), and how many lines the table spans."""
    known = (lambda raw: registry.match(raw) is not None) if registry else None
    rows, _end = tables.read_rows([line.simple for line in lines], columns, known)
    used = 1 + max((k for row in rows for k in [*row.text, *(k for _, k in row.cells)]), default=-1)
    nodes = []
    for n, row in enumerate(rows):
        first = lines[row.text[0]]
        skip = len(row.number) if _NUMBERED.match(first.simple) else 0
        content = _Line(first.original[skip:].strip(), first.simple[skip:].strip())
        if row.name is not None:  # 项目名称 | 建设内容: the name leads the task's text, and so its title
            name = lines[row.name]
            content = _Line(f"{name.original}。{content.original}", f"{name.simple}。{content.simple}")
        parts_simple, parts_original = [], []
        for label in dict.fromkeys(label for label, _ in row.cells):
            cells = [lines[k] for lab, k in row.cells if lab == label]
            parts_simple.append(label + "：" + _joined_cells([c.simple for c in cells]))
            parts_original.append(label + "：" + _joined_cells([c.original for c in cells]))
        node = _Node("row", n + 1, row.number, content, body=[lines[k] for k in row.text[1:]])
        if parts_simple:
            node.note = _Line("；".join(parts_original), "；".join(parts_simple))
        nodes.append(node)
    return nodes, used


def _lead_named_in_text(found: Responsibility, content: _Line, reader: "_Reader") -> Responsibility:
    """Units listed as 责任单位 with no 牵头, while the item itself opens "X负责…" with one of them:
    X leads, the others co-operate."""
    match = _DUTY.match(content.simple)
    if not match or "负责" not in content.simple[match.start() : match.end() + 2]:
        return found
    named = units.split_units(match["units"], known=reader.known)[0]
    leads = [lead for lead in found.leads if any(lead.endswith(n) or n.endswith(lead) for n in named)]
    if not leads or len(leads) == len(found.leads):
        return found
    others = [lead for lead in found.leads if lead not in leads]
    return replace(found, leads=tuple(leads), cooperating=tuple(others) + found.cooperating, listed=False)


def _duty_responsibility(line: _Line, reader: "_Reader") -> Responsibility | None:
    simple = line.simple[1:] if line.simple.startswith("由") else line.simple
    match = _DUTY.match(simple) or _DUTY_HEAD.match(simple)
    if not match:
        return None
    names, open_set, _ = units.split_units(match["units"], known=reader.known)
    if not names or not all(units.looks_like_unit(n, reader.known) for n in names):
        return None
    return Responsibility(match.group(0), tuple(names), (), open_set, JOINT if len(names) > 1 else SOLE)


# "各居村、相关责任单位于6月20日前…" / "镇政府将…": a sentence whose subject is a list of units.
_SUBJECT = re.compile(
    r"^(?:由|请)?(?P<units>[^,，。；;:：“”]{2,40}?)"
    r"(?:要|应当?|将|须|需|必须|于|对|在|负责(?!人)|牵头(?!单位|部门)|统筹|会同|按照|根据|进一步|继续|提供|做好|开展|组织|完成|建立|制定|加强|加快|推进|实施|督促|积极|认真|切实|主动|及时|全面|定期)"
)
# "由镇城运中心开通账号": a unit given a step of the task.
_GIVEN = re.compile(r"由(?P<units>[^,，。；;:：“”]{2,30}?)(?:负责|承担|统筹|组织|开通|制定|牵头|实施|办理|审核|指导)")


def _cued(sentence: str, reader: "_Reader") -> Responsibility | None:
    """ "市政务服务局牵头，市大数据局、市公安局配合，9月30日前…": cue words in running text."""
    if not _CUE_WORDS.search(sentence):
        return None
    found = read_clause(sentence, first_leads=reader.first_leads, known=reader.known)
    return found if found and found.leads else None


_CUE_WORDS = re.compile(r"牵头[,，]|配合[,，]|配合$|协同[,，]|协助[,，]")


def _sentence_subject(sentence: str, reader: "_Reader", *, first_clause_only: bool = False) -> list[str]:
    """The units a sentence (or, for a name that is a unit whatever surrounds it, one of its
    clauses) opens with."""
    for n, clause in enumerate(re.split(r"[,，]", sentence)):
        if first_clause_only and n > 0:
            break
        match = _SUBJECT.match(clause.strip())
        if not match:
            continue
        names, _open_set, _ = units.split_units(match["units"], known=reader.known)
        if not names or any(units.LEVEL.fullmatch(name) or units.GENERIC.match(name) for name in names):
            continue
        if not all(units.looks_like_unit(name, reader.known) for name in names):
            continue
        if n == 0 or any(units.strong_unit(name, reader.known) for name in names):
            return names
    return []


def _prose_responsibility(lines: list[_Line], reader: "_Reader", prefer: str = "") -> Responsibility | None:
    """Who answers in running text: the first actor named (by a clause such as 由X牵头, X会同Y负责,
    X负责, or as a sentence's subject: X要…, X于…前…) leads, or the actor of the dated step when
    the task has one; the other actors named co-operate."""
    actors: list[tuple[bool, Responsibility]] = []
    given_only: list[Responsibility] = []
    for line in lines:
        for sentence in re.split(r"[。；;！!]", line.simple):
            if not sentence.strip() or len(sentence) > 600:
                continue
            dated = bool(prefer and prefer in sentence)
            found = _led_with(sentence, reader) or _cued(sentence, reader) or find_in_text(sentence)
            opening = _sentence_subject(sentence, reader, first_clause_only=True)
            if opening and (found is None or not set(opening) & set(found.leads)):
                # The unit the sentence opens with is named first: it leads, a later clause's unit
                # ("…，县应急管理局负责督导") co-operates.
                mode = JOINT if len(opening) > 1 else SOLE
                actors.append((dated, Responsibility(sentence, tuple(opening), (), False, mode, inferred=True)))
            if found is None:
                names = _sentence_subject(sentence, reader)
                if names and names != opening:
                    mode = JOINT if len(names) > 1 else SOLE
                    found = Responsibility(sentence, tuple(names), (), False, mode, inferred=True)
            if found is not None:
                actors.append((dated, found))
            for given in _GIVEN.finditer(sentence):
                names = units.split_units(given["units"], known=reader.known)[0]
                if names and all(units.strong_unit(name, reader.known) for name in names):
                    step = replace_cooperating(names)
                    actors.append((dated, step))
                    given_only.append(step)
    leading = [found for dated, found in actors if dated and found.leads]
    leading = leading or [found for _, found in actors if found.leads]
    if not leading and given_only:
        # Only units given a step ("由X统筹"): the first of them answers.
        first = given_only[0]
        leading = [replace(first, leads=first.cooperating, cooperating=(), inferred=True)]
        actors = [(False, leading[0]) if found is first else (dated, found) for dated, found in actors]
    if not leading:
        # A post leads ("由分管副县长牵头"): no unit answers, the units named co-operate.
        leading = [found for _, found in actors if found.leaders][:1]
    if not leading:
        return None
    primary = leading[0]
    cooperating = list(primary.cooperating)
    for _dated, found in actors:
        if found is primary:
            continue
        cooperating += [name for name in (*found.leads, *found.cooperating) if name not in primary.leads]
    return replace(primary, cooperating=tuple(dict.fromkeys(cooperating)))


# "…办法由市财政局会同浦东新区、奉贤区和临港地区管委会制定": led by X, with Y.
_LED_WITH = re.compile(
    r"由(?P<leads>[^,，。；;:：“”]{2,30}?)(?:牵头)?会同(?P<coops>[^,，。；;:：“”]{2,60}?)"
    r"(?:共同|一起)?(?:负责|制定|研究|组织|推进|开展|实施|落实|出台|编制|做好|进行|办理)"
)


def _led_with(sentence: str, reader: "_Reader") -> Responsibility | None:
    match = _LED_WITH.search(sentence)
    if not match:
        return None
    leads, _open, prefix = units.split_units(match["leads"], known=reader.known)
    coops, open_set, _ = units.split_units(match["coops"], prefix=prefix, known=reader.known)
    if not leads or not all(units.strong_unit(n, reader.known) for n in leads):
        return None
    coops = [n for n in coops if units.looks_like_unit(n, reader.known)]
    return Responsibility(match.group(0), tuple(leads), tuple(coops), open_set, JOINT if len(leads) > 1 else SOLE)


def replace_cooperating(names: list[str]) -> Responsibility:
    """An actor given only a step: co-operating."""
    return Responsibility("", (), tuple(names), False, SOLE)


def _duty_lines(node: _Node, reader: "_Reader") -> None:
    """A run of unnumbered lines each opening with its unit ("X负责…") under a node: each is a task."""
    for child in node.children:
        _duty_lines(child, reader)
    if node.project or len(node.body) < 3:
        return
    strict = [_duty_unit(line, reader, loose=False) for line in node.body]
    if sum(strict) < 3:
        return
    first = strict.index(True)
    last = len(strict) - 1 - strict[::-1].index(True)
    while last + 1 < len(strict) and _duty_unit(node.body[last + 1], reader, loose=True):
        last += 1
    run = [i for i in range(first, last + 1) if strict[i] or _duty_unit(node.body[i], reader, loose=True)]
    if len(run) < (last - first + 1) * 0.8:
        return
    duties = [_Node("duty", n + 1, "", node.body[i]) for n, i in enumerate(run)]
    taken = set(run)
    node.body = [line for i, line in enumerate(node.body) if i not in taken]
    node.children = duties + node.children


_LISTED_DUTY = re.compile(r"(?:^|(?<=[、，,：:]))(?:其中[,，]?)?(?:由)?(?P<units>[^、，,。；;:：]{2,20}?)负责的")


def _preamble_assignments(preamble: list[_Line], reader: "_Reader") -> list[_Node]:
    """A notice's opening paragraph that gives the work itself ("由区管委会办公室牵头，会同…组成
    督查组…进行专项督查"): an unnumbered task before the numbered ones. Only an explicit
    由X牵头 / X牵头，Y配合 counts, never a sentence's subject."""
    found = []
    for line in preamble:
        if len(line.simple) < 30 or not re.search(r"牵头", line.simple) or _written_date(line.simple):
            continue
        if re.search(r"[:：]$", line.simple) and "现将" not in line.simple and "如下" not in line.simple:
            continue  # an addressee line
        responsibility = None
        for sentence in re.split(r"[。；;]", line.simple):
            responsibility = _led_with(sentence, reader) or _cued(sentence, reader) or find_in_text(sentence)
            if (
                responsibility
                and responsibility.leads
                and all(units.strong_unit(n, reader.known) for n in responsibility.leads)
            ):
                break
            responsibility = None
        if responsibility is not None:
            found.append(_Node("preamble", len(found) + 1, "", line))
    return found


# "二、胡某某常务副市长负责主抓工作": a heading naming the leader answerable for its items.
_HEADING_LEADER = re.compile(
    r"^(?P<who>[\u4e00-\u9fff]{2,3}?)(?P<post>(?:常务)?副?(?:省|市|县|区|州|镇|乡)长|书记)(?:同志)?(?:负责|分管|牵头|主抓)"
)
_SCHEDULE = re.compile(r"(?:时间|安排|日程|步骤|进度)(?:安排)?$")


def _schedule_into(work: _Node, nodes: list[_Node]) -> list[_Node]:
    """In a notice whose opening paragraph gives the work (a 督查 announced: "由X牵头…进行专项督查"),
    its schedule chapters (督查时间, 督查安排) are that work's dated steps, not tasks of their own."""
    kept = []
    for node in nodes:
        heading = node.content.simple.rstrip("。:： ")
        if node.style == "cn" and len(heading) <= 12 and _SCHEDULE.search(heading):
            steps = [line for line in node.body if re.search(r"\d", line.simple)]
            steps += [child.content for child in node.children]
            if steps:
                work.steps += steps
                continue
        kept.append(node)
    return kept


def _listed_duties(node: _Node, reader: "_Reader") -> None:
    """ "由县民政局负责的第1件、县发改局负责的第4件…进展滞后": a sentence that lists units each with
    its own items (a 督查通报's lagging items) gives one task per unit, its text from there on."""
    for child in node.children:
        _listed_duties(child, reader)
    duties = []
    for line in node.body:
        offset = 0
        for sentence in re.split(r"(?<=[。；;])", line.simple):
            found = [
                m
                for m in _LISTED_DUTY.finditer(sentence)
                if all(units.strong_unit(n, reader.known) for n in units.split_units(m["units"])[0] or ["-"])
            ]
            if len(found) >= 2:
                for m in found:
                    start = offset + m.start() + (len(m.group(0)) - len(m.group(0).lstrip("其中,，")))
                    end = offset + len(sentence)
                    text = _Line(
                        _same_length_slice(line, start, end).strip("。；; "), line.simple[start:end].strip("。；; ")
                    )
                    duties.append(_Node("duty", len(duties) + 1, "", text))
            offset += len(sentence)
    node.children = node.children + duties


def _assigned_only(node: _Node, reader: "_Reader", year: int | None) -> _Node | None:
    """A chapter of guidance (保障措施…) keeps only its parts that assign work to units: an
    item with its responsibility clause, a run of "X负责" lines. None when it holds none."""
    if node.style == "duty":
        return node
    _content, note = _trailing_note(node.content)
    if note is not None:
        found, _deadline, _rest = _read_note(note, year, reader)
        if found and (found.leads or found.cooperating):
            return node
    if any(LABELLED_LINE.match(line.simple) or LABEL_ANYWHERE.search(line.simple) for line in node.body):
        return node  # "牵头单位：…" under the item: it assigns work
    if node.style != "cn" and not node.children:
        # "各乡镇于5月15日前报送实施方案", "每月2日前报…": a dated duty, whatever chapter it sits in.
        text = " ".join(line.simple for line in [node.content, *node.body])
        for _start, _end, deadline in dl.find_deadlines(text, year, anchor=reader.anchor):
            if deadline.precision == dl.DAY and (deadline.deadline or deadline.rule):
                return node
    children = [kept for child in node.children if (kept := _assigned_only(child, reader, year)) is not None]
    if not children:
        return None
    return replace(node, children=children, body=[])


_ONGOING = re.compile(r"长期坚持|持续推进|持续开展|常态化|长期推进|久久为功")


def _review_marks(task: Task) -> None:
    """What the preview marks for checking (标黄): a task with no lead, no deadline, or a reading
    the parser is unsure of. Units the registry does not know are already marked."""
    if task.kind != "task":
        return
    simple = task.simple_text or to_simplified(task.text or task.title)
    if (task.deadline is None or task.deadline.deadline is None) and (
        _ONGOING.search(simple) or (task.deadline is not None and task.deadline.precision == dl.SPAN)
    ):
        task.ongoing = True
    if not task.lead and not task.open_set:
        task.warnings.append("无牵头单位")
    if (task.deadline is None or task.deadline.deadline is None) and not task.ongoing:
        task.warnings.append("无完成时限")
    if any(department.raw and not units.looks_like_unit(department.raw) for department in task.lead + task.cooperating):
        task.warnings.append("识别置信度低：单位名称形式可疑")


def _finish(plan: ParsedPlan) -> None:
    """Kinds, inherited deadlines, and the plan's own warnings."""
    for task in plan.tasks:
        own_content = bool(task.text) or task.deadline or (task.responsibility and not task.unit_heading)
        own_content = own_content or task.milestones
        task.kind = "section" if task.children and not own_content else "task"
        if task.kind == "section" and task.number and _GUIDANCE.search(to_simplified(task.title)):
            task.warnings.append("该章节可能不是任务。")
    for task in plan.tasks:  # parents come first, so inheritance runs down the tree
        parent = task.parent
        if task.deadline is None and parent is not None and parent.deadline is not None and parent.inheritable:
            task.deadline = parent.deadline
            task.deadline_inherited = True
    for task in plan.tasks:  # parents first: a leader named by a heading answers for its items
        if not task.leaders and task.parent is not None and task.parent.leaders:
            task.leaders = list(task.parent.leaders)
    for task in plan.tasks:  # parents first: a unit heading's items without a lead are its
        parent = task.parent
        if not task.lead and parent is not None and parent.lead and (parent.unit_heading or parent.lead_inherited):
            task.lead, task.cooperating = list(parent.lead), list(parent.cooperating)
            task.lead_inherited = True
            task.warnings.append("牵头单位取自上级标题")
    for task in plan.tasks:
        _review_marks(task)
    if plan.year is None and any(t.deadline and t.deadline.deadline is None for t in plan.tasks):
        plan.warnings.append("文档未写明年份（或年份已隐去），时限只保留原文，请指定年度后再解析日期。")
    leads = [t for t in plan.tasks if t.kind == "task" and t.lead]
    if len(leads) > 1 and all(t.lead_mode == JOINT for t in leads):
        plan.warnings.append("所有任务都是多个牵头单位，请核对牵头与配合的划分。")
