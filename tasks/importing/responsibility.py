"""Responsibility clauses (分工表述) → lead and co-operating departments. Plain Python.

The forms the plans use, on simplified text:
    X负责 / X、Y分别负责 / X会同Y、Z等有关部门负责      (a note after the task)
    由X牵头,Y、Z等部门配合 / 由X、Y共同牵头,…配合        (inside the text)
    X、Y共同牵头 / 牵头单位：X；配合单位：Y
    X、Y会同有关部门,…                                  (only when X reads as department names)
"""

import re
from dataclasses import dataclass

SOLE, SEPARATE, JOINT = "sole", "separate", "joint"

# How a department's name ends; a list without these is not read as departments
# unless the clause itself says it names them (由…牵头, 牵头单位：).
_ORG_SUFFIX = re.compile(
    r"(局|委|办|室|中心|部|院|组|会|处|所|厅|站|队|政府|街道|办事处|单位|公司|集团|机关|支队|银行|学校|医院|社|馆|园区)$"
)
_LEVEL = re.compile(r"^(区|市|县|省|镇|乡)")
# "有关部门" and its relatives: the open set, recorded as a flag, never as a department.
_OPEN_SET = re.compile(r"(?:等)?(?:有关|相关)(?:职能)?(?:部门|单位)$|等(?:职能)?(?:部门|单位)$|等$")
_NAME_CHARS = r"[^,，。；;:：()（）“”\"'‘’《》\n]"
_LIST = _NAME_CHARS + r"{2,150}?"

_LABEL_LEAD = re.compile(r"牵头(?:单位|部门)\s*[:：]\s*(?P<names>[^；;。\n]+)")
_LABEL_COOP = re.compile(r"(?:配合|责任|协办|参与|协同)(?:单位|部门)\s*[:：]\s*(?P<names>[^；;。\n]+)")
_LED_BY = re.compile(
    r"由(?P<leads>" + _LIST + r")(?P<mode>共同|分别)?牵头(?:负责)?"
    r"(?:[,，]\s*(?P<coops>" + _LIST + r")(?:密切|积极|共同)?(?:配合|参与|协助))?"
)
_WITH = re.compile(r"(?P<leads>" + _LIST + r")(?:牵头)?会同(?P<coops>" + _LIST + r")(?P<mode>分别|共同)?(?:牵头)?负责")
_RESPONSIBLE = re.compile(r"(?P<leads>" + _LIST + r")(?P<mode>分别|共同)?(?:牵头)?负责(?!人|同志|制)")
_JOINT = re.compile(r"(?P<leads>" + _LIST + r")共同牵头")
_WITH_WEAK = re.compile(r"(?P<leads>" + _LIST + r")(?:牵头)?会同(?P<coops>" + _LIST + r")(?=[,，。；;]|$)")


@dataclass(frozen=True)
class Responsibility:
    clause: str
    leads: tuple[str, ...]
    cooperating: tuple[str, ...]
    open_set: bool
    mode: str


def split_names(part: str, *, prefix: str = "") -> tuple[list[str], bool, str]:
    """'区政府金融办、人力资源和社会保障局、财政局等有关部门' → names, open set, level prefix.

    A level prefix (区, 市…) written on the first name carries over to the names
    after it that lack one: "区发改委会同区政府金融办、人力资源和社会保障局" means
    区人力资源和社会保障局."""
    part = re.sub(r"\s+", "", part).strip("、,，")
    open_set = False
    stripped = _OPEN_SET.sub("", part)
    if stripped != part:
        open_set = True
        part = stripped.strip("、,，")
    if part.endswith("有关部门") or part.endswith("相关部门"):
        open_set, part = True, part[:-4]
    names = []
    for raw in re.split(r"[、,，/]", part):
        raw = raw.strip()
        if not raw:
            continue
        level = _LEVEL.match(raw)
        if level:
            prefix = prefix or level.group(1)
        elif prefix and not raw.startswith(("各", "省")):
            raw = prefix + raw
        names.append(raw)
    return names, open_set, prefix


def _plausible(names: list[str]) -> bool:
    return bool(names) and all(_ORG_SUFFIX.search(name) for name in names)


def _mode(written: str | None, leads: list[str]) -> str:
    if written == "分别":
        return SEPARATE
    if written == "共同" or len(leads) > 1:
        return JOINT
    return SOLE


def _build(clause: str, leads_part: str, coops_part: str | None, written_mode: str | None, *, strict: bool):
    leads, lead_open, prefix = split_names(leads_part)
    coops, coop_open, _ = split_names(coops_part or "", prefix=prefix)
    if strict and not _plausible(leads):
        return None
    if not leads and not lead_open:
        return None
    return Responsibility(
        clause=clause.strip(),
        leads=tuple(dict.fromkeys(leads)),
        cooperating=tuple(n for n in dict.fromkeys(coops) if n not in leads),
        open_set=lead_open or coop_open,
        mode=_mode(written_mode, leads),
    )


def parse_note(note: str) -> Responsibility | None:
    """A responsibility note as plans append it to a task: "区编委办会同有关部门负责"."""
    note = note.strip().rstrip("。")
    for pattern in (_WITH, _RESPONSIBLE):
        match = pattern.fullmatch(note) or pattern.match(note)
        if match and match.end() >= len(note) - 2:
            groups = match.groupdict()
            found = _build(note, groups["leads"], groups.get("coops"), groups.get("mode"), strict=False)
            if found:
                return found
    return find_in_text(note)


def find_in_text(text: str) -> Responsibility | None:
    """The first responsibility clause in running text, or None."""
    lead_label = _LABEL_LEAD.search(text)
    if lead_label:
        coop_label = _LABEL_COOP.search(text)
        clause = text[lead_label.start() : max(lead_label.end(), coop_label.end() if coop_label else 0)]
        return _build(clause, lead_label["names"], coop_label["names"] if coop_label else None, None, strict=False)
    candidates = []
    for pattern, strict in ((_LED_BY, False), (_JOINT, True), (_WITH, True), (_RESPONSIBLE, True), (_WITH_WEAK, True)):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            found = _build(match.group(0), groups["leads"], groups.get("coops"), groups.get("mode"), strict=strict)
            if found:
                candidates.append((match.start(), found))
                break
    if not candidates:
        return None
    return min(candidates, key=lambda pair: pair[0])[1]
