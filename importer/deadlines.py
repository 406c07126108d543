"""Deadline phrases (完成时限) → start, deadline and precision. Plain Python.

Phrases are read on simplified text. A phrase without a year takes the year it
is resolved against (the plan's, or a heading's); a redacted year (201*年) or an
unknown one leaves the date empty while the phrase and its precision are kept.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

# Precision values match tasks.choices.DeadlinePrecision.
DAY, MONTH, YEAR, APPROXIMATE, SPAN, CONDITIONAL, UNKNOWN = (
    "day",
    "month",
    "year",
    "approximate",
    "span",
    "conditional",
    "unknown",
)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

YEAR_RE = r"(?:(?P<year>\d{4}|\d{3}\*|\d{2}\*\*)年(?:度)?)"
# "3到5年内", "两年内": a count of years, not a year.
_NOT_A_COUNT = r"(?<![0-9一二三四五六七八九十两几多])"
_M = r"(?P<month>1[0-2]|0?[1-9])"

# Each pattern names its groups; the first that matches at a position wins, so
# longer forms come first.
_COUNT = r"(?P<n>\d{1,3}|[一二三四五六七八九十两]{1,3})"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # Recurring deadlines: the first occurrence is dated, the rule kept (每季度第1个月20日前, 每月2日前).
    (
        "rec_quarter_day",
        re.compile(
            r"每(?:个)?季度(?:的)?第?(?P<qm>[1-3一二三])个?月(?:的)?(?P<day>[12]\d|3[01]|0?[1-9])日(?:前|之前)?"
        ),
    ),
    ("rec_quarter_end", re.compile(r"每(?:个)?季度(?:末|结束前|最后一个月)(?:前|之前)?")),
    ("rec_month_day", re.compile(r"每(?:个)?月(?:的)?(?P<day>[12]\d|3[01]|0?[1-9])日(?:前|之前)?")),
    ("rec_month_end", re.compile(r"每(?:个)?月(?:底|末)(?:前|之前)?")),
    (
        "rec_year_date",
        re.compile(r"每年(?:的)?" + _M + r"月(?:(?P<day>[12]\d|3[01]|0?[1-9])日|底|末)?(?:前|之前)"),
    ),
    ("rec_plain", re.compile(r"每(?:个)?季度(?![0-9一二三四第末])")),
    # 从2024年第二季度起: a start
    ("start_quarter", re.compile(r"(?:从|自)" + YEAR_RE + r"?第?(?P<q>[一二三四1-4])季度起")),
    # 3个月内, 10个工作日内: counted from the document's date
    ("relative", re.compile(_COUNT + r"(?P<unit>个月|个工作日|个自然日|日|天|周|个星期)(?:内|之内)")),
    # 预计2016年4月获批复,如省政府批复时间推迟,则以下进度顺延
    (
        "conditional",
        re.compile(
            r"预计"
            + YEAR_RE
            + r"?"
            + _M
            + r"月(?:底|份)?[^,，。;；)）]{0,12}[,，]?(?:如|若)[^。;；)）]{0,40}(?:顺延|推迟|延后)"
        ),
    ),
    # 从2015年9月1日起 / 自…起
    ("start_day", re.compile(r"(?:从|自)" + YEAR_RE + r"?" + _M + r"月(?P<day>[12]\d|3[01]|0?[1-9])日起")),
    ("day", re.compile(YEAR_RE + r"?" + _M + r"月(?P<day>[12]\d|3[01]|0?[1-9])日(?:前|之前|以前)?")),
    # 1-12月, 6-12月份, 1－3月份, 4至6月
    ("span", re.compile(YEAR_RE + r"?(?P<m1>1[0-2]|0?[1-9])\s*[-－—–~～至到]\s*(?P<m2>1[0-2]|0?[1-9])\s*月份?")),
    # 4月底前, 12月底, 2015年12月底前, 5月末
    ("month_end", re.compile(YEAR_RE + r"?" + _M + r"月(?:底|末)(?:前|之前|以前)?")),
    # 3月中旬 / 上旬 / 下旬
    ("month_part", re.compile(YEAR_RE + r"?" + _M + r"月(?P<part>上旬|中旬|下旬)(?:前)?")),
    # 12月前 (by December), 6月份, 2016年4月
    ("month_before", re.compile(YEAR_RE + r"?" + _M + r"月(?:前|之前|以前)")),
    ("month", re.compile(YEAR_RE + r"?" + _M + r"月份")),
    # 一季度末, 第三季度前
    ("quarter", re.compile(YEAR_RE + r"?第?(?P<q>[一二三四1-4])季度(?:末|底)?(?:前)?")),
    ("half", re.compile(_NOT_A_COUNT + YEAR_RE + r"?(?P<half>上半年|下半年|年中)(?:前)?")),
    # 2016年年初, 年初
    ("year_start", re.compile(_NOT_A_COUNT + YEAR_RE + r"?年初")),
    # 年底前, 2016年年底, 年内; 2026年底前, 到2030年底
    ("year_end", re.compile(_NOT_A_COUNT + YEAR_RE + r"?(?:年底|年末|年内)(?:前|之前)?")),
    ("year_end", re.compile(r"(?:到|至)?(?P<year>\d{4})年(?:底|末)(?:前|之前)?")),
    # 到2025年, 至2035年: by the end of that year
    ("year_end", re.compile(r"(?:到|至)(?P<year>\d{4})年(?![0-9一二三四上下初底末内中度前])")),
    ("two_years", re.compile(r"今明两年")),
    ("this_year", re.compile(r"(?:今年|本年度?)(?:内|底前?)?")),
    ("ongoing", re.compile(r"长期坚持|长期推进|持续推进|常态化推进|长期执行|长期(?=$|[,，。；;])")),
    # 2026年6月, 6月完成: a bare month, only where a deadline is expected
    ("month_bare", re.compile(YEAR_RE + r"?" + _M + r"月(?![0-9份底末中上下旬前初])")),
]
# Phrases that also occur as ordinary words ("今年以来", "长期坚持…的原则"): they
# count only where a deadline is expected, never when scanning running text.
_ANCHORED_ONLY = {"two_years", "this_year", "ongoing", "relative", "month_bare"}
_CN_COUNT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# A bare year ("2017年") is a deadline only where a deadline is expected: the
# part of a responsibility note after its clause, or followed by 完成/前/底.
BARE_YEAR = re.compile(r"^(?P<year>\d{4}|\d{3}\*)年(?:度)?(?![0-9一二三四上下年初底末内中])")
YEAR_BEFORE = re.compile(r"(?P<year>\d{4})年(?:前|以前|之前|内)")


@dataclass(frozen=True)
class Deadline:
    text: str  # the phrase as it stands in the (simplified) text
    start: date | None
    deadline: date | None
    precision: str
    year_known: bool = True
    rule: str = ""  # a recurring deadline's rule as written (每季度第1个月20日前): the date is its first time


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(match: re.Match, default: int | None) -> tuple[int | None, bool]:
    """The phrase's own year, else the default; (None, False) if redacted or unknown."""
    written = match.groupdict().get("year")
    if written:
        if "*" in written:
            # 201*年: the plan's year if it fits the digits left, flagged as presumed.
            visible = written.rstrip("*")
            if default is not None and str(default).startswith(visible):
                return default, False
            return None, False
        return int(written), True
    return default, default is not None


