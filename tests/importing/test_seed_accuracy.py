"""The importer against the hand-read seed fixtures: the reference answer."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from departments.selectors import registry
from importer.evaluation import Report, score, table
from importer.parser import parse_plan

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
GOALS = {
    "tasks recall": 0.98,
    "tasks precision": 0.98,
    "lead exact": 0.95,
    "co-operating F1": 0.95,
    "deadline exact": 0.95,
    "milestones found": 0.95,
}


@pytest.mark.django_db
def test_importer_reads_the_seeds_as_the_fixtures_do(capsys):
    names = registry()
    rows: dict[str, Report] = {}
    total = Report()
    for path in sorted((FIXTURES / "plans").glob("*.yaml")):
        reference = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (FIXTURES / "seeds" / reference["source"]).read_text(encoding="utf-8")
        report = score(reference, parse_plan(text, registry=names), names)
        rows[path.stem[:3]] = report
        total.merge(report)
    rows["all"] = total
    with capsys.disabled():
        print("\n" + table(rows))
        for miss in total.misses:
            print("  ", miss)
    below = {name: value for name, value in total.row().items() if value < GOALS[name]}
    assert not below, f"below goal: {below}"
    for seed, report in rows.items():
        assert report.row()["tasks recall"] >= GOALS["tasks recall"], seed


@pytest.mark.django_db
def test_the_scorer_notices_a_wrong_answer():
    """A parse with a lead dropped, a co-operator added and a date moved scores below 1."""
    names = registry()
    reference = yaml.safe_load((FIXTURES / "plans" / "000_zhongzhan_2014.yaml").read_text(encoding="utf-8"))
    parsed = parse_plan((FIXTURES / "seeds" / reference["source"]).read_text(encoding="utf-8"), registry=names)
    broken = [t for t in parsed.tasks if t.lead]
    broken[0].lead = []
    broken[1].cooperating.append(broken[2].lead[0])
    broken[3].deadline = None
    parsed.tasks.pop()  # the last task goes missing
    row = score(reference, parsed, names).row()
    assert row["lead exact"] < 1 and row["co-operating F1"] < 1 and row["deadline exact"] < 1
    assert row["tasks recall"] == pytest.approx(19 / 20)
