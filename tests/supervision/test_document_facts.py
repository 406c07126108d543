"""What official documents state: current deadlines with the extension note, simplified text,
only units the office supervises, and prose that the document's own figures bear out."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from departments.choices import Jurisdiction
from departments.models import Department
from documents.dates import deadline_words
from supervision.models import Finding, Inspection, Notice, RectificationDemand
from supervision.reports.document import annex_rows, bulletin_context
from supervision.reports.drafting import REPORT_FRESH_DAYS
from supervision.services import inspection_create
from supervision.services.bulletins import bulletin_draft
from supervision.services.demo_data import generate_demo_inspections
from supervision.services.notices import notices_send
from tasks.models import Plan
from tasks.services.demo_data import generate_demo_data

from .conftest import make_task
from .prose_check import annex_figures, wrong_sentences

ACTIVE = ("assigned", "acknowledged", "in_progress", "completed")


def test_deadline_words_say_the_current_date_and_the_extension():
    assert deadline_words(date(2027, 3, 31), "2027年3月底前", None) == "2027年3月底前"
    assert deadline_words(date(2027, 6, 30), "2027年3月底前", date(2027, 3, 31)) == (
        "2027年6月30日（原定2027年3月底前，经批准延期至2027年6月30日）"
    )
    assert deadline_words(date(2027, 6, 30), "", date(2027, 3, 31)) == (
        "2027年6月30日（原定2027年3月31日，经批准延期至2027年6月30日）"
    )
    assert deadline_words(None, "", None) == "未定"
    assert deadline_words(date(2027, 3, 31), "2027年3月底前", date(2027, 3, 31)) == "2027年3月底前"


def test_annex_prints_the_extended_deadline_and_simplified_words(world):
    task = world.tasks["on_track"]
    task.original_deadline, task.deadline_phrase = task.deadline, "年底前"
    task.deadline = task.deadline + timedelta(days=90)
    task.title = "推進政務服務事項標準化"
    task.save()
    rows = {row.task: row for row in annex_rows(world.inspection)}
    row = rows["推进政务服务事项标准化"]
    moved = f"{task.deadline.year}年{task.deadline.month}月{task.deadline.day}日"
    assert row.deadline == f"{moved}（原定年底前，经批准延期至{moved}）"


def test_bulletin_and_notices_name_only_supervised_units(world):
    """A city body and the office's own parent lead overdue tasks: the rules propose neither,
    no 督办单 goes to them; the district's own overdue unit is still criticised."""
    parent = Department.objects.resolve("区人民政府办公室")
    city = Department.objects.get(name="市信访局")  # from the seeds' registry, guessed 上级机关 by its name
    assert city.jurisdiction == Jurisdiction.HIGHER
    assert parent is not None and parent.pk in set(
        Department.objects.exclude(pk__in=Department.objects.supervised()).values_list("pk", flat=True)
    )
    today = world.today
    for order, lead in ((8, city), (9, parent)):
        overdue = today - timedelta(days=90)
        make_task(world.plan, order, f"{lead.name}牵头的任务", lead, status="in_progress", deadline=overdue)
    inspection = inspection_create(
        title="范围测试督查",
        kind="special",
        period_start=today - timedelta(days=14),
        period_end=today,
        scope=f"plan={world.plan.pk}",
        by=world.user("supervisor"),
        today=today,
    )
    bulletin = bulletin_draft(inspection=inspection, by=world.user("supervisor"))
    named = set(bulletin.verdicts.values_list("department__name", flat=True))
    assert city.name not in named and parent.name not in named
    assert world.departments["fagaiwei"].name in named
    notices_send(inspection=inspection, by=world.user("supervisor"))
    sent = set(Notice.objects.filter(inspection=inspection).values_list("department__name", flat=True))
    assert city.name not in sent and parent.name not in sent
    assert world.departments["fagaiwei"].name in sent


def test_new_city_unit_is_registered_as_higher(db):
    from departments.services import department_upsert

    unit, _ = department_upsert(name="市发展和改革委员会测试", kind="other")
    street, _ = department_upsert(name="测试街道办事处", kind="street")
    assert (unit.jurisdiction, street.jurisdiction) == (Jurisdiction.HIGHER, Jurisdiction.LOWER)


def _check(inspection: Inspection) -> list[str]:
    bulletin = bulletin_draft(inspection=inspection, by=get_user_model().objects.get(username="supervisor"))
    context = bulletin_context(bulletin)
    fresh = inspection.period_end - timedelta(days=REPORT_FRESH_DAYS)
    figures = annex_figures(
        context["rows"],
        demands=RectificationDemand.objects.filter(finding__inspection=inspection).count(),
        reported=Finding.objects.filter(inspection=inspection, last_report_period__gte=fresh).count(),
    )
    text = "\n".join(p.text for section in context["sections"] for p in section["paragraphs"])
    assert text.count("。") >= 5
    return wrong_sentences(text, figures)


def _inspect(scope: str, title: str = "一致性督查") -> Inspection:
    today = timezone.localdate()
    return inspection_create(
        title=title,
        kind="special",
        period_start=today - timedelta(days=30),
        period_end=today,
        scope=scope,
        by=get_user_model().objects.get(username="supervisor"),
        today=today,
    )


def test_prose_agrees_with_the_figures_on_the_fixture_world(world):
    assert _check(world.inspection) == []


def test_prose_agrees_with_the_figures_on_the_seed_plans(demo_users):
    """Each seed plan whose tasks are given out (the others leave nothing to inspect)."""
    checked = 0
    for plan in Plan.objects.filter(tasks__status__in=ACTIVE).distinct().order_by("pk"):
        assert _check(_inspect(f"plan={plan.pk}", plan.title[:50])) == [], plan.title
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("seed", [3, 7])
def test_prose_agrees_with_the_figures_on_demo_data(seed, demo_users):
    generate_demo_data(tasks=120, departments=8, seed=seed)
    plans = list(Plan.objects.filter(slug__startswith=f"demo{seed}"))
    generate_demo_inspections(plans=plans, seed=seed)
    for inspection in Inspection.objects.filter(scope__in=[f"plan={p.pk}" for p in plans]):
        assert _check(inspection) == []


@pytest.mark.parametrize("status,deadline_days,progress", [("completed", -10, 100), ("in_progress", -60, 30)])
def test_prose_on_all_good_and_all_overdue(world, status, deadline_days, progress):
    """Every task of a plan in one state: the sentence for "all on time" and the one for
    "most overdue" are chosen, never the other way round."""
    today = world.today
    plan = Plan.objects.create(slug=f"uniform-{status}", title="同一状态方案", year=today.year)
    for order in range(1, 6):
        make_task(
            plan,
            order,
            f"任务{order}",
            world.departments["bianwei"],
            status=status,
            deadline=today + timedelta(days=deadline_days),
            start=today - timedelta(days=200),
            progress=progress,
            completed_on=today - timedelta(days=20) if status == "completed" else None,
        )
    assert _check(_inspect(f"plan={plan.pk}")) == []


def test_the_editor_refuses_to_criticise_a_unit_the_office_does_not_supervise(world, login):
    bulletin = bulletin_draft(inspection=world.inspection, by=world.user("supervisor"))
    city = Department.objects.get(name="市信访局")
    response = login("supervisor").post(bulletin.get_absolute_url(), {"title": "改过的标题", "criticised": [city.pk]})
    assert response.status_code == 400
    assert not bulletin.verdicts.filter(department=city).exists()