def _count(written: str) -> int:
    if written.isdigit():
        return int(written)
    if written.startswith("十"):
        return 10 + _CN_COUNT.get(written[1:], 0)
    if "十" in written:
        head, _, tail = written.partition("十")
        return _CN_COUNT.get(head, 1) * 10 + _CN_COUNT.get(tail, 0)
    return _CN_COUNT.get(written, 0)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _working_days_after(day: date, count: int) -> date:
    """Monday to Friday; the official 调休 calendar is not known here, so the date is approximate."""
    while count > 0:
        day = date.fromordinal(day.toordinal() + 1)
        if day.weekday() < 5:
            count -= 1
    return day


def _first(candidates, after: date) -> date | None:
    """The first of a rule's dates on or after `after`."""
    for candidate in candidates:
        if candidate >= after:
            return candidate
    return None


def _recurring(kind: str, g: dict, after: date | None) -> date | None:
    if after is None:
        return None
    years = (after.year, after.year + 1)
    if kind == "rec_quarter_day":
        offset = _CN_DIGITS.get(g["qm"], 1) - 1
        days = [date(y, q * 3 + 1 + offset, int(g["day"])) for y in years for q in range(4)]
    elif kind == "rec_quarter_end":
        days = [month_end(y, q * 3) for y in years for q in (1, 2, 3, 4)]
    elif kind == "rec_month_day":
        days = [date(y, m, min(int(g["day"]), calendar.monthrange(y, m)[1])) for y in years for m in range(1, 13)]
    elif kind == "rec_month_end":
        days = [month_end(y, m) for y in years for m in range(1, 13)]
    elif kind == "rec_year_date":
        month = int(g["month"])
        days = [date(y, month, int(g["day"])) if g.get("day") else month_end(y, month) for y in years]
    else:
        return None
    return _first(days, after)


