"""SPEC §7 target for `danvan validate --annotate`: on a 100.000-row reception log, at most 3×
the time of plain `danvan validate` of the same log, with peak memory ≤ 500 MB. Measured on
two logs of bench_validate.py: the clean one (nothing to mark: the copy is the file) and the
noisy one, where most rows disagree with their case's kind (a warning) and every tenth has a
negative number of people (an error), so that most rows are rewritten and commented.

Run:  python benchmarks/bench_annotate.py [--rows 100000] [--repeat 5] [--check]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_validate import DATA, cached_log, make_log, peak_memory_mb  # noqa: E402
from targets import record  # noqa: E402

RATIO = 3.0
MEMORY_MB = 500


def cached_noisy_log(rows: int) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"tiep_cong_dan_loi_{rows}_v1.xlsx"
    if not path.exists():
        print(f"Tạo sổ {rows} dòng có lỗi… ", end="", flush=True)
        temp = path.with_suffix(".tmp.xlsx")
        make_log(temp, rows, seed=11, noisy=True)
        os.replace(temp, path)
        print("xong")
    return path


def median_time(command: list[str], repeat: int) -> float:
    """Median wall time of ``command`` (exit 0 or 1: a log with errors exits 1)."""
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        done = subprocess.run(command, check=False, capture_output=True)
        if done.returncode not in (0, 1) or b"Traceback" in done.stderr:
            sys.exit(
                f"{' '.join(command)} thất bại ({done.returncode}):\n"
                + done.stderr.decode(errors="replace")[-2000:]
            )
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def measure(label: str, log: Path, repeat: int, folder: Path) -> tuple[float, float, str]:
    """(time ratio --annotate / validate, peak memory of --annotate, a note) for one log."""
    danvan = [sys.executable, "-m", "danvan_cli"]
    out = folder / f"chu_thich_{log.stem}.xlsx"
    validate = [*danvan, "validate", str(log)]
    annotate = [*validate, "--annotate", str(out), "--force"]
    plain = median_time(validate, repeat)
    annotated = median_time(annotate, repeat)
    memory = peak_memory_mb(annotate)
    ratio = annotated / plain
    note = (
        f"{label}: validate {plain:.2f} s, --annotate {annotated:.2f} s, {memory:.0f} MB, "
        f"bản chú thích {out.stat().st_size / 1e6:.1f} MB"
    )
    print(note)
    return ratio, memory, note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clean = measure("sổ sạch", cached_log(args.rows), args.repeat, Path(folder))
        noisy = measure("sổ nhiều lỗi", cached_noisy_log(args.rows), args.repeat, Path(folder))
    ratio = max(clean[0], noisy[0])
    memory = max(clean[1], noisy[1])
    record("annotate-100k-speed", ratio, "×", f"≤ {RATIO:g}×", ratio <= RATIO, "sổ chậm hơn")
    record(
        "annotate-100k-memory", memory, "MB", f"≤ {MEMORY_MB} MB", memory <= MEMORY_MB, "sổ tốn hơn"
    )
    if ratio > RATIO or memory > MEMORY_MB:
        print("Chưa đạt mọi mục tiêu.")
        return 1 if args.check else 0
    print("Đạt mọi mục tiêu.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
