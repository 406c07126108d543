"""The Chinese sentence beside each line item: plain Python over the line's figures."""

from datetime import date
from decimal import Decimal


def cn_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "未定"


def num(value) -> str:
    """15.00 → 15, 0.50 → 0.5: points as people write them."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def share_text(is_lead: bool, share) -> str:
    return "牵头单位计全部" if is_lead else f"配合单位计{num(Decimal(share) * 100)}%"


def task_line(*, rule: str, weight, share, is_lead: bool, deadline, completed_on, progress: int, points) -> str:
    head = f"分值{num(weight)}分，{share_text(is_lead, share)}"
    if rule == "on_time":
        return f"{head}；{cn_date(completed_on)}办结，时限{cn_date(deadline)}，按期完成得{num(points)}分"
    if rule == "completed_late":
        return f"{head}；{cn_date(completed_on)}办结，晚于时限{cn_date(deadline)}，完成得{num(points)}分（逾期另扣）"
    if rule == "in_progress":
        return f"{head}；时限{cn_date(deadline)}未到，按进度{progress}%得{num(points)}分"
    return f"{head}；时限{cn_date(deadline)}已过仍未办结，不得分"


def late_line(*, weight, share, is_lead: bool, days: int, weeks: int, per_week, cap, points) -> str:
    rate = min(Decimal(weeks) * Decimal(per_week), Decimal(cap))
    capped = "（已达上限）" if Decimal(weeks) * Decimal(per_week) > Decimal(cap) else ""
    return (
        f"逾期{days}天，计{weeks}周，每周扣分值的{num(per_week)}%，上限{num(cap)}%：扣{num(rate)}%{capped}；"
        f"分值{num(weight)}分，{share_text(is_lead, share)}，扣{num(-Decimal(points))}分"
    )


def late_report_line(*, period: date, submitted: date, due_day: int, points) -> str:
    return (
        f"{period.year}年{period.month}月进展报告{cn_date(submitted)}报送，"
        f"晚于当月{due_day}日，扣{num(-Decimal(points))}分"
    )


def returned_report_line(*, period: date, points) -> str:
    return f"{period.year}年{period.month}月进展报告被退回，扣{num(-Decimal(points))}分"


def milestone_line(*, text: str, deadline: date, done_on: date | None, points) -> str:
    done = f"{cn_date(done_on)}才完成" if done_on else "未完成"
    clipped = text if len(text) <= 30 else text[:29] + "…"
    return f"节点“{clipped}”时限{cn_date(deadline)}，{done}，扣{num(-Decimal(points))}分"


def finding_line(*, inspection: str, rating_label: str, points) -> str:
    sign = "加" if Decimal(points) >= 0 else "扣"
    return f"“{inspection}”督查评价为“{rating_label}”，{sign}{num(abs(Decimal(points)))}分"


def bulletin_line(*, number: str, verdict_label: str, reason: str, points) -> str:
    sign = "加" if Decimal(points) >= 0 else "扣"
    why = f"（{reason}）" if reason else ""
    return f"{number}予以{verdict_label}{why}，{sign}{num(abs(Decimal(points)))}分"
