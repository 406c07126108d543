import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from departments.permissions import SYSTEM
from departments.selectors import registry
from importer.documents import DocumentError, parse_read_document
from importer.names import registry_of
from importer.readers import MAX_BYTES, read_document
from importer.simplify import looks_traditional
from tasks.models import Plan
from tasks.services.importing import import_preview, plan_import


class Command(BaseCommand):
    help = (
        "Import a plan document (.txt in any common encoding, .csv, .docx, .xlsx, .pdf with a text layer, "
        ".doc/.wps/.rtf/.odt through LibreOffice, a saved web page .html/.htm/.mht, .ofd). "
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
        parser.add_argument(
            "--assign",
            action="store_true",
            help="give out (交办) every task with a lead at once, notifying the departments; else they stay drafts",
        )
        parser.add_argument(
            "--simplify",
            action="store_true",
            help="convert traditional characters to simplified before parsing (the source text is kept as it is)",
        )

    def handle(
        self, *args, path, year, dry_run, json: bool, plan, create_departments, user, simplify, assign, **options
    ):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"找不到文件：{path}")
        if source.stat().st_size > MAX_BYTES:
            raise CommandError("文件超过10 MB的上限。")
        try:
            names, database_ready = registry(), True
        except DatabaseError:
            if not dry_run:
                raise CommandError("数据库尚未建立：先运行 manage.py migrate 和 load_seed_plans。") from None
            # A dry run on a fresh checkout reads the plan against the seed registry.
            names, database_ready = _seed_registry(), False
        try:
            # Read once: the text read is also the plan's source, and a .doc costs a LibreOffice run.
            document = read_document(source.read_bytes(), source.name)
            parsed = parse_read_document(document, year=year, registry=names, simplify=simplify)
        except DocumentError as error:
            raise CommandError(str(error)) from error
        data = parsed.as_json()
        report = self.stderr if json else self.stdout
        if json:
            self.stdout.write(_dumps(data))
        if not database_ready:
            report.write("数据库尚未建立：按种子部门库识别单位；试运行，未保存。")
            return
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
        for warning in data["warnings"]:
            report.write(f"  提示：{warning}")
        if not simplify and looks_traditional(document):
            report.write("  提示：文中多为繁体字，加 --simplify 可转换为简体后识别（原文照存）。")
        items = {item["ref"]: item for item in data["tasks"]}
        if preview.flagged:
            report.write(f"  {preview.flagged} 行需要核对：")
        for row in preview.rows:
            if row.flags:
                item = items[row.ref]
                report.write(f"    {item.get('number') or ''}{(item.get('title') or '')[:20]}：{'；'.join(row.flags)}")
        if preview.unknown_departments:
            verb = "将新建" if create_departments else "未登记（不分配，加 --create-departments 可新建）"
            report.write(f"  部门{verb}：{'、'.join(preview.unknown_departments)}")
        if dry_run:
            report.write("试运行，未保存。")
            return
        importer = SYSTEM
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
                source_text=document.text,
                new_departments=preview.unknown_departments if create_departments else [],
                year=year,
                assign=assign,
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        report.write(f"已保存方案“{saved.title}”（{saved.slug}）。")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def _seed_registry():
    """The seed departments (fixtures/departments.yaml), for a dry run with no database."""
    import yaml

    path = Path(settings.BASE_DIR) / "fixtures" / "departments.yaml"
    return registry_of(yaml.safe_load(path.read_text(encoding="utf-8"))["departments"])
