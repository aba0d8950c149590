"""Every SPEC §7 target in one run: each ``benchmarks/bench_*.py`` script present, one after the
other, then one table of the medians by target (the convention a script follows is in
README.md).

Run from the repository root, with the project installed (``.venv/bin/python``)::

    python benchmarks/run.py [--check] [--only validate batch] [--require-all] [-- ARGS]

``--check``: exit 1 when a target is missed or a script fails; ``--require-all``: also when a
target of SPEC §7 has no script measuring it yet; ``--only``: the scripts whose name
(``bench_NAME.py``) is given; ``ARGS`` after ``--`` go to every script (e.g. ``--repeat 3``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from targets import EXTRA_MEASURES, RESULTS_ENV, SPEC_TARGETS  # noqa: E402


def scripts(folder: Path, only: list[str] | None) -> list[Path]:
    found = sorted(folder.glob("bench_*.py"))
    if only:
        found = [path for path in found if path.stem.removeprefix("bench_") in only]
    return found


def run_script(path: Path, extra: list[str]) -> tuple[int, list[dict[str, object]], float]:
    """Run one script with --check; its exit code, its records and its wall time."""
    with tempfile.TemporaryDirectory(prefix="danvan_bench_") as folder:
        results = Path(folder) / "results.jsonl"
        # as a user runs danvan once installed: pip compiles the bytecode at install time,
        # so a shell that sets PYTHONDONTWRITEBYTECODE would otherwise time danvan's own
        # modules being compiled from source on every run
        env = {**os.environ, RESULTS_ENV: str(results)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        print(f"\n=== {path.name} ===", flush=True)
        begin = time.perf_counter()
        done = subprocess.run([sys.executable, str(path), "--check", *extra], env=env, check=False)
        seconds = time.perf_counter() - begin
        lines = results.read_text(encoding="utf-8").splitlines() if results.exists() else []
    return done.returncode, [json.loads(line) for line in lines], seconds


def main() -> int:
    argv = sys.argv[1:]
    extra: list[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1 :]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--require-all", action="store_true", help="every SPEC §7 target")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="bench_NAME.py scripts only")
    parser.add_argument("--folder", type=Path, default=HERE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    records: list[dict[str, object]] = []
    broken: list[str] = []
    for path in scripts(args.folder, args.only):
        code, found, seconds = run_script(path, extra)
        records += found
        if code not in (0, 1) or (code == 1 and not found):
            broken.append(f"{path.name} (mã thoát {code}, {len(found)} mục tiêu)")
        elif not found:  # e.g. no LibreOffice here: the script says why; its targets are unmeasured
            print(f"--- {path.name}: không đo mục tiêu nào (bỏ qua)", flush=True)
        print(f"--- {path.name}: {seconds:.0f} s", flush=True)

    extras = [record for record in records if record["target"] in EXTRA_MEASURES]
    records = [record for record in records if record["target"] not in EXTRA_MEASURES]
    print("\nMục tiêu SPEC §7 (trung vị của mỗi phép đo):")
    width = max([len(str(r["target"])) for r in records] + [len(t) for t in SPEC_TARGETS])
    for record in records:
        verdict = "đạt" if record["met"] else "CHƯA ĐẠT"
        print(
            f"  {record['target']!s:<{width}}  {record['value']:>10.3f} {record['unit']!s:<8} "
            f"mục tiêu {record['limit']}: {verdict}"
        )
    measured = {str(record["target"]) for record in records}
    missing = [name for name in SPEC_TARGETS if name not in measured]
    why = "không chạy lần này (--only)" if args.only else "chưa có benchmark"
    for name in missing:
        print(f"  {name:<{width}}  {'—':>10} {'':<8} {why}: {SPEC_TARGETS[name]}")
    for record in extras:
        print(
            f"  {record['target']!s:<{width}}  {record['value']:>10.3f} {record['unit']!s:<8} "
            f"đo thêm, ngoài SPEC §7 (không tính vào --check): {EXTRA_MEASURES[record['target']]}"
        )
    for name in broken:
        print(f"Benchmark lỗi: {name}")
    missed = [str(record["target"]) for record in records if not record["met"]]
    if missed:
        print("Chưa đạt: " + ", ".join(missed))
    failed = bool(missed or broken or (args.require_all and missing))
    if not failed:
        print("Đạt mọi mục tiêu đã đo." if missing else "Đạt mọi mục tiêu.")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