def _resolve(kind: str, match: re.Match, year: int | None, after: date | None = None) -> Deadline:
    text = match.group(0)
    y, known = _year(match, year)
    g = match.groupdict()
    if kind.startswith("rec_"):
        try:
            first = _recurring(kind, g, after)
        except ValueError:
            first = None
        return Deadline(text, None, first, DAY if first else UNKNOWN, True, rule=text)
    if kind == "start_quarter":
        q = _CN_DIGITS[g["q"]]
        return Deadline(text, date(y, q * 3 - 2, 1) if y else None, None, MONTH, known)
    if kind == "relative":
        n, unit = _count(g["n"]), g["unit"]
        if after is None or n <= 0:
            return Deadline(text, None, None, UNKNOWN, False)
        if unit == "个月":
            end = _add_months(after, n)
        elif unit == "个工作日":
            end = _working_days_after(after, n)
        else:
            end = date.fromordinal(after.toordinal() + n * (7 if unit in ("周", "个星期") else 1))
        return Deadline(text, None, end, DAY if unit != "个月" else APPROXIMATE, True)

    def on(build) -> date | None:
        if y is None:
            return None
        try:
            return build(y)
        except ValueError:  # 2月30日: a date the calendar does not have
            return None

    if kind == "conditional":
        return Deadline(text, None, on(lambda y: month_end(y, int(g["month"]))), CONDITIONAL, known)
    if kind == "start_day":
        return Deadline(text, on(lambda y: date(y, int(g["month"]), int(g["day"]))), None, DAY, known)
    if kind == "day":
        return Deadline(text, None, on(lambda y: date(y, int(g["month"]), int(g["day"]))), DAY, known)
    if kind == "span":
        m1, m2 = int(g["m1"]), int(g["m2"])
        return Deadline(text, on(lambda y: date(y, m1, 1)), on(lambda y: month_end(y, m2)), SPAN, known)
    if kind in ("month_end", "month", "month_bare"):
        return Deadline(text, None, on(lambda y: month_end(y, int(g["month"]))), MONTH, known)
    if kind == "month_before":
        month = int(g["month"])
        # "12月前": by December, that is by the end of the year.
        precision = YEAR if month == 12 else MONTH
        return Deadline(text, None, on(lambda y: month_end(y, month)), precision, known)
    if kind == "month_part":
        day = {"上旬": 10, "中旬": 20}.get(g["part"])
        month = int(g["month"])
        return Deadline(
            text, None, on(lambda y: date(y, month, day) if day else month_end(y, month)), APPROXIMATE, known
        )
    if kind == "quarter":
        q = _CN_DIGITS[g["q"]]
        return Deadline(text, None, on(lambda y: month_end(y, q * 3)), MONTH, known)
    if kind == "half":
        month = 12 if g["half"] == "下半年" else 6
        return Deadline(text, None, on(lambda y: month_end(y, month)), APPROXIMATE, known)
    if kind == "year_start":
        # 年初 is early in the year: the end of January is taken as the latest date.
        return Deadline(text, None, on(lambda y: date(y, 1, 31)), APPROXIMATE, known)
    if kind == "year_end":
        return Deadline(text, None, on(lambda y: date(y, 12, 31)), YEAR, known)
    if kind == "two_years":
        return Deadline(text, None, on(lambda y: date(y + 1, 12, 31)), YEAR, known)
    if kind == "this_year":
        return Deadline(text, None, on(lambda y: date(y, 12, 31)), YEAR, known)
    if kind == "ongoing":
        return Deadline(text, None, None, SPAN, True)
    raise AssertionError(kind)


