"""Every sentence a drafted bulletin prints, checked against the figures in the same document:
its annex (one row per task, with the rating and the delays) and its findings. A sentence no
pattern here knows is a failure too, so a new sentence cannot slip in unchecked."""

import re
from collections import Counter
from dataclasses import dataclass

from supervision.reports.drafting import MAJORITY, MOSTLY


@dataclass
class DocumentFigures:
    total: int
    ratings: Counter
    max_overdue: int
    milestones: int
    indicators: int
    demands: int
    reported: int

    @property
    def good(self) -> int:
        return self.ratings["按期完成"] + self.ratings["进展顺利"]

    @property
    def bad(self) -> int:
        return self.total - self.good

    def share(self, part: int) -> str:
        return f"{100 * part / self.total:.1f}" if self.total else "0"


def annex_figures(rows, *, demands: int, reported: int) -> DocumentFigures:
    """The figures the annex rows themselves show."""
    overdue = [int(m) for row in rows for m in re.findall(r"逾期(\d+)天", row.progress)]
    return DocumentFigures(
        total=len(rows),
        ratings=Counter(row.rating for row in rows),
        max_overdue=max(overdue, default=0),
        milestones=sum(int(m) for row in rows for m in re.findall(r"(\d+)个节点逾期", row.progress)),
        indicators=sum(int(m) for row in rows for m in re.findall(r"(\d+)项指标未达标", row.progress)),
        demands=demands,
        reported=reported,
    )


LABELS = ("按期完成", "进展顺利", "进度滞后", "未启动", "已逾期")


def _counts(text: str, f: DocumentFigures) -> bool:
    said = dict((label, int(n)) for label, n in re.findall(r"(按期完成|进展顺利|进度滞后|未启动|已逾期)(\d+)项", text))
    return all(said.get(label, 0) == f.ratings[label] for label in LABELS)


def _lagging(f: DocumentFigures) -> int:
    return f.ratings["进度滞后"] + f.ratings["未启动"]


