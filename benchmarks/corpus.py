"""The importer on the shared corpus of real plans (../shared/corpus), in process.

The corpus's own scorer (score.py) runs `manage.py import_plan … --json --dry-run` once per
document; this module runs the same scorer with the parse done in process (the same
`parse_document` and registry the command uses, the registry read from
fixtures/departments.yaml), so a test or a benchmark needs no database and takes a second.

    python -m benchmarks.corpus [--no-year] [--corpus DIR]
"""

import argparse
import importlib.util
import io
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("tasks", "lead", "coop_f1", "deadline", "milestones")


def corpus_dir() -> Path | None:
    """The corpus folder: $CORPUS, else ../shared/corpus beside the checkout (None if absent)."""
    candidates = [Path(os.environ["CORPUS"])] if os.environ.get("CORPUS") else []
    candidates += [ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus"]
    return next((path for path in candidates if (path / "score.py").is_file() and (path / "gold").is_dir()), None)


def fixture_registry():
    """The seed departments' names and short names, as load_seed_plans registers them."""
    from importer.names import registry_of

    data = yaml.safe_load((ROOT / "fixtures" / "departments.yaml").read_text(encoding="utf-8"))
    return registry_of(data["departments"])


def _scorer(corpus: Path):
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HOLDOUT = str(corpus)
    return module


def evaluate(corpus: Path, *, give_year: bool = True) -> tuple[str, dict[str, float]]:
    """The scorer's table and its overall figures."""
    from importer.documents import DocumentError, parse_document

    scorer = _scorer(corpus)
    names = fixture_registry()

    def run_import(_project, _python, doc, year):
        try:
            parsed = parse_document(Path(doc).read_bytes(), Path(doc).name, year=year, registry=names)
        except DocumentError as error:
            return None, str(error)
        return parsed.as_json(), None

    scorer.run_import = run_import
    rows, total = scorer.evaluate(str(ROOT), sys.executable, give_year)
    out = io.StringIO()
    figures = {}
    with redirect_stdout(out):
        print(f"{'document':58} tasks  lead  coopF1 deadline milestones  error")
        for r in rows:
            print(
                f"{r['doc'][:58]:58} {r['found']:>2}/{r['gold']:<2} {scorer.ratio(r['lead_ok'], r['lead_n']):5.2f} "
                f"{scorer.f1(r['co_tp'], r['co_g'], r['co_m'], r['co_p']):6.2f} "
                f"{scorer.ratio(r['dl_ok'], r['dl_n']):8.2f} {r['ms_found']:>3}/{r['ms_gold']:<3}  "
                f"{(r['error'] or '')[:60]!r}"
            )
        t = total
        figures = {
            "tasks": scorer.ratio(t["found"], t["gold"]),
            "lead": scorer.ratio(t["lead_ok"], t["lead_n"]),
            "coop_f1": scorer.f1(t["co_tp"], t["co_g"], t["co_m"], t["co_p"]),
            "deadline": scorer.ratio(t["dl_ok"], t["dl_n"]),
            "milestones": scorer.ratio(t["ms_found"], t["ms_gold"]),
        }
        print("importer on corpus: " + " ".join(f"{k}={v:.2f}" for k, v in figures.items()))
    return out.getvalue(), figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-year", action="store_true", help="do not pass the document year")
    parser.add_argument("--corpus", type=Path, help="folder with docs/, gold/ and score.py")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    corpus = args.corpus or corpus_dir()
    if corpus is None:
        print("语料库不在（../shared/corpus）：跳过。")
        return
    text, _figures = evaluate(corpus, give_year=not args.no_year)
    print(text, end="")


if __name__ == "__main__":
    main()
