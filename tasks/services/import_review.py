"""What the office must check in an import before confirming it: flagged rows and unknown units.

Read from the importer's JSON alone (as the office may have edited it), so that the page,
the API and the management command flag exactly the same rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from importer.names import SHORT_FORM, likely_department, unit_name_problem

NO_LEAD = "无牵头单位"
NO_DEADLINE = "无完成时限"
# The parser's own note on an unknown unit; the flags below say it better (and never promise
# to create a fragment), so it is not repeated.
_PARSER_UNKNOWN_UNIT = "未在部门库中登记"


def unresolved(item: dict) -> list[dict]:
    """The item's units the registry did not match."""
    return [d for d in item.get("lead", []) + item.get("cooperating", []) if not d.get("name") and d.get("raw")]


def row_flags(item: dict) -> list[str]:
    """Why a row needs checking, in Chinese; empty only when nothing is missing or doubtful."""
    flags: list[str] = []
    if item.get("kind", "task") == "task":
        if not item.get("lead"):
            flags.append(NO_LEAD)
        if not item.get("deadline"):
            phrase = item.get("deadline_text") or ""
            flags.append(f"{NO_DEADLINE}（原文“{phrase}”未能定为日期）" if phrase else NO_DEADLINE)
    for step in item.get("milestones") or []:
        if step.get("deadline_text") and not step.get("deadline"):
            flags.append(f"节点时限“{step['deadline_text']}”未能定为日期")
    for department in unresolved(item):
        problem = unit_name_problem(department["raw"])
        if problem is None:
            flags.append(f"“{department['raw']}”不在部门库中")
        elif problem == SHORT_FORM:
            flags.append(f"“{department['raw']}”不在部门库中，也不像完整的单位名称")
        else:
            flags.append(f"“{department['raw']}”不是单位名称（{problem}），不会分配")
    edited = item.get("deadline_edited")
    for warning in item.get("warnings") or []:
        if warning and _PARSER_UNKNOWN_UNIT not in warning and not any(f.startswith(warning) for f in flags):
            if edited and edited.get("text") and edited["text"] in warning:
                continue  # about the phrase the office has replaced
            flags.append(warning)
    return list(dict.fromkeys(flags))


@dataclass
class UnitProposal:
    """A unit the registry does not know, as the office decides on it: create it (only when its
    form is a unit's), match it to a registered department, or leave it unassigned."""

    name: str
    can_create: bool
    source: str  # the text it was read from
    tasks: list[str] = field(default_factory=list)  # numbers and titles of the tasks naming it
    typed: bool = False
    suggestion: str | None = None  # the registered department it most likely abbreviates


def unit_proposals(data: dict, registered: Iterable[str] = ()) -> list[UnitProposal]:
    """Every unknown name that may be a unit, in document order, with the registered department
    it most likely abbreviates; labels, dates, posts and fragments are left out (their rows say why)."""
    registered = list(registered)
    found: dict[str, UnitProposal] = {}
    for item in data.get("tasks", []):
        for department in unresolved(item):
            raw = department["raw"]
            problem = unit_name_problem(raw)
            if problem not in (None, SHORT_FORM):
                continue
            proposal = found.get(raw)
            if proposal is None:
                source = item.get("responsibility") or item.get("title") or ""
                proposal = found[raw] = UnitProposal(
                    raw, problem is None, source[:200], suggestion=likely_department(raw, registered)
                )
            proposal.tasks.append(f"{item.get('number') or ''}{(item.get('title') or '')[:30]}")
            proposal.typed |= bool(department.get("typed"))
    return list(found.values())
