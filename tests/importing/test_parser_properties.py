"""Random and mutated text: the reader never crashes; it returns a plan or says clearly why not."""

import random
from pathlib import Path

from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from importer.deadlines import find_deadlines, parse_deadline
from importer.documents import DocumentError, parse_document
from importer.parser import NoTasksFound, parse_plan
from importer.responsibility import find_in_text, parse_note

SEEDS = sorted((Path(settings.BASE_DIR) / "fixtures" / "seeds").glob("*.txt"))
SEED_TEXTS = [path.read_text(encoding="utf-8") for path in SEEDS]
# The characters plans are made of, so that random text reaches deep into the reader.
ALPHABET = list(
    "一二三四五六七八九十、（）()1234567890.．年月日底前初份-至区市县局委办会同牵头负责配合有关部门"
    "分别共同由等，,。；;：:\n 是①②*"
)

plan_text = st.text(alphabet=st.sampled_from(ALPHABET) | st.characters(codec="utf-8"), max_size=400)
limits = hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(plan) -> None:
    refs = {task.ref for task in plan.tasks}
    for task in plan.tasks:
        assert task.title or task.number
        assert task.parent is None or task.parent.ref in refs
        if task.deadline and task.deadline.deadline and task.start:
            assert task.start <= task.deadline.deadline or task.deadline.start is None
    plan.as_json()


@limits
@given(plan_text, st.one_of(st.none(), st.integers(min_value=1949, max_value=2100)))
def test_random_text(text, year):
    try:
        check(parse_plan(text, year=year))
    except NoTasksFound as error:
        assert str(error)


@limits
@given(st.sampled_from(range(len(SEED_TEXTS))), st.randoms(use_true_random=False), st.integers(1, 40))
def test_mutated_seeds(index, rnd: random.Random, edits):
    """Seeds with lines dropped, duplicated, cut or swapped, and characters injected."""
    lines = SEED_TEXTS[index].split("\n")
    for _ in range(edits):
        action = rnd.randrange(5)
        i = rnd.randrange(len(lines))
        if action == 0:
            del lines[i]
        elif action == 1:
            lines.insert(i, lines[rnd.randrange(len(lines))])
        elif action == 2:
            lines[i] = lines[i][: rnd.randrange(len(lines[i]) + 1)]
        elif action == 3:
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            position = rnd.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:position] + rnd.choice(ALPHABET) * rnd.randrange(1, 4) + lines[i][position:]
        if not lines:
            lines = [""]
    try:
        check(parse_plan("\n".join(lines)))
    except NoTasksFound as error:
        assert str(error)


@limits
@given(st.binary(max_size=600), st.sampled_from(["a.txt", "a.docx", "a.xlsx", "a.csv", "粘贴文本.txt"]))
def test_random_bytes_as_files(data, name):
    try:
        check(parse_document(data, name))
    except DocumentError as error:
        assert str(error)


@limits
@given(plan_text, st.one_of(st.none(), st.integers(min_value=1, max_value=9999)))
def test_deadline_and_clause_readers(text, year):
    for _start, _end, deadline in find_deadlines(text, year, anchored=True):
        assert deadline.text
    parse_deadline(text, year, bare_year_allowed=True)
    parse_note(text)
    find_in_text(text)
