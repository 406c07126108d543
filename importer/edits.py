"""The office's corrections in the import preview, applied to the importer's JSON. Plain Python."""

from .names import Registry
from .responsibility import split_names
from .text import to_simplified

# The plan's fields the preview edits, by the name of their input.
PLAN_FIELDS = ("title", "doc_number", "issuer", "issued")


def _departments(written: str, registry: Registry, prefix: str = "") -> tuple[list[dict], bool, str]:
    names, open_set, prefix = split_names(to_simplified(written or ""), prefix=prefix)
    found = []
    for raw in names:
        name = registry.match(raw)
        found.append({"raw": raw, "name": name, "known": name is not None})
    return found, open_set, prefix


def _mark_typed(departments: list[dict], before: list[dict]) -> list[dict]:
    """Flag the names the office typed (not read from the document): one the registry does not
    know must then be created, matched or explicitly left out at confirm, never dropped."""
    read = {d.get("raw") for d in before} | {d.get("name") for d in before if d.get("name")}
    return [{**d, "typed": True} if d["raw"] not in read and d.get("name") not in read else d for d in departments]


def _edit_departments(item: dict, edit: dict, registry: Registry) -> None:
    before_lead = names_of(item.get("lead", []))
    before_coop = names_of(item.get("cooperating", []), item.get("open_set", False))
    lead = edit.get("lead", before_lead).strip()
    cooperating = edit.get("cooperating", before_coop).strip()
    if lead == before_lead and cooperating == before_coop:
        return  # unchanged: keep the reading as the document gave it
    before = item.get("lead", []) + item.get("cooperating", [])
    leads, lead_open, prefix = _departments(lead, registry)
    coops, coop_open, _ = _departments(cooperating, registry, prefix)
    # A field left as shown keeps the document's reading, fragments and all (their rows say so).
    if lead != before_lead:
        item["lead"] = _mark_typed(leads, before)
    if cooperating != before_coop:
        item["cooperating"] = _mark_typed(coops, before)
    item["open_set"] = lead_open or coop_open


def _edit_deadline(item: dict, written: str) -> None:
    """A date typed over the reading replaces its phrase: the document's words no longer
    say when the task is due, so no page may print them. What was read is kept aside."""
    written = (written or "").strip()
    if written == (item.get("deadline") or ""):
        return
    read = item.pop("deadline_edited", None) or {
        "text": item.get("deadline_text") or "",
        "date": item.get("deadline"),
        "precision": item.get("precision") or "unknown",
        "inherited": bool(item.get("deadline_inherited")),
    }
    if written == (read.get("date") or ""):  # set back to what was read: the phrase holds again
        item.update(
            deadline=read.get("date"),
            deadline_text=read.get("text") or "",
            precision=read.get("precision") or "unknown",
            deadline_inherited=bool(read.get("inherited")),
        )
        return
    item["deadline_edited"] = read
    item["deadline"] = written or None
    item["deadline_text"] = ""
    item["deadline_inherited"] = False
    item["precision"] = "day" if written else "unknown"


def apply_edits(data: dict, edits: dict[str, dict], registry: Registry) -> dict:
    """`edits[ref]` may hold include (bool), kind, title, lead, cooperating (names joined
    by 、), deadline (YYYY-MM-DD or ""). A task left out takes its descendants with it."""
    dropped: set[str] = set()
    tasks = []
    for item in data.get("tasks", []):
        edit = edits.get(item["ref"], {})
        if item.get("parent") in dropped or edit.get("include") is False:
            dropped.add(item["ref"])
            continue
        item = dict(item)
        if edit.get("kind") in ("section", "task"):
            item["kind"] = edit["kind"]
        if "title" in edit and edit["title"].strip():
            item["title"] = edit["title"].strip()
        if "lead" in edit or "cooperating" in edit:
            _edit_departments(item, edit, registry)
        if "deadline" in edit:
            _edit_deadline(item, edit["deadline"])
        tasks.append(item)
    edited = dict(data)
    edited["tasks"] = tasks
    return edited


def apply_plan_edits(data: dict, edits: dict[str, str]) -> dict:
    """The plan's title, 发文字号, 发文机关 and 成文日期 (YYYY-MM-DD) as the office corrected them."""
    meta = dict(data.get("plan", {}))
    for name in PLAN_FIELDS:
        if name in edits:
            meta[name] = (edits[name] or "").strip() or (None if name == "issued" else "")
    return {**data, "plan": meta}


def names_of(departments: list[dict], open_set: bool = False) -> str:
    """The names as a person edits them: registry names, else as written; the open set last."""
    names = [d.get("name") or d.get("raw") or "" for d in departments]
    return "、".join(names + (["有关部门"] if open_set else []))