# (pattern, check): the sentence (without its “（一）”) must match one pattern, and the check hold.
RULES = [
    (
        r"\d+年\d+月\d+日至\d+年\d+月\d+日，按照工作安排，对(\d+)个牵头单位承担的(\d+)项改革任务开展了.+",
        lambda m, f: int(m[2]) == f.total,
    ),
    (r"经督查，(.+)；按期完成和进展顺利的占([\d.]+)%", lambda m, f: _counts(m[1], f) and m[2] == f.share(f.good)),
    (r"共提出整改要求(\d+)条", lambda m, f: int(m[1]) == f.demands > 0),
    (r"本次督查范围内没有任务", lambda m, f: f.total == 0),
    (r"本次督查的(\d+)项任务均未按期完成或进展顺利", lambda m, f: int(m[1]) == f.total and f.good == 0),
    (r"任务推进总体有序", lambda m, f: f.good >= MOSTLY * f.total),
    (r"督查的(\d+)项任务全部按期完成或进展顺利", lambda m, f: int(m[1]) == f.total == f.good),
    (r"多数任务推进正常", lambda m, f: MAJORITY * f.total < f.good < MOSTLY * f.total),
    (r"部分任务取得进展", lambda m, f: 0 < f.good <= MAJORITY * f.total),
    (
        r"(\d+)项任务按期完成或进展顺利，占督查任务的([\d.]+)%(?:，另有(\d+)项任务未达进度要求|(，不足半数))?",
        lambda m, f: (
            int(m[1]) == f.good
            and m[2] == f.share(f.good)
            and (m[3] is None or int(m[3]) == f.bad)
            and (m[4] is None or f.good <= MAJORITY * f.total)
        ),
    ),
    (r"工作机制不断健全", lambda m, f: f.reported >= MOSTLY * f.total),
    (
        r"各牵头单位基本按月报送进展，(\d+)项任务在督查截止前两个月内有审核通过的进展报告，占([\d.]+)%(?:，(\d+)项任务未及时报送)?",
        lambda m, f: (
            int(m[1]) == f.reported >= MOSTLY * f.total
            and m[2] == f.share(f.reported)
            and (m[3] is None or int(m[3]) == f.total - f.reported)
        ),
    ),
    (r"多数任务进度滞后", lambda m, f: _lagging(f) > MAJORITY * f.total),
    (r"部分任务进度滞后", lambda m, f: 0 < _lagging(f) <= MAJORITY * f.total),
    (
        r"(?:(\d+)项任务进度滞后)?，?(?:(\d+)项任务尚未实质启动)?",
        lambda m, f: (
            (m[1] or m[2]) and int(m[1] or 0) == f.ratings["进度滞后"] and int(m[2] or 0) == f.ratings["未启动"]
        ),
    ),
    (r"逾期问题突出", lambda m, f: f.ratings["已逾期"] > MAJORITY * f.total),
    (r"逾期问题依然存在", lambda m, f: 0 < f.ratings["已逾期"] <= MAJORITY * f.total),
    (
        r"(\d+)项任务已超过完成时限，占([\d.]+)%，最长逾期(\d+)天",
        lambda m, f: (
            int(m[1]) == f.ratings["已逾期"] and m[2] == f.share(f.ratings["已逾期"]) and int(m[3]) == f.max_overdue
        ),
    ),
    (r"节点和指标落实不到位", lambda m, f: f.milestones or f.indicators),
    (
        r"(?:(\d+)个进度节点逾期未完成)?，?(?:(\d+)项指标未达到目标值)?",
        lambda m, f: (m[1] or m[2]) and int(m[1] or 0) == f.milestones and int(m[2] or 0) == f.indicators,
    ),
    (r"进展报送不及时", lambda m, f: f.reported < MOSTLY * f.total),
    (
        r"(\d+)项任务在督查截止前两个月内没有审核通过的进展报告，占([\d.]+)%",
        lambda m, f: int(m[1]) == f.total - f.reported and m[2] == f.share(f.total - f.reported),
    ),
    (r"本次督查未发现进度滞后、逾期或报送不及时的任务", lambda m, f: f.bad == 0 and f.reported == f.total),
    (r"加快推进滞后任务", lambda m, f: f.bad > 0),
    (r"各牵头单位要对照附件所列情况，逐项制定措施，明确责任人和完成时限", lambda m, f: f.bad > 0),
    (r"巩固工作成效", lambda m, f: f.bad == 0),
    (r"各牵头单位要保持工作力度，按期完成后续进度节点", lambda m, f: f.bad == 0),
    (r"按时报告整改情况", lambda m, f: f.demands > 0),
    (r"收到整改要求的单位须在整改时限前报告整改情况，由政府办审核销号", lambda m, f: f.demands > 0),
    (r"按时报送进展", lambda m, f: f.reported < MOSTLY * f.total),
    (r"各牵头单位须按报送周期报送进展情况和佐证材料", lambda m, f: f.reported < MOSTLY * f.total),
    (r"强化督查问效", lambda m, f: True),
    (r"督查室将持续跟踪督办，对整改不力、工作滞后的单位予以通报", lambda m, f: True),
]


def sentences(text: str) -> list[str]:
    result = []
    for line in text.splitlines():
        line = re.sub(r"^（[一二三四五六七八九十]+）", "", line.strip())
        result += [s.strip() for s in line.split("。") if s.strip()]
    return result


def wrong_sentences(text: str, figures: DocumentFigures) -> list[str]:
    """The sentences no rule matches, or whose figures the document contradicts."""
    wrong = []
    for sentence in sentences(text):
        for pattern, check in RULES:
            match = re.fullmatch(pattern, sentence)
            if match and check(match, figures):
                break
        else:
            wrong.append(sentence)
    return wrong
