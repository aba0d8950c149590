"""Benchmark of ``danvan batch`` (SPEC §7): 1.000 generated communes with 2 jobs must give
≥ 40 reports per second, and be ≥ 2× faster than rendering each report with a fresh
``docxtpl.DocxTemplate``.

Run from the repository root::

    python benchmarks/bench_batch.py [--n 1000] [--jobs 2] [--repeat 3] [--check]

The generated workbooks are cached under ``benchmarks/_data/`` (git-ignored) and reused.
``danvan batch`` runs as a subprocess, like a user runs it; the baseline loop runs in this
process on a subset (``--baseline``) with the very same contexts, once with a fresh
``DocxTemplate`` per report and once with the prepared ``ReportTemplate``, which also gives the
per-report breakdown (reading + checks + figures, context, rendering).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src"
CACHE = HERE / "_data"
REPORT_DATE = dt.date(2024, 9, 20)
TARGET_RATE = 40.0
TARGET_SPEEDUP = 2.0

sys.path.insert(0, str(HERE))
if (SRC / "danvan_cli").is_dir():
    sys.path.insert(0, str(SRC))

from generate import generate_communes, workbook_path  # noqa: E402
from targets import record  # noqa: E402


def cached_communes(n: int, receptions: int, seed: int) -> Path:
    """The folder of ``n`` generated workbooks, generated once and reused."""
    folder = CACHE / f"batch_n{n}_r{receptions}_s{seed}"
    marker = folder / ".complete"
    if marker.is_file() and all(workbook_path(folder, i).is_file() for i in range(n)):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    begin = time.perf_counter()
    generate_communes(folder, n, seed=seed, receptions=receptions, jobs=max(1, os.cpu_count() or 1))
    marker.write_text(f"n={n} receptions={receptions} seed={seed}\n", encoding="utf-8")
    print(f"Đã sinh {n} sổ vào {folder} ({time.perf_counter() - begin:.1f} s)")
    return folder


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    if (SRC / "danvan_cli").is_dir():
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(SRC), env.get("PYTHONPATH"))))
    return env


def run_batch(folder: Path, out: Path, jobs: int, *extra: str) -> float:
    """Seconds of one ``danvan batch`` run into ``out``, as a user runs it (a fresh process)."""
    command = [
        sys.executable,
        "-m",
        "danvan_cli",
        "batch",
        str(folder),
        "--period",
        "9m",
        "--jobs",
        str(jobs),
        "--date",
        REPORT_DATE.strftime("%d/%m/%Y"),
        "-o",
        str(out),
        *extra,
    ]
    begin = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=child_env(), check=False)
    elapsed = time.perf_counter() - begin
    if done.returncode != 0:
        sys.exit(
            f"danvan batch thất bại (mã {done.returncode}):\n"
            + done.stdout.decode(errors="replace")[-2000:]
            + done.stderr.decode(errors="replace")[-2000:]
        )
    return elapsed


def time_batch(folder: Path, n: int, jobs: int, repeat: int) -> list[float]:
    """Seconds of each ``danvan batch`` run (a fresh output folder each time)."""
    times: list[float] = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="danvan_bench_") as out:
            times.append(run_batch(folder, Path(out), jobs))
            written = len(list(Path(out).glob("*.docx")))
            if written != n:
                sys.exit(f"danvan batch chỉ ghi {written}/{n} báo cáo.")
    return times


def time_baseline(folder: Path, count: int) -> dict[str, float]:
    """Seconds per report, in this process, over the first ``count`` workbooks."""
    from docxtpl import DocxTemplate

    from danvan_cli import render
    from danvan_cli.build import PeriodRequest, compute_for
    from danvan_cli.context import build_context
    from danvan_cli.render import ReportTemplate, default_template_path

    request = PeriodRequest(code="9m")
    paths = [workbook_path(folder, i) for i in range(count)]

    begin = time.perf_counter()
    computed = [compute_for(path, request) for path in paths]
    t_compute = time.perf_counter() - begin

    begin = time.perf_counter()
    contexts = [build_context(c.data, c.figures, c.period, REPORT_DATE, True) for c in computed]
    t_context = time.perf_counter() - begin

    template_path = default_template_path()
    # The same sandboxed environment and filters ReportTemplate uses (render.environment:
    # this is a benchmark, the point is an identical rendering with a fresh template object).
    env = render.environment({})
    with tempfile.TemporaryDirectory(prefix="danvan_baseline_") as out:
        begin = time.perf_counter()
        for number, context in enumerate(contexts):
            document = DocxTemplate(template_path)
            document.render(context, env, autoescape=True)
            document.save(Path(out) / f"fresh_{number}.docx")
        t_fresh = time.perf_counter() - begin

        begin = time.perf_counter()
        prepared = ReportTemplate()
        t_prepare = time.perf_counter() - begin
        begin = time.perf_counter()
        for number, context in enumerate(contexts):
            (Path(out) / f"prepared_{number}.docx").write_bytes(prepared.render(context))
        t_prepared = time.perf_counter() - begin
    return {
        "compute": t_compute / count,
        "context": t_context / count,
        "fresh": t_fresh / count,
        "prepare_once": t_prepare,
        "prepared": t_prepared / count,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="số xã giả lập")
    parser.add_argument("--receptions", type=int, default=50, help="số lượt tiếp mỗi xã")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=int, default=60, help="số xã của vòng lặp đối chứng")
    parser.add_argument("--check", action="store_true", help="mã thoát 1 khi trượt mục tiêu")
    args = parser.parse_args()

    folder = cached_communes(args.n, args.receptions, args.seed)
    times = time_batch(folder, args.n, args.jobs, args.repeat)
    median = statistics.median(times)
    rate = args.n / median
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(
        f"danvan batch {args.n} xã, --jobs {args.jobs}: trung vị {median:.2f} s ({runs}) "
        f"= {rate:.1f} báo cáo/s (mục tiêu ≥ {TARGET_RATE:.0f})"
    )

    per = time_baseline(folder, min(args.baseline, args.n))
    baseline = per["compute"] + per["context"] + per["fresh"]
    baseline_rate = 1 / baseline
    speedup = rate / baseline_rate
    per_core = speedup / args.jobs
    print(
        f"Mỗi báo cáo (1 tiến trình, {min(args.baseline, args.n)} xã): đọc + kiểm tra + "
        f"tính số liệu {per['compute'] * 1000:.1f} ms, ngữ cảnh {per['context'] * 1000:.1f} ms, "
        f"kết xuất với DocxTemplate mới {per['fresh'] * 1000:.1f} ms, với ReportTemplate "
        f"chuẩn bị sẵn {per['prepared'] * 1000:.1f} ms (chuẩn bị một lần "
        f"{per['prepare_once'] * 1000:.0f} ms)"
    )
    print(
        f"Đối chứng (DocxTemplate mới mỗi báo cáo, tuần tự): {baseline_rate:.1f} báo cáo/s; "
        f"batch nhanh hơn {speedup:.2f}× (mục tiêu ≥ {TARGET_SPEEDUP:.0f}×; "
        f"tính trên mỗi tiến trình {per_core:.2f}×)"
    )
    record(
        "batch-1000-rate",
        rate,
        "báo cáo/s",
        f"≥ {TARGET_RATE:.0f} báo cáo/s",
        rate >= TARGET_RATE,
        f"{args.n} xã, --jobs {args.jobs}, trung vị {median:.2f} s",
    )
    record(
        "batch-1000-vs-fresh",
        speedup,
        "×",
        f"≥ {TARGET_SPEEDUP:.0f}×",
        speedup >= TARGET_SPEEDUP,
        f"đối chứng {baseline_rate:.1f} báo cáo/s",
    )
    missed = []
    if rate < TARGET_RATE:
        missed.append(f"tốc độ {rate:.1f} < {TARGET_RATE:.0f} báo cáo/s")
    if speedup < TARGET_SPEEDUP:
        missed.append(f"nhanh hơn đối chứng {speedup:.2f}× < {TARGET_SPEEDUP:.0f}×")
    if missed:
        print("CHƯA ĐẠT: " + "; ".join(missed))
        return 1 if args.check else 0
    print("Đạt mục tiêu.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
