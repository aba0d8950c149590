"""A custom template that loops or grows without end is stopped (SPEC §6; issue #12 item 3): a
render past its time or output budget ends with a Vietnamese error naming the paragraph, in
``template check``, ``build`` and a spawned worker process alike. The budget is injected small
here (0,5 s, 1 MB) so the tests stay fast; the defaults are 30 s and 50 MB."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from support import flat, no_traceback
from template_edits import rewrite, with_paragraph
from typer.testing import CliRunner

from danvan_cli import template_limits
from danvan_cli.cli import app
from danvan_cli.context import sample_contexts
from danvan_cli.errors import TemplateError
from danvan_cli.render import ReportTemplate
from danvan_cli.template_check import check_template
from danvan_cli.template_limits import (
    GuardedEnvironment,
    Limits,
    RenderLimitError,
    budget,
    render_bounded,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tan_hung_2024.xlsx"
SMALL = Limits(seconds=0.5, output_bytes=1024 * 1024)
NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
HUGE_STRING = "{{ 'a'*10**9 }}"
TIME_MESSAGE = (
    "Mẫu báo cáo chạy quá 0,5 giây mà chưa điền xong (đoạn «{% for i in range(100000) %}{% for "
    "j in range(100000) %}{% endfor…»): có thể có vòng lặp quá lớn hoặc không bao giờ dừng. "
    "danvan đã dừng lại; hãy sửa hoặc bỏ vòng lặp đó trong mẫu."
)


def hostile(tmp_path: Path, text: str, name: str = "mau.docx") -> Path:
    """The default template with one more paragraph, after the title."""
    return rewrite(tmp_path / name, with_paragraph(text, after="I. ĐẶC ĐIỂM TÌNH HÌNH"))


def render(source: str, limits: Limits = SMALL) -> tuple[str, float]:
    """Fill a bare template; what it produced (or the kind of limit it hit), and how long."""
    begin = time.perf_counter()
    try:
        with budget(limits):
            result = render_bounded(GuardedEnvironment().from_string(source), {"L": [1, 2, 3]})
    except RenderLimitError as err:
        result = f"limit:{err.kind}"
    return result, time.perf_counter() - begin


# --- the guards, one by one ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        (NESTED_LOOPS, "time"),
        (
            "{% set l = range(100000)|list %}"
            "{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}",
            "time",
        ),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            "size",
        ),
        (HUGE_STRING, "size"),
        ("{{ 'ab' * 600000 }}", "size"),
        ("{{ 7 ** 1000000 }}", "size"),
        ("{{ 'a'|center(1000000000) }}", "size"),
        ("{{ '%999999999d' % 1 }}", "size"),
        ("{{ '%999999999d'|format(1) }}", "size"),
        ("{{ '{:>999999999}'.format(1) }}", "size"),
        ("{{ 'a'.ljust(999999999) }}", "size"),
        ("{{ ('a' * 100000).replace('', 'bbbbbbbbbbbbbbbbbbbb') }}", "size"),
        (
            "{% set ns = namespace(s='a') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
            "{% endfor %}",
            "size",
        ),
        (
            "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% endif %}{% endmacro %}"
            "{{ d('a', 40) }}",
            "size",
        ),
    ],
)
def test_runaway_template_is_stopped(source: str, kind: str) -> None:
    # a size bomb is given ample time, so that a loaded machine cannot make it a time-out
    limits = SMALL if kind == "time" else Limits(seconds=20.0, output_bytes=SMALL.output_bytes)
    result, seconds = render(source, limits)
    assert result == f"limit:{kind}"
    assert seconds < (2.0 if kind == "time" else 20.0)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{% for i in range(3) %}{{ loop.index }}/{{ loop.length }}{{ ',' if not loop.last }}"
            "{% endfor %}",
            "1/3,2/3,3/3",
        ),
        ("{% for x in [] %}x{% else %}trống{% endfor %}", "trống"),
        ("{% for k, v in {'a': 1, 'b': 0}.items() if v %}{{ k }}={{ v }}{% endfor %}", "a=1"),
        ("{% for x in L recursive %}{{ x }}{% endfor %}", "123"),
        (
            "{{ L|sum }} {{ L[1] + L[2] }} {{ 'ab' * 3 }} {{ 7 % 3 }} {{ '%05.1f' % 3.14159 }}",
            "6 5 ababab 1 003.1",
        ),
        (
            "{% set ns = namespace(n=0) %}{% for x in L %}{% set ns.n = ns.n + x %}{% endfor %}"
            "{{ ns.n }}",
            "6",
        ),
        (
            "{{ '{} và {}'.format('a', 'b') }} {{ 'x'|center(5) }}|{{ 2 ** 10 }}",
            "a và b   x  |1024",
        ),
    ],
)
def test_ordinary_templates_still_work(source: str, expected: str) -> None:
    assert render(source) == (expected, pytest.approx(0, abs=1.0))


def test_lorem_ipsum_and_mutation_are_not_offered() -> None:
    with pytest.raises(Exception, match="lipsum"):
        render("{{ lipsum(1000000) }}")
    with pytest.raises(Exception, match="unsafe"):
        render("{{ L.append(L) }}")


# --- through the template object, check and the CLI ------------------------------------------


def test_report_template_render_is_stopped_naming_the_paragraph(tmp_path: Path) -> None:
    template = ReportTemplate(hostile(tmp_path, NESTED_LOOPS), SMALL)
    begin = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        template.render(sample_contexts()[0])
    assert time.perf_counter() - begin < 2.0
    assert str(caught.value) == TIME_MESSAGE


def test_recursive_macro_is_an_error(tmp_path: Path) -> None:
    path = hostile(tmp_path, "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")
    with pytest.raises(TemplateError) as caught:
        ReportTemplate(path, SMALL).render(sample_contexts()[0])
    assert str(caught.value).startswith(
        "Mẫu báo cáo có macro gọi lại chính nó không dừng (đoạn «{% macro f() %}"
    )


def test_check_stops_once(tmp_path: Path) -> None:
    """``template check`` renders several contexts; the first overrun ends it."""
    begin = time.perf_counter()
    checked = check_template(hostile(tmp_path, NESTED_LOOPS), SMALL)
    assert time.perf_counter() - begin < 3.0
    assert checked.errors == [TIME_MESSAGE]


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template_limits, "DEFAULT_LIMITS", SMALL)


@pytest.mark.usefixtures("small_limits")
def test_cli_check_and_build_stop_a_runaway_loop(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hostile(tmp_path, NESTED_LOOPS)
    out = tmp_path / "ra"
    out.mkdir()
    monkeypatch.chdir(out)
    begin = time.perf_counter()
    check = runner.invoke(app, ["template", "check", str(path)])
    assert check.exit_code == 1
    no_traceback(check)
    assert flat(check.output) == f"Lỗi: {TIME_MESSAGE}"
    build = runner.invoke(
        app,
        ["build", str(SAMPLE), "-p", "9m", "--date", "20/9/2024", "--template", str(path)],
    )
    assert build.exit_code == 1
    no_traceback(build)
    assert TIME_MESSAGE in flat(build.output)
    assert list(out.iterdir()) == []
    assert time.perf_counter() - begin < 8.0


# --- 'a'*10**9 with the real limits: no memory spent -------------------------------------------

_CHILD = """
import json, sys, time
from typer.testing import CliRunner
from danvan_cli.cli import app
begin = time.perf_counter()
result = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"}).invoke(app, sys.argv[1:])
seconds = time.perf_counter() - begin
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:"))
print(json.dumps({"code": result.exit_code, "output": result.output, "seconds": seconds,
                  "peak_mb": peak}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory read from /proc")
def test_huge_string_is_refused_before_it_is_built(tmp_path: Path) -> None:
    """Issue #12: ``{{ 'a'*10**9 }}`` took 3 GB; the product is refused before it exists."""
    path = hostile(tmp_path, HUGE_STRING)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    args = [
        "build",
        str(SAMPLE),
        "-p",
        "9m",
        "--template",
        str(path),
        "-o",
        str(tmp_path / "b.docx"),
    ]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    assert run["code"] == 1
    assert (
        "Mẫu báo cáo tạo ra quá 50 MB nội dung (đoạn «{{ 'a'*10**9 }}»): có thể một phép nhân "
        "chuỗi, một vòng lặp hay một lệnh lặp lại sinh ra quá nhiều chữ."
    ) in flat(run["output"])
    assert run["peak_mb"] < 300, run["peak_mb"]
    assert not (tmp_path / "b.docx").exists()


# --- a spawned worker (Windows, batch) ---------------------------------------------------------


def render_in_worker(path: str) -> str:
    """Run in a spawned process: no signal, no thread is needed to stop the render."""
    try:
        ReportTemplate(Path(path), SMALL).render(sample_contexts()[0])
    except TemplateError as err:
        return str(err)
    return "rendered"


def test_runaway_render_is_stopped_in_a_spawned_worker(tmp_path: Path) -> None:
    path = hostile(tmp_path, NESTED_LOOPS)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        message = pool.submit(render_in_worker, str(path)).result(timeout=60)
    assert message == TIME_MESSAGE
