"""The one entry point of the SPEC §7 benchmarks (issue 13 item 5): ``benchmarks/run.py`` runs
every ``bench_*.py`` script that follows the convention of benchmarks/README.md and lists each
target's median; ``--check`` fails on a missed target or a broken script. The real scripts are
slow (minutes): here the runner drives small scripts written to follow the convention, and the
real ones are checked to record only the targets of SPEC §7."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from targets import EXTRA_MEASURES, RESULTS_ENV, SPEC_TARGETS  # noqa: E402

SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from targets import record
met = {met}
record("{target}", {value}, "s", "≤ 1 s", met)
sys.exit(1 if "--check" in sys.argv and not met else {code})
"""


def bench_folder(tmp_path: Path, scripts: dict[str, tuple[str, float, bool, int]]) -> Path:
    folder = tmp_path / "benchmarks"
    folder.mkdir()
    shutil.copy(BENCHMARKS / "targets.py", folder)
    for name, (target, value, met, code) in scripts.items():
        text = SCRIPT.format(target=target, value=value, met=met, code=code)
        (folder / f"bench_{name}.py").write_text(text, encoding="utf-8")
    (folder / "generate.py").write_text("raise SystemExit('not a benchmark')\n", encoding="utf-8")
    return folder


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != RESULTS_ENV}
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--folder", str(folder), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def table(output: str) -> list[str]:
    lines = output.splitlines()
    start = lines.index("Mục tiêu SPEC §7 (trung vị của mỗi phép đo):")
    return [" ".join(line.split()) for line in lines[start + 1 :]]


def test_every_target_met(tmp_path: Path) -> None:
    folder = bench_folder(
        tmp_path, {"a": ("help", 0.11, True, 0), "b": ("build-sample", 0.62, True, 0)}
    )
    done = run(folder, "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = table(done.stdout)
    assert rows[:2] == [
        "help 0.110 s mục tiêu ≤ 1 s: đạt",
        "build-sample 0.620 s mục tiêu ≤ 1 s: đạt",
    ]
    assert (
        "validate-100k-speed — chưa có benchmark: validate sổ 100.000 dòng ≤ 2× calamine "
        "đọc trơn" in rows
    )
    assert rows[-1] == "Đạt mọi mục tiêu đã đo."
    assert "generate.py" not in done.stdout  # not a bench_*.py: never run


def test_a_missed_target_fails_check(tmp_path: Path) -> None:
    folder = bench_folder(
        tmp_path, {"a": ("help", 0.11, True, 0), "b": ("build-sample", 1.7, False, 0)}
    )
    done = run(folder, "--check")
    assert done.returncode == 1
    assert "build-sample 1.700 s mục tiêu ≤ 1 s: CHƯA ĐẠT" in table(done.stdout)
    assert table(done.stdout)[-1] == "Chưa đạt: build-sample"
    assert run(folder).returncode == 0  # without --check it only reports


def test_a_broken_script_fails_check(tmp_path: Path) -> None:
    folder = bench_folder(tmp_path, {"a": ("help", 0.11, True, 3)})
    done = run(folder, "--check")
    assert done.returncode == 1
    assert "Benchmark lỗi: bench_a.py (mã thoát 3, 1 mục tiêu)" in done.stdout


def test_a_script_that_cannot_measure_here_is_skipped(tmp_path: Path) -> None:
    """No LibreOffice on this machine: bench_batch_pdf.py says so and records nothing."""
    folder = bench_folder(tmp_path, {"a": ("help", 0.11, True, 0)})
    (folder / "bench_pdf.py").write_text("print('Không có LibreOffice.')\n", encoding="utf-8")
    done = run(folder, "--check")
    assert done.returncode == 0, done.stdout
    assert "--- bench_pdf.py: không đo mục tiêu nào (bỏ qua)" in done.stdout
    assert "batch-pdf — chưa có benchmark: batch 20 xã --pdf ≤ 1,5× (batch + một lần soffice)" in (
        table(done.stdout)
    )


def test_only_and_require_all(tmp_path: Path) -> None:
    folder = bench_folder(
        tmp_path, {"a": ("help", 0.11, True, 0), "b": ("build-sample", 0.5, True, 0)}
    )
    only = run(folder, "--only", "b", "--check")
    measured = [row for row in table(only.stdout) if row.endswith((": đạt", "CHƯA ĐẠT"))]
    assert measured == ["build-sample 0.500 s mục tiêu ≤ 1 s: đạt"]
    assert "help — không chạy lần này (--only): danvan --help ≤ 0,2 s" in table(only.stdout)
    assert run(folder, "--check", "--require-all").returncode == 1


@pytest.mark.parametrize("script", sorted(BENCHMARKS.glob("bench_*.py")), ids=lambda p: p.name)
def test_real_scripts_record_spec_targets(script: Path) -> None:
    """Each real script follows the convention: --check, and record() of SPEC §7 targets."""
    text = script.read_text(encoding="utf-8")
    assert '"--check"' in text
    recorded = re.findall(r'record\(\s*"([a-z0-9-]+)"', text)
    assert recorded, "records no target"
    assert set(recorded) <= set(SPEC_TARGETS) | set(EXTRA_MEASURES)


def test_an_extra_measure_is_listed_apart_and_never_fails_check(tmp_path: Path) -> None:
    """A case SPEC §7 sets no target for (every row an error) is watched, not a target."""
    folder = bench_folder(
        tmp_path, {"a": ("help", 0.11, True, 0), "b": ("validate-100k-errors", 2.4, False, 0)}
    )
    done = run(folder, "--only", "a", "b", "--check")
    assert done.returncode == 0, done.stdout
    assert any(
        row.startswith("validate-100k-errors 2.400 s đo thêm, ngoài SPEC §7")
        for row in table(done.stdout)
    ), done.stdout
    assert "Chưa đạt" not in done.stdout
