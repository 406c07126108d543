from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reform_portal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into one .tar.gz (make backup)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "var" / "backups"))

    def handle(self, *args, output, **options):
        try:
            path = backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
