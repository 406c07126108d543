from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reform_portal.backup import BackupError, counts, restore


class Command(BaseCommand):
    help = "Restore a backup made by backup_portal into the configured, empty database (make restore)."

    def add_arguments(self, parser):
        parser.add_argument("backup")

    def handle(self, *args, backup, **options):
        path = Path(backup)
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        try:
            manifest = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        found = counts()
        for label, expected in manifest["counts"].items():
            self.stdout.write(f"{label}: {found.get(label)} / {expected}")
        if found != manifest["counts"]:
            raise CommandError("恢复后的记录数与备份清单不符。")
        self.stdout.write(f"restored: {path.name}")
