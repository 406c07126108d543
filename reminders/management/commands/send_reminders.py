from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from reminders.services import owed_today, reminders_send, reminders_sweep


class Command(BaseCommand):
    help = "Run the reminder sweep now, without a broker: record what is owed and send it (--dry-run: only say)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the date to sweep for, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, today, dry_run, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError("--today 应为 YYYY-MM-DD 格式的日期。") from error
        if dry_run:
            day = day or timezone.localdate()
            owed = owed_today(day)
            for o in owed:
                self._say(o.reminder(day))
            self.stdout.write(f"would send: {len(owed)}")
            return
        with transaction.atomic():
            new, unsent = reminders_sweep(today=day, queue=False)
            sent = reminders_send(unsent)
        for reminder in new:
            self._say(reminder)
        self.stdout.write(f"sent: {sent}")

    def _say(self, reminder) -> None:
        who = f"用户{reminder.recipient_id}"
        self.stdout.write(f"{reminder.target_label} {reminder.rule} → {who}（时限 {reminder.deadline}）")
