"""Unit names by their form: what a department, a collective or a leader looks like. Plain Python.

A unit is recognised by what it is, not by the sentence around it: a level prefix
(省/市/县/区/州/镇/乡/街道), a body ending (发展改革委, 财政局, 管委会, 街道办事处…) or a
collective phrase (各区、县级市 / 各街镇 / 区直各部门). Posts and people (分管副市长, 市长,
胡某某) are leaders, never units. All functions work on simplified text.
"""

import functools
import re

# How a unit's name ends (its body).
UNIT_SUFFIX = re.compile(
    r"(?:局|委|办|室|中心|部|院|组|会|处|所|厅|站|队|署|府|政府|街道|办事处|单位|公司|集团|机关|支队|大队|"
    r"银行|海关|学校|医院|社|馆|园区|开发区|功能区|试验区|实验区|新区|管委会|委员会|办公室|联合会|协会|"
    r"法院|检察院|总工会|团委|妇联|科协|残联|部门|街镇|镇街|乡镇|居村|村居|各地|各地区|各级|镇|乡|县|区|市|省)$"
)
# A level prefix; "市场监管局" and "区域…" do not start with one.
LEVEL = re.compile(r"^(省|市|县|区|州|镇|乡|街道)(?!场|容|域|级|直|属|民|委员会$)")
# Collective phrases: one unit each (各区、县级市 / 各街镇 / 区直各部门 / 各乡（镇）人民政府).
COLLECTIVE = re.compile(r"^各|^[省市县区州]直各|两级政府$|^全[省市县区]各")
# A name that stands on its own and takes no carried-over prefix.
_SELF_STANDING = re.compile(
    r"^(?:各|国家|国务院|中国|中央|全国)|(?:部|总署|总局|海关|银行|公司|集团|法院|检察院)$|[区县市镇乡]政府$"
    r"|.(?:新区|开发区|经开区|高新区|园区|功能区|[区县市州])(?:人民政府|政府|管委会|管理委员会|办事处)$"
)
# Posts and people are leaders: 分管副市长, 市长, 常务副市长, 分管省领导.
POST = re.compile(
    r"(?:副?(?:省|市|县|区|州|镇|乡)长|书记|主任|副主任|秘书长|厅长|局长|部长|领导|同志|主席|委员|专员|组长|巡视员|调研员)$"
)
_PERSON = re.compile(r"^[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,2}$")
# "有关部门" and relatives: the open set, recorded as a flag, never as a unit.
OPEN_SET = re.compile(r"^(?:.{0,8}?)(?:有关|相关)(?:职能)?(?:部门|单位|方面)(?:和单位)?$")
_NOT_A_NAME = re.compile(
    r"\d|年|月|日|时限|完成|负责|牵头(?!单位|部门)|配合|[:：]|第一|为|下同|按照|根据|要求|工作|任务|措施|由|要|把|将|通过|结合"
    r"|推行|推进|推动|完善|加强|建立|开展|落实|进一步|支持|做好|加快|提高|从事|实施|制定|组织(?!部)|组成(?!员)|统筹|鼓励|引导"
    r"|强化|设定|深化|确保|促进|提升|健全|规范|优化|的|以|时"
)
# Words a sentence, never a name, opens with (对有关部门…, 在市级政府…, 除涉密部门…).
_NOT_A_START = re.compile(r"(?:对|在|从|向|把|被|除|原则|涉及|梳理|适时|清理|严格|执行|压缩|力争|会同|其中|包括)")
# Collectives too general to stand as the subject that answers for an item (各地各部门要…).
GENERIC = re.compile(r"^(?:各地|各级|各地区|各部门|各单位|各地各部门|各级各部门|各区各部门)$")
_NOT_A_BODY = re.compile(
    r"(?:干部|人员|群众|居民|企业|俱乐部|内部|外部|全部|局部|基层|股份|城市|都市|城区|市区|郊区|地区|社区|辖区|景区|片区|小区|街区|大厅|展厅|餐厅)$"
)
_COLLECTIVE_END = re.compile(r"(?:地|地区|级|单位|部门|街镇|镇街|居村|村居|村|居|乡镇|镇|街道|区|县|市|政府|委办局)$")
_STRONG_SUFFIX = re.compile(
    r"(?:局|委|办|中心|政府|管委会|办事处|委员会|办公室|公司|集团|所|站|队|院|厅|署|部|室|海关|银行)$"
)
_LEVELS_TOGETHER = re.compile(r"[省市县区镇乡](?:、[省市县区镇乡])+两级")
_TRAILING_OPEN = re.compile(r"(?:有关|相关)(?:职能)?(?:部门|单位)$")
_LEAD_MARK = re.compile(r"[(（]牵头[)）]")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_CONNECTIVE = re.compile(r"及|以及|和|与|同")
_TRAILING_ETC = re.compile(r"等(?:(?:[\u4e00-\u9fff]{0,6}?)(?:有关|相关)?(?:职能)?(?:部门|单位|成员单位))?$")


def core(name: str) -> str:
    """The name without bracketed additions and marks: "各街道(功能区)" → "各街道"."""
    return _BRACKETED.sub("", name).strip("★☆*＊ ")


def is_open_set(name: str) -> bool:
    return bool(OPEN_SET.match(core(name)))


def is_leader(name: str, *, person: bool = False) -> bool:
    """A post (市长, 分管副市长) or a person's name: never a unit. A bare two- or three-character
    name counts as a person only where a person is expected (`person`, a leader column) or when
    printed with a space (王 东)."""
    name = name.strip()
    if not name or looks_like_unit(name) or re.search(r"[年月日前底内后]|以上|以下", name):
        return False
    if POST.search(name):
        return True
    return bool(_PERSON.match(name) and (person or " " in name) and not LEVEL.match(name))


