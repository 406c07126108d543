from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tasks.services.seeding import seed_plans_load


class Command(BaseCommand):
    help = "Load the department registry and the five seed plans from fixtures/ (running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", default=str(Path(settings.BASE_DIR) / "fixtures"), help="fixtures folder")

    def handle(self, *args, fixtures, **options):
        try:
            result = seed_plans_load(Path(fixtures))
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"部门库：{result['departments_changed']} 个部门新增或补充名称")
        for name in result["plans_loaded"]:
            self.stdout.write(self.style.SUCCESS(f"已载入方案 {name}"))
        for name in result["plans_skipped"]:
            self.stdout.write(f"方案 {name} 已存在，未改动")
