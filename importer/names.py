"""Department names as written → the registry's names. Plain Python."""

import re
from collections.abc import Iterable

from .text import normalize_name

# Endings a written short form may have dropped: 区民政 → 区民政局.
_SUFFIXES = ("局", "委", "办", "委员会", "办公室", "分局")
_LEVELS = ("区", "市", "县", "省", "镇", "乡")


class Registry:
    """Every name the registry knows, by normalised key → the department's full name."""

    def __init__(self, names: Iterable[tuple[str, str]] = ()):
        self._by_key = {normalize_name(written): full for written, full in names}
        self._matched: dict[str, str | None] = {}

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def match(self, raw: str) -> str | None:
        """The department `raw` names, or None. Tries the name as written (its
        carried-over prefix included), then without that prefix, then with a
        dropped ending restored; a guess that fits two departments is no match."""
        if raw not in self._matched:
            if len(self._matched) > 50_000:
                self._matched.clear()
            self._matched[raw] = self._match(raw)
        return self._matched[raw]

    def _match(self, raw: str) -> str | None:
        key = normalize_name(raw)
        candidates = [key]
        if key.startswith(_LEVELS) and len(key) > 2:
            candidates.append(key[1:])
        for candidate in candidates:
            if candidate in self._by_key:
                return self._by_key[candidate]
        for candidate in candidates:
            found = {self._by_key[candidate + suffix] for suffix in _SUFFIXES if candidate + suffix in self._by_key}
            if len(found) == 1:
                return found.pop()
        if not key.startswith(_LEVELS):
            # "财政" after an unprefixed lead: whichever level's department it alone can be.
            found = {
                self._by_key[level + key + suffix]
                for level in _LEVELS
                for suffix in ("", *_SUFFIXES)
                if level + key + suffix in self._by_key
            }
            if len(found) == 1:
                return found.pop()
        return None


# Why a written name cannot be a unit: checked before the preview offers to create one, so
# that a label, a date, a post or a fragment of a sentence never becomes a "department".
_LABEL_WORDS = re.compile(r"牵头|配合|负责|会同|协办|协同|参与|分工|职责|责任单位|单位[:：]|部门[:：]|完成|时限")
# Words of a sentence, not of a name ("专项发展资金管理办法由市财政局", "奉贤区和临港地区管委会制定");
# 由 but not 自由 (自由贸易试验区 is a unit).
_PROSE_WORDS = re.compile(r"(?<!自)由|办法|方案|规定|制定|出台|按照|根据|做好|开展|加强|建立")
_DATE = re.compile(
    r"\d+\s*个?\s*(?:[年月日号天周]|工作日)|[一二三四五六七八九十〇零]+月|年底|年初|月底|季度|上半年|下半年|工作日|之前"
)
_PUNCTUATION = re.compile(r"[:：;；,，。、!！?？“”\"《》\n]")
# Posts and people: 分管副市长, 区长, 市委书记, 胡某某. Kept as the responsible leader, never a unit.
_POST = re.compile(
    r"(?:市长|区长|县长|镇长|乡长|省长|书记|主任|局长|部长|主席|秘书长|常委|委员|领导|同志|负责人|干部|专员|主任委员)$"
)
_PERSON = re.compile(r"某某|某$")
_COLLECTIVE = re.compile(r"^各|有关部门$|相关部门$|有关单位$|相关单位$|各部门$|等部门$|等单位$")
# How the name of a body ends (区发展和改革委员会, 区行政服务中心, 某某街道办事处…).
_BODY = re.compile(
    r"(?:局|委|办|室|中心|部|院|组|会|处|所|厅|署|站|队|政府|街道|办事处|公司|集团|机关|银行|学校|医院|"
    r"大学|学院|中学|小学|社|馆|台|园区|开发区|新区|试验区|管委会|委员会|指挥部|镇|乡|村|社区|法院|检察院|"
    r"分局|支队|大队|中队|监狱|海关|党校|基地|联社|协会|商会|联合会|总工会|团委|妇联|残联|科协|侨联|工商联)$"
)


SHORT_FORM = "没有局、委、办、中心等机构名称的结尾"


def unit_name_problem(name: str, *, short_form_ok: bool = False) -> str | None:
    """Why `name` cannot be the name of a unit, in Chinese; None when its form is a unit's.

    The form alone is judged (the registry is asked elsewhere): a level prefix is optional,
    the name must end like a body (局, 委员会, 中心, 街道办事处…) and must not hold a label
    (牵头单位：), a date (2027年6月底前), a post (分管副市长) or sentence punctuation.
    `short_form_ok` accepts a bare short form (区发改, 区财政): fine as another name of a
    registered unit, not as the name of a new one."""
    key = normalize_name(name)
    body = re.sub(r"\([^()]*\)$", "", key)  # 区政府办公室(区外事办): judged by the name before the note
    if len(key) < 2:
        return "名称过短"
    if len(key) > 40:
        return "名称过长，像一段文字"
    if _DATE.search(key):
        return "含日期或时限"
    if _LABEL_WORDS.search(key):
        return "含“牵头”“配合”“完成”等分工用语，是标签或句子片段"
    if _PROSE_WORDS.search(body):
        return "含“由”“制定”等叙述用语，是句子片段"
    if _PUNCTUATION.search(key):
        return "含标点，是句子片段"
    if _COLLECTIVE.search(key):
        return "是泛指的一组单位，不是一个单位"
    if _PERSON.search(key):
        return "是人名"
    if _POST.search(body) and not _BODY.search(body):
        return "是职务，不是单位（可写在责任领导中）"
    if not re.search(r"[\u4e00-\u9fff]{2}", key):
        return "没有单位名称的文字"
    if not short_form_ok and not _BODY.search(body):
        return SHORT_FORM
    return None


_BODY_WORD = re.compile(r"(?:局|委|办|委员会|办公室|中心)$")


def _in_order(short: str, full: str) -> bool:
    """Every character of `short` appears in `full`, in the same order (区发改 in 区发展和改革委员会)."""
    position = 0
    for char in short:
        position = full.find(char, position) + 1
        if position == 0:
            return False
    return True


def likely_department(name: str, full_names: Iterable[str]) -> str | None:
    """The one registered department a short form most likely abbreviates, or None: its level
    prefix must match and its characters, body word aside, appear in order in the full name
    (区发改局 → 区发展和改革委员会). Only a suggestion: the office confirms it."""
    key = normalize_name(name)
    short = _BODY_WORD.sub("", key)
    if len(short) < 3 or not short.startswith(_LEVELS):
        return None
    found = {full for full in full_names if full.startswith(short[0]) and _in_order(short, normalize_name(full))}
    return found.pop() if len(found) == 1 else None


def registry_of(entries: Iterable[dict]) -> Registry:
    """A registry from department entries as fixtures/departments.yaml writes them
    (name, short_names, aliases): for reading a plan with no database at hand."""
    return Registry(
        (written, entry["name"])
        for entry in entries
        for written in [entry["name"], *entry.get("short_names", []), *entry.get("aliases", [])]
    )
