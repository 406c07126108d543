import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from departments.selectors import registry
from tasks.importing.documents import DocumentError, parse_document
from tasks.importing.readers import MAX_BYTES
from tasks.models import Plan
from tasks.services.importing import import_preview, plan_import


class Command(BaseCommand):
    help = (
        "Import a plan document (.txt in any common encoding, .docx, .xlsx, .csv). "
        "--json prints the parse as one JSON object on stdout (format in README); --dry-run saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--year", type=int, help="the plan's year, for deadline phrases without one")
        parser.add_argument("--dry-run", action="store_true", help="parse and report, save nothing")
        parser.add_argument("--json", action="store_true", help="print the parse as JSON on stdout")
        parser.add_argument("--plan", help="slug of an existing plan this file is a revised version of")
        parser.add_argument(
            "--create-departments", action="store_true", help="create the departments the registry does not know"
        )
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args, path, year, dry_run, json: bool, plan, create_departments, user, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"找不到文件：{path}")
        if source.stat().st_size > MAX_BYTES:
            raise CommandError("文件超过10 MB的上限。")
        try:
            parsed = parse_document(source.read_bytes(), source.name, year=year, registry=registry())
        except DocumentError as error:
            raise CommandError(str(error)) from error
        data = parsed.as_json()
        report = self.stderr if json else self.stdout
        if json:
            self.stdout.write(_dumps(data))
        target = None
        if plan:
            target = Plan.objects.filter(slug=plan).first()
            if target is None:
                raise CommandError(f"没有标识为“{plan}”的方案。")
        preview = import_preview(data=data, plan=target)
        counts = preview.counts
        report.write(
            f"任务 {len(data['tasks'])} 项：新增 {counts['new']}，修改 {counts['update']}，不变 {counts['same']}，"
            f"将撤销 {counts['removed']}"
        )
        for warning in data["warnings"] + [w for t in data["tasks"] for w in t["warnings"]]:
            report.write(f"  提示：{warning}")
        if preview.unknown_departments:
            verb = "将新建" if create_departments else "未登记（不分配，加 --create-departments 可新建）"
            report.write(f"  部门{verb}：{'、'.join(preview.unknown_departments)}")
        if dry_run:
            report.write("试运行，未保存。")
            return
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"没有用户“{user}”。")
        try:
            saved = plan_import(
                data=data,
                by=importer,
                plan=target,
                source_name=source.name,
                source_text=_source_text(source),
                new_departments=preview.unknown_departments if create_departments else [],
                year=year,
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        report.write(f"已保存方案“{saved.title}”（{saved.slug}）。")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _source_text(source: Path) -> str:
    """The text kept as the plan's source: the file's text, or empty for a spreadsheet."""
    from tasks.importing.readers import read_document

    return read_document(source.read_bytes(), source.name).text