@functools.lru_cache(maxsize=65536)
def looks_like_unit(name: str, known=None) -> bool:
    """Whether `name` has the form of a unit (or the registry knows it)."""
    bare = core(name)
    if len(bare) < 2 or len(bare) > 30 or _NOT_A_NAME.search(bare) or _NOT_A_START.match(bare):
        return False
    if known is not None and known(bare):
        return True
    if POST.search(bare) and not bare.endswith(("委", "办", "室", "部")):
        return False
    if COLLECTIVE.search(bare):
        return len(bare) <= 12 and bool(UNIT_SUFFIX.search(bare) or _COLLECTIVE_END.search(bare))
    if _NOT_A_BODY.search(bare):
        return False
    if re.search(r"[省市县区州镇乡]$", bare) and (len(bare) > 8 or re.search(r"[也是这我其该之中]", bare)):
        return False
    return bool(UNIT_SUFFIX.search(bare) or is_open_set(bare))


def strong_unit(name: str, known=None) -> bool:
    """A name that is a unit whatever surrounds it: the registry knows it, or it ends with a body
    (局, 委, 办, 中心, 政府…), or it is a collective (各街镇)."""
    bare = core(name)
    if not looks_like_unit(name, known):
        return False
    return bool((known and known(bare)) or _STRONG_SUFFIX.search(bare) or COLLECTIVE.search(bare))


def _split_connectives(piece: str, known=None) -> list[str]:
    """ "区经济发展局和县交通局" → two units; "文化和旅游部", "人力资源和社会保障局" stay one."""
    for match in _CONNECTIVE.finditer(piece):
        left, right = piece[: match.start()], piece[match.end() :]
        if left and right and looks_like_unit(left, known) and looks_like_unit(right, known):
            return [left, *_split_connectives(right, known)]
    return [piece]


def split_units(part: str, *, prefix: str = "", known=None) -> tuple[list[str], bool, str]:
    names, open_set, prefix = _split_units(part, prefix, known)
    return list(names), open_set, prefix


@functools.lru_cache(maxsize=16384)
def _split_units(part: str, prefix: str, known) -> tuple[tuple[str, ...], bool, str]:
    """A written list → unit names, whether it named the open set, and the level prefix in force.

    Split on 、，,/ and on 及/和/与 between two unit names; a trailing 等/等有关部门 is dropped
    (the open set); "X等区直各有关部门" keeps both. A level prefix written on a name carries
    over to the later names that need one (区发改委、财政局 → 区财政局), never onto names that
    stand on their own (海关总署, 各街镇, 浦东新区, 县政府)."""
    part = re.sub(r"\s+", "", part).strip("、,，;；。")
    # "市、区两级政府": one collective, not 市 and 区两级政府.
    protected = {m.start() + k for m in _LEVELS_TOGETHER.finditer(part) for k, c in enumerate(m.group(0)) if c == "、"}
    open_set = False
    names: list[str] = []
    depth, current = 0, ""
    pieces = []
    for position, char in enumerate(part):  # split outside brackets only: 各乡（镇、街道）人民政府 stays one
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and char in "、,，/" and position not in protected:
            pieces.append(current)
            current = ""
        else:
            current += char
    pieces.append(current)
    for piece in pieces:
        piece = _LEAD_MARK.sub("", piece).strip().strip("★☆*＊").strip()
        if not piece:
            continue
        for candidate in _split_connectives(piece, known):
            # "文明委等区直各有关部门": the unit, then the collective.
            head, sep, tail = candidate.partition("等")
            if sep and head and tail and looks_like_unit(head, known) and COLLECTIVE.search(tail):
                parts = [head, tail]
            else:
                stripped = _TRAILING_ETC.sub("", candidate)
                if stripped != candidate:
                    open_set = True
                trimmed = _TRAILING_OPEN.sub("", stripped)
                if (
                    trimmed != stripped
                    and UNIT_SUFFIX.search(core(trimmed))
                    and not trimmed.endswith(("政府", "国务院"))
                ):
                    open_set, stripped = True, trimmed  # "区发改委有关部门": the unit and the open set
                parts = [stripped] if stripped else []
            for raw in parts:
                if is_open_set(raw):
                    open_set = True
                    continue
                level = LEVEL.match(raw)
                if level:
                    if len(raw) > len(level.group(1)):  # a bare 街道 is a name, not a prefix
                        prefix = level.group(1)
                elif (
                    prefix
                    and not _SELF_STANDING.search(core(raw))
                    and not COLLECTIVE.search(core(raw))
                    and not re.search(r"[区县市镇乡]$", core(raw))
                ):
                    raw = prefix + raw
                names.append(raw)
    return tuple(names), open_set, prefix


_AFTER_NAME = re.compile(
    r"(?:对|在|就|为|向|将|于|按|根据|进行|开展|制定|研究|负责|共同|分别|做好|推进|组织|落实|实施|组成|成立)"
)


def unit_prefix(text: str, known=None) -> str | None:
    """The unit a phrase opens with when a verb or preposition follows it:
    "国资主管部门对…进行考核" → "国资主管部门"; None when it opens with none."""
    if looks_like_unit(text, known):
        return text
    bare = core(text)
    body = bare[len(LEVEL.match(bare).group(1)) :] if LEVEL.match(bare) else bare
    if (
        len(body) >= 2
        and len(bare) <= 8
        and not _NOT_A_NAME.search(bare)
        and not _NOT_A_START.match(bare)
        and not is_leader(bare)
    ):
        return text  # a name with its ending dropped in a list (区计生、民政、卫生等部门): for the registry to place
    for end in range(min(len(text) - 1, 30), 1, -1):
        head = text[:end]
        if _AFTER_NAME.match(text, end) and looks_like_unit(head, known):
            return head
    return None
