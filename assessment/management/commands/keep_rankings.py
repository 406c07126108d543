"""python manage.py keep_rankings [--as-of 2026-12-10]: what Celery beat does every quarter
of an hour, at once (after a deployment that changed the scoring, say)."""

from datetime import date

from django.core.management.base import BaseCommand

from assessment.services import rankings_keep


class Command(BaseCommand):
    help = "为未关账的考核方案生成得分缓存，使排名页面只需累加缓存与此后变化的任务。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, help="计分截止日（默认今天）")

    def handle(self, *args, as_of, **options):
        for made in rankings_keep(as_of=as_of):
            self.stdout.write(f"{made.scheme}：截至{made.as_of}，用时{made.seconds:.1f}秒")
