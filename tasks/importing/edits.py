"""The office's corrections in the import preview, applied to the importer's JSON. Plain Python."""

from .names import Registry
from .responsibility import split_names
from .text import to_simplified


def _departments(written: str, registry: Registry, prefix: str = "") -> tuple[list[dict], bool, str]:
    names, open_set, prefix = split_names(to_simplified(written or ""), prefix=prefix)
    found = []
    for raw in names:
        name = registry.match(raw)
        found.append({"raw": raw, "name": name, "known": name is not None})
    return found, open_set, prefix


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
            leads, lead_open, prefix = _departments(edit.get("lead", ""), registry)
            coops, coop_open, _ = _departments(edit.get("cooperating", ""), registry, prefix)
            item["lead"], item["cooperating"] = leads, coops
            item["open_set"] = lead_open or coop_open
        if "deadline" in edit:
            written = (edit["deadline"] or "").strip()
            if written != (item.get("deadline") or ""):
                item["deadline"] = written or None
                if written:
                    item["precision"] = "day"
                    item["deadline_text"] = item.get("deadline_text") or written
        tasks.append(item)
    edited = dict(data)
    edited["tasks"] = tasks
    return edited


def names_of(departments: list[dict], open_set: bool = False) -> str:
    """The names as a person edits them: registry names, else as written; the open set last."""
    names = [d.get("name") or d.get("raw") or "" for d in departments]
    return "、".join(names + (["有关部门"] if open_set else []))
