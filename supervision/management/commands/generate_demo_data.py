import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from supervision.services.demo_data import generate_demo_inspections
from tasks.models import Plan
from tasks.services.demo_data import generate_demo_data


class Command(BaseCommand):
    help = (
        "Create a realistic data set in bulk (plans, nested tasks, assignments, milestones, reports, decisions), "
        "and inspections with findings, demands and draft bulletins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=1000)
        parser.add_argument("--departments", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--inspections", type=int, default=3, help="inspections, one per plan, newest first")
        parser.add_argument(
            "--matters", type=int, default=None, help="督办事项 from 批示, meetings and proposals (default: tasks / 50)"
        )

    def handle(self, *args, tasks, departments, seed, inspections, matters, **options):
        if tasks < 1 or departments < 1 or inspections < 0:
            raise CommandError("--tasks 与 --departments 须为正整数，--inspections 不能为负数。")
        start = time.perf_counter()
        result = generate_demo_data(tasks=tasks, departments=departments, seed=seed)
        plans = Plan.objects.filter(slug__startswith=f"demo{seed}-plan-").order_by("-year", "pk")[:inspections]
        supervised = generate_demo_inspections(plans=list(plans), seed=seed)
        # The registers' app sits above tasks: called by name, never imported from here.
        if apps.is_installed("matters") and (matters is None or matters > 0):
            call_command("generate_demo_matters", count=matters or max(1, tasks // 50), seed=seed, stdout=self.stdout)
        self.stdout.write(
            f"{result.tasks} 项任务、{result.plans} 个方案、{result.departments} 个部门、{result.assignments} 条分工、"
            f"{result.milestones} 个节点、{result.reports} 份报告、{result.requests} 项申请，"
            f"{supervised.inspections} 次督查、{supervised.findings} 条督查发现、{supervised.demands} 条整改要求，"
            f"用时 {time.perf_counter() - start:.1f} 秒"
        )
