"""Score a parse against a hand-read reference (fixtures/plans/*.yaml). Plain Python.

Per field: tasks found (recall, precision), lead departments exact, co-operating
departments F1, deadline date exact, milestones found. Nodes are paired by their
path of printed numbers ("二、/(二)") and a title that one side's text contains.
"""

import re
from dataclasses import dataclass, field

from .names import Registry
from .parser import ParsedPlan, Task, number_key
from .text import to_simplified

_PUNCTUATION = re.compile(r"[\s,，。；;:：、()（）“”\"'‘’《》〈〉!！?？·\-—]")


def _norm(text: str) -> str:
    return _PUNCTUATION.sub("", to_simplified(text or ""))


def _number(number: str) -> str:
    return number_key(str(number))


@dataclass
class Score:
    hit: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.hit / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.hit += ok
        self.total += 1


@dataclass
class Report:
    recall: Score = field(default_factory=Score)  # reference nodes found
    precision: Score = field(default_factory=Score)  # parsed nodes that are real
    leads: Score = field(default_factory=Score)
    coop_tp: int = 0
    coop_fp: int = 0
    coop_fn: int = 0
    deadline: Score = field(default_factory=Score)
    milestones: Score = field(default_factory=Score)
    misses: list[str] = field(default_factory=list)

    @property
    def coop_f1(self) -> float:
        if not (self.coop_tp + self.coop_fp + self.coop_fn):
            return 1.0
        return 2 * self.coop_tp / (2 * self.coop_tp + self.coop_fp + self.coop_fn)

    def merge(self, other: "Report") -> None:
        for name in ("recall", "precision", "leads", "deadline", "milestones"):
            mine, theirs = getattr(self, name), getattr(other, name)
            mine.hit += theirs.hit
            mine.total += theirs.total
        self.coop_tp += other.coop_tp
        self.coop_fp += other.coop_fp
        self.coop_fn += other.coop_fn
        self.misses += other.misses

    def counts(self) -> list[str]:
        coop = self.coop_tp + self.coop_fn
        return [
            f"{self.recall.hit}/{self.recall.total}",
            f"{self.precision.hit}/{self.precision.total}",
            f"{self.leads.hit}/{self.leads.total}",
            f"{self.coop_tp}/{coop} (+{self.coop_fp})",
            f"{self.deadline.hit}/{self.deadline.total}",
            f"{self.milestones.hit}/{self.milestones.total}",
        ]

    def row(self) -> dict[str, float]:
        return {
            "tasks recall": self.recall.value,
            "tasks precision": self.precision.value,
            "lead exact": self.leads.value,
            "co-operating F1": self.coop_f1,
            "deadline exact": self.deadline.value,
            "milestones found": self.milestones.value,
        }


def _reference_nodes(nodes: list[dict], path: tuple = ()) -> list[tuple[tuple, dict]]:
    found = []
    for node in nodes:
        own = path + (_number(node.get("number", "")),)
        found.append((own, node))
        found += _reference_nodes(node.get("children", []), own)
    return found


def _parsed_path(task: Task) -> tuple:
    path = []
    while task is not None:
        path.append(_number(task.number))
        task = task.parent
    return tuple(reversed(path))


def _same(reference: dict, parsed: Task) -> bool:
    ref_title, ref_all = _norm(reference["title"]), _norm(reference["title"] + reference.get("text", ""))
    got_title, got_all = _norm(parsed.title), _norm(parsed.title + parsed.text)
    return bool(ref_title and got_title) and (ref_title[:12] in got_all or got_title[:12] in ref_all)


def _names(raw_names: list[str], registry: Registry) -> set[str]:
    return {registry.match(name) or name for name in raw_names}


def score(reference: dict, parsed: ParsedPlan, registry: Registry) -> Report:
    report = Report()
    by_path: dict[tuple, Task] = {}
    for task in parsed.tasks:
        by_path.setdefault(_parsed_path(task), task)
    matched_parsed = set()
    for path, node in _reference_nodes(reference["tasks"]):
        task = by_path.get(path)
        ok = task is not None and _same(node, task)
        report.recall.add(ok)
        if not ok:
            report.misses.append(f"未找到 {'/'.join(path)} {node['title'][:20]}")
            continue
        matched_parsed.add(task.ref)
        want_leads = _names(node.get("leads", []), registry)
        got_leads = {d.name or d.raw for d in task.lead}
        if want_leads or got_leads:
            report.leads.add(want_leads == got_leads)
            if want_leads != got_leads:
                report.misses.append(f"牵头 {'/'.join(path)}: 应为{sorted(want_leads)} 得到{sorted(got_leads)}")
        want_coop = _names(node.get("cooperating", []), registry)
        got_coop = {d.name or d.raw for d in task.cooperating}
        report.coop_tp += len(want_coop & got_coop)
        report.coop_fp += len(got_coop - want_coop)
        report.coop_fn += len(want_coop - got_coop)
        if want_coop != got_coop:
            report.misses.append(
                f"配合 {'/'.join(path)}: 缺{sorted(want_coop - got_coop)} 多{sorted(got_coop - want_coop)}"
            )
        want_deadline = node.get("deadline") or {}
        got = task.deadline
        if want_deadline.get("phrase") or (got and not task.deadline_inherited):
            ok = want_deadline.get("date") == (got.deadline if got else None) and bool(got) == bool(want_deadline)
            report.deadline.add(ok)
            if not ok:
                report.misses.append(
                    f"时限 {'/'.join(path)}: 应为{want_deadline.get('phrase')}={want_deadline.get('date')} "
                    f"得到{got.text if got else None}={got.deadline if got else None}"
                )
        for milestone in node.get("milestones", []):
            want = _norm(milestone["text"])[:15]
            found = any(
                want in _norm(m.text) or _norm(m.text)[:15] in _norm(milestone["text"]) for m in task.milestones
            )
            report.milestones.add(found)
            if not found:
                report.misses.append(f"节点 {'/'.join(path)}: {milestone['text'][:20]}")
    for task in parsed.tasks:
        report.precision.add(task.ref in matched_parsed)
        if task.ref not in matched_parsed:
            report.misses.append(f"多出 {'/'.join(_parsed_path(task))} {task.title[:20]}")
    return report


def table(rows: dict[str, Report]) -> str:
    """A Markdown table: each field's figure, with the counts behind it."""
    names = list(next(iter(rows.values())).row())
    lines = ["| seed | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for seed, report in rows.items():
        cells = [f"{value:.3f} ({count})" for value, count in zip(report.row().values(), report.counts(), strict=True)]
        lines.append(f"| {seed} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
