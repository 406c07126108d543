"""Bulletins (督查通报) with 200 and 2 000 annex rows: the render job a worker runs (read the
findings, fill the template, lay out and write the PDF, store it), each in a child process
so that its peak memory is its own. Goals: 200 rows ≤ 3 s; 2 000 rows ≤ 20 s and ≤ 600 MB.
The same bulletin as Word (.docx, documents/word.py) in a child of its own: ≤ 5 s."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

GOALS = {200: (3.0, None), 2000: (20.0, 600)}
WORD_GOAL_SECONDS = 5.0
ROOT = Path(__file__).resolve().parent.parent


def _database_url(connection) -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def _prepare(rows: int) -> int:
    """A draft bulletin whose inspection has exactly `rows` findings of demo tasks, and a
    render job for it; returns the job's id."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from supervision.models import Finding, Inspection, RenderJob
    from supervision.services.bulletins import bulletin_draft
    from supervision.services.inspections import findings_draft

    seed = 7000 + rows
    call_command(
        "generate_demo_data", tasks=rows * 13 // 10, departments=40, seed=seed, inspections=0, stdout=io.StringIO()
    )
    by = get_user_model().objects.get(username="supervisor")
    today = timezone.localdate()
    # Every tracked task in scope, then the first `rows` of this run's plans kept: the
    # annex holds exactly that many real findings.
    inspection = Inspection.objects.create(
        title=f"{rows}项任务专项督查", kind="special", period_start=today, period_end=today, scope="", created_by=by
    )
    findings_draft(inspection=inspection, today=today)
    ours = Finding.objects.filter(inspection=inspection, task__plan__slug__startswith=f"demo{seed}-")
    keep = list(ours.order_by("task__plan_id", "task__sort_key").values_list("pk", flat=True)[:rows])
    Finding.objects.filter(inspection=inspection).exclude(pk__in=keep).delete()
    count = Finding.objects.filter(inspection=inspection).count()
    assert count == rows, (count, rows)
    bulletin = bulletin_draft(inspection=inspection, by=by)
    return RenderJob.objects.create(bulletin=bulletin, requested_by=by).pk


def child(job_id: int) -> None:
    """Run in the child: render the job, print what it made as JSON."""
    import time

    import django

    django.setup()
    from pypdf import PdfReader

    from supervision.services.bulletins import render_job_run

    start, cpu = time.perf_counter(), time.process_time()
    job = render_job_run(job_id)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert job.status == "done", job.error
    with job.file.open("rb") as made:
        data = made.read()
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(
        json.dumps(
            {"seconds": round(seconds, 2), "render_cpu_seconds": round(cpu, 2), "pages": pages, "bytes": len(data)}
        )
    )


def word_child(job_id: int) -> None:
    """Run in the child: the job's bulletin as Word, printed as JSON."""
    import time

    import django

    django.setup()
    from docx import Document

    from supervision.models import RenderJob
    from supervision.reports.word import bulletin_docx

    bulletin = RenderJob.objects.select_related("bulletin").get(pk=job_id).bulletin
    start, cpu = time.perf_counter(), time.process_time()
    data = bulletin_docx(bulletin)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rows = len(Document(io.BytesIO(data)).tables[-1].rows) - 1
    result = {"seconds": round(seconds, 2), "render_cpu_seconds": round(cpu, 2), "annex_rows": rows}
    print(json.dumps(result | {"bytes": len(data)}))


def _child(connection, mode: str, job_id: int, rows: int) -> dict:
    environment = dict(
        os.environ, DATABASE_URL=_database_url(connection), DJANGO_SETTINGS_MODULE="reform_portal.settings.test"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bulletins", mode, str(job_id)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"bulletin {mode} with {rows} rows failed: {output}")
    result = json.loads(output.strip().splitlines()[-1])
    result.update(
        rows=rows,
        peak_mb=round(usage.ru_maxrss / 1024),
        cpu_seconds=round(usage.ru_utime + usage.ru_stime, 2),
        load_average=round(os.getloadavg()[0], 1),
    )
    return result


def run(connection) -> list[dict]:
    results = []
    for rows in GOALS:
        job_id = _prepare(rows)
        result = _child(connection, "pdf", job_id, rows)
        # CPU seconds beside the wall clock (the render's own, and the whole child's with
        # Django's start): on a shared machine the clock says how busy the others were,
        # the CPU what the render itself cost.
        seconds_goal, memory_goal = GOALS[rows]
        goal = f"≤ {seconds_goal:.0f} s" + (f", ≤ {memory_goal} MB" if memory_goal else "")
        label = f"bulletin PDF, {rows} annex rows"
        print(
            f"{label:<46} {result['seconds']:8.2f} s   {result['pages']} pages, {result['bytes'] / 1e6:.2f} MB, "
            f"peak {result['peak_mb']} MB, CPU {result['render_cpu_seconds']:.1f} s "
            f"(child {result['cpu_seconds']:.1f} s), "
            f"load {result['load_average']}   (goal {goal})"
        )
        results.append(result)
        word = _child(connection, "docx", job_id, rows)
        assert word["annex_rows"] == rows, word
        label = f"bulletin Word (.docx), {rows} annex rows"
        print(
            f"{label:<46} {word['seconds']:8.2f} s   {word['bytes'] / 1e6:.2f} MB, peak {word['peak_mb']} MB, "
            f"CPU {word['render_cpu_seconds']:.1f} s, load {word['load_average']}   (goal ≤ {WORD_GOAL_SECONDS:.0f} s)"
        )
        results.append(word | {"format": "docx"})
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    (bench_dir / f"bulletins-{connection.vendor}.json").write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    {"pdf": child, "docx": word_child}[sys.argv[1]](int(sys.argv[2]))
