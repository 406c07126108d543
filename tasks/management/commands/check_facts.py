from django.core.management.base import BaseCommand, CommandError

from tasks.facts import facts_disagreeing, facts_repair

LABELS = {
    "reported_through": "最近已报送期（reported_through）",
    "waiting": "待审标记（waiting）",
    "from_lead": "牵头单位报告标记（from_lead）",
    "tally": "任务汇总（tally）",
    "department_tally": "部门任务汇总（department tally）",
}


class Command(BaseCommand):
    help = (
        "Check the facts the database triggers keep (each task's latest sent report period and its "
        "waiting flag, each report's from-lead flag, the task tally the overview sums, the department "
        "tally the ranking sums) against the rows "
        "they come from. Exits 1 when any disagrees; --repair writes them afresh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="write the disagreeing facts afresh")

    def handle(self, *args, repair=False, **options):
        found = facts_repair() if repair else facts_disagreeing()
        for name, count in found.items():
            state = ("已修复 %d 处" if repair else "不一致 %d 处") % count if count else "一致"
            self.stdout.write(f"{LABELS[name]}：{state}")
        if any(found.values()) and not repair:
            raise CommandError("有记录与来源不一致：请查明原因后运行 check_facts --repair。")
