"""A document title broken between phrases, never inside a word (专/项督查).

GB/T 9704-2012 §7.3.1: a title that runs to more than one line is broken where the meaning
allows ("回行时要做到词意完整"), in lines of balanced length (排列对称). A 2号 (22 pt) title
holds 20 characters across the 156 mm type area."""

import re

LINE_CHARS = 20
# Where a phrase ends: after these words and marks a break reads naturally …
_AFTER = ("关于", "的", "和", "及", "与", "、", "，", "年度", "任务", "工作", "督查", "评估", "考核", "方案")
# … and before these it does too.
_BEFORE = (
    *("情况", "的通报", "的通知", "通报", "实施", "工作", "专项", "考核", "结果", "得分明细"),
    *("推进", "深化", "加快", "落实", "转变"),
)
# Never inside a run of digits or Latin letters (2026, GB/T).
_WORDLIKE = re.compile(r"[0-9A-Za-z]")


def width(text: str) -> float:
    """Digits and Latin letters take half a character."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def _candidates(title: str) -> set[int]:
    spots = set()
    for word in _AFTER:
        for match in re.finditer(re.escape(word), title):
            spots.add(match.end())
    for word in _BEFORE:
        for match in re.finditer(re.escape(word), title):
            spots.add(match.start())
    return {
        i for i in spots if 0 < i < len(title) and not (_WORDLIKE.match(title[i - 1]) and _WORDLIKE.match(title[i]))
    }


def title_lines(title: str, line_chars: int = LINE_CHARS) -> list[str]:
    """The title as its lines: one line if it fits, else broken at the phrase boundary that
    balances the lines best; a third line only when two cannot hold it."""
    if width(title) <= line_chars:
        return [title]
    fitting = [i for i in _candidates(title) if width(title[:i]) <= line_chars]
    if not fitting:
        cut = max(1, int(line_chars))
        return [title[:cut], *title_lines(title[cut:], line_chars)]
    two = [i for i in fitting if width(title[i:]) <= line_chars]
    # Two lines hold it: the most even pair; else fill the first line as far as a phrase allows.
    best = min(two, key=lambda i: abs(width(title[:i]) - width(title[i:]))) if two else max(fitting)
    return [title[:best], *title_lines(title[best:], line_chars)]
