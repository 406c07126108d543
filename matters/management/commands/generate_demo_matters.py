import time

from django.core.management.base import BaseCommand, CommandError

from matters.services.demo_data import generate_demo_matters


class Command(BaseCommand):
    help = "Create demo 督办事项: 批示件, meetings of several items, proposals with co-handlers and ratings."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError("--count 须为正整数。")
        start = time.perf_counter()
        made = generate_demo_matters(count=count, seed=seed)
        self.stdout.write(
            f"{made.instructions} 件批示、{made.meetings} 次会议（{made.items} 项议定事项）、"
            f"{made.proposals} 件建议提案，"
            f"用时 {time.perf_counter() - start:.1f} 秒"
        )
