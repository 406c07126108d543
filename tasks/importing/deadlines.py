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
_PATTERNS: list[tuple[str, re.Pattern]] = [
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
    # 年底前, 2016年年底, 年内
    ("year_end", re.compile(_NOT_A_COUNT + YEAR_RE + r"?(?:年底|年末|年内)(?:前|之前)?")),
    ("two_years", re.compile(r"今明两年")),
    ("this_year", re.compile(r"(?:今年|本年度?)(?:内|底前?)?")),
    ("ongoing", re.compile(r"长期坚持|长期推进|持续推进|常态化推进")),
]
# Phrases that also occur as ordinary words ("今年以来", "长期坚持…的原则"): they
# count only where a deadline is expected, never when scanning running text.
_ANCHORED_ONLY = {"two_years", "this_year", "ongoing"}

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


def _resolve(kind: str, match: re.Match, year: int | None) -> Deadline:
    text = match.group(0)
    y, known = _year(match, year)
    g = match.groupdict()

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
    if kind in ("month_end", "month"):
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


def find_deadlines(text: str, year: int | None, *, anchored: bool = False) -> list[tuple[int, int, Deadline]]:
    """Every deadline phrase in `text`, as (start, end, Deadline), left to right, not overlapping.

    `anchored` admits the phrases that are deadlines only where one is expected."""
    found: list[tuple[int, int, Deadline]] = []
    position = 0
    while position < len(text):
        best = None
        for kind, pattern in _PATTERNS:
            if kind in _ANCHORED_ONLY and not anchored:
                continue
            match = pattern.search(text, position)
            if match and (best is None or match.start() < best[1].start()):
                best = (kind, match)
        if best is None:
            break
        kind, match = best
        found.append((match.start(), match.end(), _resolve(kind, match, year)))
        position = match.end()
    return found


def parse_deadline(phrase: str, year: int | None, *, bare_year_allowed: bool = False) -> Deadline | None:
    """The deadline a phrase states, if it starts with one (leading words like 力争/争取 skipped)."""
    stripped = re.sub(r"^(?:力争在|争取在|预计在|力争|争取|确保|计划|于|在)", "", phrase.strip())
    for start, _end, deadline in find_deadlines(stripped, year, anchored=True):
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
