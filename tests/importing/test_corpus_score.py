"""The importer on the shared corpus of real plans (../shared/corpus), scored by its own scorer."""

import pytest

from benchmarks.corpus import corpus_dir, evaluate

FLOOR = 0.85


@pytest.mark.parametrize("give_year", [True, False], ids=["with-year", "no-year"])
def test_every_corpus_figure_reaches_the_floor(give_year, capsys):
    corpus = corpus_dir()
    if corpus is None:
        pytest.skip("the shared corpus (../shared/corpus with score.py, docs/ and gold/) is not beside this checkout")
    table, figures = evaluate(corpus, give_year=give_year)
    with capsys.disabled():
        print("\n" + table)
    below = {name: round(value, 3) for name, value in figures.items() if value < FLOOR}
    assert not below, f"below {FLOOR}: {below}\n{table}"
