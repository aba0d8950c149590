"""Benchmark of ``danvan batch --pdf`` (SPEC §7): LibreOffice starts once for the whole batch, so
20 communes with ``--pdf`` take ≤ 1,5× (the same batch without ``--pdf`` plus one
``soffice --convert-to pdf`` call on its 20 reports).

Run from the repository root::

    python benchmarks/bench_batch_pdf.py [--n 20] [--jobs 2] [--repeat 3] [--check]

Every run is a fresh process in a fresh output folder, as a user runs it; the reference
LibreOffice call gets a fresh profile each time, as danvan's own does. Medians are compared.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))
if (SRC / "danvan_cli").is_dir():
    sys.path.insert(0, str(SRC))

from bench_batch import cached_communes, run_batch  # noqa: E402
from targets import record  # noqa: E402

TARGET_RATIO = 1.5


def run_soffice(office: str, reports: list[Path], work: Path) -> float:
    """One ``soffice --convert-to pdf`` call on ``reports``, with a fresh profile."""
    from danvan_cli.pdf import libreoffice_command

    outdir = work / "pdf"
    command = libreoffice_command(office, (work / "profile").as_uri(), outdir, reports)
    begin = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    elapsed = time.perf_counter() - begin
    made = len(list(outdir.glob("*.pdf")))
    if made != len(reports):
        sys.exit(f"soffice chỉ xuất {made}/{len(reports)} PDF.")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20, help="số xã giả lập")
    parser.add_argument("--receptions", type=int, default=50, help="số lượt tiếp mỗi xã")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="mã thoát 1 khi trượt mục tiêu")
    args = parser.parse_args()

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        print("Không có LibreOffice (soffice): bỏ qua phép đo batch --pdf.")
        return 0
    folder = cached_communes(args.n, args.receptions, args.seed)
    plain: list[float] = []
    convert: list[float] = []
    with_pdf: list[float] = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="danvan_bench_pdf_") as work:
            root = Path(work)
            plain.append(run_batch(folder, root / "plain", args.jobs))
            reports = sorted((root / "plain").glob("*.docx"))
            if len(reports) != args.n:
                sys.exit(f"danvan batch chỉ ghi {len(reports)}/{args.n} báo cáo.")
            convert.append(run_soffice(office, reports, root / "soffice"))
            with_pdf.append(run_batch(folder, root / "pdf", args.jobs, "--pdf"))
            made = len(list((root / "pdf").glob("*.pdf")))
            if made != args.n:
                sys.exit(f"danvan batch --pdf chỉ ghi {made}/{args.n} PDF.")
    batch, soffice, total = (statistics.median(t) for t in (plain, convert, with_pdf))
    reference = batch + soffice
    ratio = total / reference
    print(
        f"{args.n} xã, --jobs {args.jobs}, trung vị của {args.repeat} lần: batch {batch:.2f} s, "
        f"một lệnh soffice cho {args.n} báo cáo {soffice:.2f} s, batch --pdf {total:.2f} s "
        f"= {ratio:.2f}× (batch + soffice) (mục tiêu ≤ {TARGET_RATIO:.1f}×)"
    )
    note = f"batch {batch:.2f} s, soffice {soffice:.2f} s, batch --pdf {total:.2f} s"
    record("batch-pdf", ratio, "×", f"≤ {TARGET_RATIO:.1f}×", ratio <= TARGET_RATIO, note)
    if ratio > TARGET_RATIO:
        print(f"CHƯA ĐẠT: {ratio:.2f}× > {TARGET_RATIO:.1f}×")
        return 1 if args.check else 0
    print("Đạt mục tiêu.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
