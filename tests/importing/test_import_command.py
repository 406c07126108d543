"""manage.py import_plan --json --dry-run, as the corpus scorer runs it."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

PLAN = "某县2026年重点工作分工\n一、推进数字政务。（牵头单位：县数据局；配合单位：县财政局。完成时限：2026年6月底前）\n"


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    return path


def run(path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_plan", str(path), "--json", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.mark.django_db
def test_the_json_carries_the_additions(plan_file):
    data, _ = run(plan_file, "--dry-run", "--year", "2026")
    (task,) = [t for t in data["tasks"] if t["kind"] == "task"]
    assert [d["raw"] for d in task["lead"]] == ["县数据局"]
    assert task["deadline"] == "2026-06-30"
    assert {"lead_leader", "recurrence", "ongoing", "warnings"} <= set(task)


def test_a_dry_run_without_a_database_reads_against_the_seed_registry(plan_file, monkeypatch):
    """A fresh checkout (no migrated database) can still be scored."""

    def no_database():
        raise DatabaseError("no such table: departments_departmentalias")

    monkeypatch.setattr("tasks.management.commands.import_plan.registry", no_database)
    data, err = run(plan_file, "--dry-run")
    assert data["tasks"] and "数据库尚未建立" in err
    with pytest.raises(CommandError):
        run(plan_file)  # saving needs the database
