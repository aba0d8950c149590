"""``danvan batch`` under the ``spawn`` start method, Windows' only one (SPEC §8): worker
processes start as fresh interpreters that import danvan anew and receive their job by pickling.
``DANVAN_START_METHOD`` picks the method, so Linux runs the batch as Windows does."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import flat, no_traceback
from test_batch import DATE, _docx_text, generate
from typer.testing import CliRunner

import danvan_cli.build as build
from danvan_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _communes(folder: Path) -> Path:
    for index in range(3):
        generate.generate_workbook(generate.workbook_path(folder, index), index, receptions=5)
    return folder


def _args(inputs: Path, out: Path) -> list[str]:
    return ["batch", str(inputs), "-p", "9m", "--date", DATE, "-j", "2", "-o", str(out)]


def test_a_spawned_batch_in_a_fresh_process_gives_the_same_reports(tmp_path: Path) -> None:
    inputs = _communes(tmp_path / "in")
    env = {**os.environ, "DANVAN_START_METHOD": "spawn", "COLUMNS": "250", "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    spawned = subprocess.run(
        [sys.executable, "-m", "danvan_cli", *_args(inputs, tmp_path / "spawn")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert spawned.returncode == 0, spawned.stdout + spawned.stderr
    assert "Đã lập 3/3 báo cáo; 0 sổ lỗi." in flat(spawned.stdout)
    assert "Traceback" not in spawned.stderr
    default = CliRunner(env={"COLUMNS": "250"}).invoke(app, _args(inputs, tmp_path / "default"))
    assert default.exit_code == 0, default.output
    reports = sorted(path.name for path in (tmp_path / "default").glob("*.docx"))
    assert sorted(path.name for path in (tmp_path / "spawn").glob("*.docx")) == reports
    assert len(reports) == 3
    for name in reports:
        spawned_text = _docx_text(tmp_path / "spawn" / name)
        assert spawned_text == _docx_text(tmp_path / "default" / name)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork")
def test_the_variable_picks_the_start_method(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change made to this process after start-up reaches forked workers, never spawned ones
    (they import danvan afresh): the proof that the pool really spawns."""
    inputs = _communes(tmp_path / "in")

    def broken(path: Path, request: Any, *args: Any, **options: Any) -> Any:
        raise RuntimeError("only in this process")

    monkeypatch.setattr(build, "compute_for", broken)
    outcomes = {}
    for method in ("fork", "spawn"):
        runner = CliRunner(env={"DANVAN_START_METHOD": method, "COLUMNS": "250"})
        result = runner.invoke(app, _args(inputs, tmp_path / method))
        no_traceback(result)
        outcomes[method] = (result.exit_code, flat(result.stdout))
    assert outcomes["fork"][0] == 1
    assert "Đã lập 0/3 báo cáo; 3 sổ lỗi." in outcomes["fork"][1]
    assert "Lỗi không mong đợi (RuntimeError)." in outcomes["fork"][1]
    assert outcomes["spawn"][0] == 0
    assert "Đã lập 3/3 báo cáo; 0 sổ lỗi." in outcomes["spawn"][1]


def test_an_unknown_start_method_is_refused(tmp_path: Path) -> None:
    inputs = _communes(tmp_path / "in")
    runner = CliRunner(env={"DANVAN_START_METHOD": "thread", "COLUMNS": "250"})
    result = runner.invoke(app, _args(inputs, tmp_path / "out"))
    assert result.exit_code == 2
    methods = multiprocessing.get_all_start_methods()
    assert flat(result.output) == (
        f"Lỗi: DANVAN_START_METHOD=thread không hợp lệ: chọn {', '.join(methods[:-1])} hoặc "
        f"{methods[-1]} (hoặc bỏ biến này)."
    )
    assert not (tmp_path / "out").exists()
