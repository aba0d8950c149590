"""The SPEC §7 targets, and how a benchmark script says what it measured (see README.md).

A script calls ``record(...)`` once per target it measures: the result is printed for people
and, when ``benchmarks/run.py`` runs the script, appended as one JSON line to the file named by
the environment variable DANVAN_BENCH_RESULTS, so that the runner can list every target's
median in one table and fail ``--check`` when one is missed."""

from __future__ import annotations

import json
import os

RESULTS_ENV = "DANVAN_BENCH_RESULTS"

SPEC_TARGETS: dict[str, str] = {
    "help": "danvan --help ≤ 0,2 s",
    "build-sample": "danvan build của sổ mẫu ≤ 1 s",
    "validate-100k-speed": "validate sổ 100.000 dòng ≤ 2× calamine đọc trơn",
    "validate-100k-memory": "validate sổ 100.000 dòng ≤ 500 MB",
    "validate-100k-warnings": "validate sổ 100.000 dòng, dòng nào cũng có cảnh báo ≤ 2× calamine",
    "annotate-100k-speed": "validate --annotate sổ 100.000 dòng ≤ 3× validate",
    "annotate-100k-memory": "validate --annotate sổ 100.000 dòng ≤ 500 MB",
    "hoso-100k-figures": "figures với 100.000 hồ sơ (HoSo) ≤ 2× calamine + khởi động",
    "hoso-100k-memory": "figures với 100.000 hồ sơ (HoSo) ≤ 500 MB",
    "batch-1000-rate": "batch 1.000 xã, 2 tiến trình ≥ 40 báo cáo/s",
    "batch-1000-vs-fresh": "batch ≥ 2× nhanh hơn tạo DocxTemplate mới mỗi báo cáo",
    "batch-pdf": "batch 20 xã --pdf ≤ 1,5× (batch + một lần soffice)",
}
"""Every target of SPEC §7 by the name a benchmark records it under; run.py lists those that
no script measures yet."""

EXTRA_MEASURES: dict[str, str] = {
    "validate-100k-errors": "validate sổ 100.000 dòng, mỗi dòng một loại sai khác nhau (so với "
    "calamine; ngoài SPEC §7, đo để theo dõi)",
}
"""Measures kept beside the targets to watch a case SPEC §7 sets no target for: listed by
run.py on their own, never a failure of --check."""


def record(target: str, value: float, unit: str, limit: str, met: bool, note: str = "") -> None:
    """One target's measure (a median, or a peak): printed, and kept for run.py."""
    verdict = "đạt" if met else "CHƯA ĐẠT"
    extra = f"; {note}" if note else ""
    print(f"[{target}] {value:.3f} {unit} (mục tiêu {limit}): {verdict}{extra}", flush=True)
    path = os.environ.get(RESULTS_ENV)
    if path:
        line = {
            "target": target,
            "value": value,
            "unit": unit,
            "limit": limit,
            "met": met,
            "note": note,
        }
        with open(path, "a", encoding="utf-8") as results:
            results.write(json.dumps(line, ensure_ascii=False) + "\n")
