"""python manage.py score_departments --year 2026 [--plan ID] [--as-of 2026-12-31] [--json]"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Scheme
from assessment.scoring.engine import Period
from assessment.selectors import live_lines, ranking, statement


class Command(BaseCommand):
    help = "按考核方案给各部门计分并排名；--json 输出每个部门的合计和明细。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--plan", type=int, help="方案编号；默认该年度的全年考核方案")
        parser.add_argument("--as-of", type=date.fromisoformat, help="计分截止日（默认年底或今天）")
        parser.add_argument("--json", action="store_true", help="每个部门一个对象：total 与 lines（各含 points）")

    def handle(self, *args, year, plan, as_of, json: bool, **options):
        scheme = Scheme.objects.filter(year=year, plan_id=plan).first()
        if scheme is None:
            if plan:
                raise CommandError(f"方案{plan}没有{year}年度的考核方案。")
            # Without a saved scheme the year is scored by the default rules.
            scheme = Scheme(year=year, title=f"{year}年度考核（默认规则）")
        rows = ranking(scheme, as_of)
        if json:
            self._json(scheme, rows, as_of)
            return
        frozen = scheme.pk and scheme.open_snapshot
        self.stdout.write(f"{scheme.title}{'（已关账）' if frozen else ''}")
        self.stdout.write(f"{'排名':>4}  {'类别内':>4}  {'百分制':>8}  {'合计':>10}  {'满分':>10}  部门（类别）")
        for row in rows:
            self.stdout.write(
                f"{row.rank:>4}  {row.class_rank:>4}  {row.score:>8}  {row.total:>10}  {row.full_marks:>10}  "
                f"{row.name}（{row.class_name}）"
            )

    def _json(self, scheme, rows, as_of):
        if scheme.pk and scheme.open_snapshot:
            by_department = {row.department_id: statement(scheme, row.department_id).lines for row in rows}
        else:
            by_department = {}
            for line in live_lines(Period.of(scheme, as_of)):
                by_department.setdefault(line.department_id, []).append(line)
        out = [
            {
                "department_id": row.department_id,
                "department": row.name,
                "class": row.class_name,
                "rank": row.rank,
                "class_rank": row.class_rank,
                "total": str(row.total),
                "full_marks": str(row.full_marks),
                "score": str(row.score),
                "lines": [
                    {
                        "task_id": line.task_id,
                        "rule": line.rule,
                        "source": line.source,
                        "source_id": line.source_id,
                        "points": str(line.points),
                        "explanation": line.explanation,
                    }
                    for line in by_department.get(row.department_id, [])
                ],
            }
            for row in rows
        ]
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