def find_deadlines(
    text: str, year: int | None, *, anchored: bool = False, anchor: date | None = None
) -> list[tuple[int, int, Deadline]]:
    """Every deadline phrase in `text`, as (start, end, Deadline), left to right, not overlapping.

    `anchored` admits the phrases that are deadlines only where one is expected; `anchor` is the
    document's date, from which relative spans (3个月内) and recurring deadlines count (a start
    written before them, 从2024年第二季度起, moves that on)."""
    found: list[tuple[int, int, Deadline]] = []
    if not _ANY_DATE_WORD.search(text):
        return found
    after = anchor or (date(year, 1, 1) if year else None)
    combined = _COMBINED_ANCHORED if anchored else _COMBINED
    position = 0
    while position < len(text):
        hit = combined.search(text, position)
        if hit is None:
            break
        kind, pattern = _PATTERNS[int(hit.lastgroup[1:])]
        match = pattern.match(text, hit.start())
        if (
            kind == "relative"
            and not anchored
            and not _COUNTED_FROM.search(text[max(0, hit.start() - 12) : hit.start()])
        ):
            # "自印发之日起10个工作日内报送" is a deadline; "3个工作日内办结" (a service's time limit) is not.
            position = hit.start() + 1
            continue
        resolved = _resolve(kind, match, year, after if kind.startswith("rec_") else anchor)
        if resolved.start and kind.startswith("start") and (after is None or resolved.start > after):
            after = resolved.start
        found.append((match.start(), match.end(), resolved))
        position = match.end()
    return found


def _combined(anchored: bool) -> re.Pattern:
    """Every pattern in one alternation, in order: the leftmost phrase wins, and at one position
    the pattern listed first (as when they were tried one by one), in a single pass."""
    parts = []
    for n, (kind, pattern) in enumerate(_PATTERNS):
        if kind in _ANCHORED_ONLY and not anchored and kind != "relative":
            continue
        parts.append(f"(?P<k{n}>" + re.sub(r"\(\?P<\w+>", "(?:", pattern.pattern) + ")")
    return re.compile("|".join(parts))


_ANY_DATE_WORD = re.compile(r"[年月季内期坚推常]")
_COMBINED = _combined(False)
_COMBINED_ANCHORED = _combined(True)
_COUNTED_FROM = re.compile(r"起[^，,。；;]{0,3}$")


def parse_deadline(
    phrase: str, year: int | None, *, bare_year_allowed: bool = False, anchor: date | None = None
) -> Deadline | None:
    """The deadline a phrase states, if it starts with one (leading words like 力争/争取 skipped)."""
    stripped = re.sub(
        r"^(?:完成时限|时限|完成时间)?[:：]?\s*(?:力争在|争取在|预计在|力争|争取|确保|计划|于|在)?", "", phrase.strip()
    )
    for start, _end, deadline in find_deadlines(stripped, year, anchored=True, anchor=anchor):
        if start == 0 or (deadline.precision == CONDITIONAL and start <= 2):
            return deadline
        break
    if bare_year_allowed:
        match = BARE_YEAR.match(stripped) or YEAR_BEFORE.match(stripped)
        if match:
            written = match.group("year")
            if "*" in written:
                return Deadline(match.group(0), None, None, YEAR, False)
            return Deadline(match.group(0), None, date(int(written), 12, 31), YEAR, True)
    return None
