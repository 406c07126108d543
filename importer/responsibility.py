"""Responsibility clauses (分工表述) → lead and co-operating departments. Plain Python.

The forms the plans use, on simplified text:
    X负责 / X、Y分别负责 / X会同Y、Z等有关部门负责      (a note after the task)
    由X牵头,Y、Z等部门配合 / 由X、Y共同牵头,…配合        (inside the text)
    X、Y共同牵头 / 牵头单位：X；配合单位：Y
    X、Y会同有关部门,…                                  (only when X reads as department names)
"""

import re
from dataclasses import dataclass

from . import units

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
LABEL_ANYWHERE = re.compile(r"(?:牵头|主办|责任)(?:单位|部门)\s*[:：]")
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
    leaders: tuple[str, ...] = ()  # posts and people named as the responsible leader
    rest: tuple[str, ...] = ()  # the clause's other parts (a deadline, a deliverable)
    inferred: bool = False  # read from a sentence's subject, not from a clause that assigns it
    listed: bool = False  # several units listed as 责任单位 with none named 牵头


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
    return bool(names) and all(_ORG_SUFFIX.search(name) and units.looks_like_unit(name) for name in names)


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
    # Posts and people (分管副市长) answer as leaders, never as units; fragments are no units.
    leaders = [name for name in leads if units.is_leader(name)]
    leads = [fixed for name in leads if name not in leaders and (fixed := units.unit_prefix(name))]
    coops = [fixed for name in coops if not units.is_leader(name) and (fixed := units.unit_prefix(name))]
    if not leads and not lead_open and not leaders:
        return None
    return Responsibility(
        clause=clause.strip(),
        leads=tuple(dict.fromkeys(leads)),
        cooperating=tuple(n for n in dict.fromkeys(coops) if n not in leads),
        open_set=lead_open or coop_open,
        mode=_mode(written_mode, leads),
        leaders=tuple(leaders),
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
    labelled = LABEL_ANYWHERE.search(text)
    if labelled:
        found = read_clause(text[labelled.start() :])
        if found and (found.leads or found.cooperating):
            return found
    lead_label = _LABEL_LEAD.search(text)
    if lead_label:
        coop_label = _LABEL_COOP.search(text)
        clause = text[lead_label.start() : max(lead_label.end(), coop_label.end() if coop_label else 0)]
        return _build(clause, lead_label["names"], coop_label["names"] if coop_label else None, None, strict=False)
    for sentence in re.split(r"[。；;！!\n]", text):
        # A "sentence" of hundreds of characters without a stop is not prose: not read, and the
        # lazy name patterns below never scan it (hostile input stays fast).
        if len(sentence) > _MAX_SENTENCE or not re.search(r"负责|牵头|会同", sentence):
            continue
        candidates = []
        for pattern, strict in _PROSE:
            for match in pattern.finditer(sentence):
                groups = match.groupdict()
                found = _build(match.group(0), groups["leads"], groups.get("coops"), groups.get("mode"), strict=strict)
                if found:
                    candidates.append((match.start(), found))
                    break
        if candidates:
            return min(candidates, key=lambda pair: pair[0])[1]
    return None


_MAX_SENTENCE = 600
_PROSE = ((_LED_BY, False), (_JOINT, True), (_WITH, True), (_RESPONSIBLE, True), (_WITH_WEAK, True))


# ── a responsibility clause of any layout: labels, cue words, ★ marks ──

_LABEL = re.compile(
    r"^(?P<label>(?:牵头|主办|主责)(?:单位|部门)|(?:配合|协办|协同|协助|参与|会办|支持)(?:单位|部门)"
    r"|(?:责任|实施|承办|落实)(?:单位|部门|主体)|责任方"
    r"|(?:分管|牵头|责任|联系|包抓|挂点)?(?:省|市|县|区|州|镇|乡)?(?:政府)?(?:分管)?(?:领导|负责人|责任人)"
    r"|(?:部门|任务|职责)?分工|(?:完成)?(?:时限|时间|期限)|时间节点|进度安排)\s*[:：]\s*(?P<rest>.*)$"
)
_CUE_LEAD = re.compile(r"(?P<mode>共同|分别)?牵头(?:负责|组织|实施|推进|落实|抓总)?(?:实施)?$")
_CUE_COOP = re.compile(r"(?:密切|积极|共同|负责)?(?:配合|协同|协助|协办|参与)(?:实施|推进|落实|做好)?$")
_CUE_IMPLEMENT = re.compile(
    r"(?:按职责分工|按照职责分工|按职责|根据职责)(?:负责|落实|推进)$|(?:组织|具体|负责)实施$|(?:抓好|具体|负责)?落实$"
)
_CUE_RESPONSIBLE = re.compile(r"(?P<mode>分别|共同)?(?:牵头)?负责(?:落实|实施|推进)?$")
_CUE_WITH = re.compile(
    r"^(?P<leads>.+?)(?:牵头)?会同(?P<coops>.+?)(?P<mode>分别|共同)?(?:牵头)?(?:负责|推进|落实|实施)?$"
)
_LEADING_WORDS = re.compile(r"^(?:并|均|由|请|另由|主要由)")
# A line (or the rest of one) that is a labelled responsibility: "牵头单位：X；配合单位：Y".
LABELLED_LINE = re.compile(
    r"^(?:(?:牵头|主办|配合|协办|责任|实施|承办)(?:单位|部门)|部门分工|责任分工"
    r"|(?:分管|牵头|责任|联系)(?:省|市|县|区|州|镇|乡)?(?:政府)?(?:分管)?领导)\s*[:：]"
)
_LEAD_MARK = re.compile(r"[(（]牵头[)）]")
FIRST_LEADS = re.compile(
    r"(?:排|列)在?(?:第一位|首位)的?(?:部门|单位)?为牵头"
    r"|排名第一的?(?:部门|单位)?为牵头|第一个(?:部门|单位)为牵头"
)


def _pieces(text: str) -> list[tuple[int, str]]:
    """A clause cut at ；;。，, outside brackets: (where each piece starts, the piece)."""
    out, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "(（〔[【":
            depth += 1
        elif char in ")）〕]】":
            depth = max(0, depth - 1)
        if depth == 0 and char in "；;。，,\n":
            out.append((start, text[start:i]))
            start = i + 1
    out.append((start, text[start:]))
    return [(at + len(piece) - len(piece.lstrip()), piece.strip()) for at, piece in out if piece.strip()]


def _all_units(names: list[str], known) -> bool:
    return bool(names) and all(units.looks_like_unit(name, known) for name in names)


def read_clause(text: str, *, first_leads: bool = False, known=None) -> Responsibility | None:
    """Who answers in a clause of any layout: "（牵头单位：X；配合单位：Y。完成时限：…）",
    "X牵头，Y、Z配合，2027年3月底前完成", "部门分工:X牵头,Y配合", "X、Y负责",
    "责任单位:★X、Y". None when no unit is named."""
    groups: list[tuple[str, str, str | None]] = []  # (role, names text, written mode)
    leaders: list[str] = []
    rest: list[str] = []
    last_units = False
    span = [len(text), 0]  # the part of the text that names who answers

    def used(at: int, piece: str) -> None:
        span[0], span[1] = min(span[0], at), max(span[1], at + len(piece))

    for at, piece in _pieces(text):
        label = _LABEL.match(piece)
        role, body, mode = None, piece, None
        if label:
            name, body = label["label"], label["rest"].strip()
            if not body:
                last_units = False
                continue
            if re.search(r"领导|负责人|责任人", name):
                leaders.extend(n for n in re.split(r"[、,，/]", body) if n.strip())
                used(at, piece)
                last_units = False
                continue
            if "分工" in name:
                inner = read_clause(body, first_leads=first_leads, known=known)
                if inner:
                    used(at, piece)
                    groups.extend(("lead", n, None) for n in inner.leads)
                    groups.extend(("coop", n, None) for n in inner.cooperating)
                    leaders.extend(inner.leaders)
                    rest.extend(inner.rest)
                last_units = False
                continue
            if re.search(r"时限|时间|期限|进度", name):
                rest.append(body)
                last_units = False
                continue
            role = (
                "lead"
                if re.search(r"牵头|主办|主责", name)
                else "resp"
                if re.search(r"责任|实施|承办|落实", name)
                else "coop"
            )
        else:
            body = _LEADING_WORDS.sub("", piece)
            if body.startswith("会同") and groups and groups[-1][0] == "lead":
                # "由X牵头，会同Y、Z组成督查组": the units it works with
                names = units.split_units(body[2:], known=known)[0]
                if names and units.unit_prefix(names[0], known):
                    groups.append(("coop", body[2:], None))
                    used(at, piece)
                    last_units = True
                    continue
            with_ = _CUE_WITH.match(body)
            if with_ and _all_units(split_names(with_["leads"])[0], known):
                used(at, piece)
                groups.append(("lead", with_["leads"], with_["mode"]))
                groups.append(("coop", with_["coops"], None))
                last_units = True
                continue
            for cue_role, cue in (
                ("lead", _CUE_LEAD),
                ("impl", _CUE_IMPLEMENT),
                ("coop", _CUE_COOP),
                ("resp", _CUE_RESPONSIBLE),
            ):
                cue_match = cue.search(body)
                if cue_match and cue_match.start() > 0:
                    role, mode = cue_role, cue_match.groupdict().get("mode")
                    body = body[: cue_match.start()]
                    break
        names = units.split_units(body, known=known)[0]
        if role is None:
            # No label, no cue: more names of the list before it (a list cut at "，"), else other words.
            if last_units and _all_units(names, known):
                used(at, piece)
                role_before, text_before, mode_before = groups[-1]
                groups[-1] = (role_before, text_before + "、" + body, mode_before)
            elif not groups and _all_units(names, known) and ("★" in body or _LEAD_MARK.search(body)):
                used(at, piece)
                groups.append(("resp", body, None))
                last_units = True
            else:
                rest.append(piece)
                last_units = False
            continue
        # A label or a cue word says these are units: names with their ending dropped (贸易、安监等部门配合) pass.
        if names and not any(units.unit_prefix(n, known) for n in names) and not units.is_open_set(body):
            rest.append(piece)
            last_units = False
            continue
        groups.append((role, body, mode))
        used(at, piece)
        last_units = True
    clause = text[span[0] : span[1]] if span[0] < span[1] else text
    return _resolve(clause, groups, leaders, rest, first_leads=first_leads, known=known)


def _resolve(clause, groups, leaders, rest, *, first_leads, known) -> Responsibility | None:
    leads: list[str] = []
    coops: list[str] = []
    open_set = False
    prefix = ""
    written_mode = None
    listed = False  # leads only because a 责任单位 list names no 牵头
    has_lead = any(role == "lead" for role, _, _ in groups)
    for role, body, mode in groups:
        names, is_open, prefix = units.split_units(body, prefix=prefix, known=known)
        leaders += [name for name in names if units.is_leader(name)]
        # Never a fragment as a unit: "国资主管部门对…进行考核" keeps its unit, "区2027年…" goes.
        names = [fixed for name in names if not units.is_leader(name) and (fixed := units.unit_prefix(name, known))]
        open_set = open_set or is_open
        # ★ or "（牵头）" after a name marks the lead in a list of 责任单位.
        marks = [units.core(p) for p in re.split(r"[、,，]", body) if "★" in p or _LEAD_MARK.search(p)]
        starred = [n for n in names if any(units.core(n).endswith(mark) for mark in marks if mark)]
        if role == "lead":
            leads += names
            written_mode = written_mode or mode
        elif role == "coop":
            coops += names
        elif starred:
            leads += [n for n in names if n in starred]
            coops += [n for n in names if n not in starred]
        elif has_lead:
            coops += names
        elif role == "resp" and first_leads and names:
            leads.append(names[0])
            coops += names[1:]
        else:
            leads += names
            written_mode = written_mode or mode
            listed = listed or role == "resp"
    leads = list(dict.fromkeys(leads))
    coops = [n for n in dict.fromkeys(coops) if n not in leads]
    leaders = [re.sub(r"\s+", " ", n).strip() for n in leaders if n.strip()]
    if not leads and not coops and not open_set and not leaders:
        return None
    return Responsibility(
        clause=clause.strip(),
        leads=tuple(leads),
        cooperating=tuple(coops),
        open_set=open_set,
        mode=_mode(written_mode, leads),
        leaders=tuple(leaders),
        rest=tuple(rest),
        listed=listed and len(leads) > 1,
    )
