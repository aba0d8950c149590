"""How a batch runs its work (SPEC §5, §7): in worker processes, or in this process for one job;
chunks of work handed out, their results taken back in input order, a crashed worker turned
into each of its items' failure, and Ctrl-C leaving no task running behind."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_CHUNK = 4
"""Items per pool task: small enough for a smooth progress bar, large enough to cut IPC."""


@dataclass(frozen=True)
class Workers:
    """Where the work runs: ``executor`` (a process pool), or this process when None."""

    executor: Executor | None
    count: int = 1


@contextmanager
def worker_pool(
    workers: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    context: multiprocessing.context.BaseContext | None = None,
) -> Iterator[Workers]:
    """A pool of ``workers`` processes, each prepared by ``initializer(*initargs)``; this
    process alone for one worker. On leaving by an exception (Ctrl-C) it
    waits for the few running tasks only: with ``wait=False`` the executor object may be
    collected before its manager thread sees the request, and every queued task would still
    run before the process can exit."""
    if workers <= 1:
        yield Workers(None)
        return
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=initializer, initargs=initargs
    )
    try:
        yield Workers(pool, workers)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()


def chunks(count: int, workers: int, largest: int = MAX_CHUNK) -> list[range]:
    """``range(count)`` cut into runs of at most ``largest``, about four a worker at least."""
    size = max(1, min(largest, count // (workers * 4)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def run_in_order(
    workers: Workers,
    task: Callable[[list[Item]], list[Result]],
    items: Sequence[Item],
    take: Callable[[int, Result], None],
    crashed: Callable[[Item, BaseException], Result],
    progress: Callable[[int, int], None],
    largest: int = MAX_CHUNK,
) -> None:
    """``take(position, task([item])[0])`` for every item, in input order, however the pool
    finishes them; ``crashed(item, error)`` stands for the result of a chunk whose worker died
    (killed, out of memory…). ``progress(done, total)`` first with 0 once the work is under
    way, then as chunks finish. ``task`` must be picklable when the workers are processes."""
    total = len(items)
    pool = workers.executor
    if pool is None:
        progress(0, total)
        for position, item in enumerate(items):
            take(position, task([item])[0])
            progress(position + 1, total)
        return
    # Submit everything before telling the caller that work is under way (a progress bar
    # starts a refresh thread then): forked worker processes start during the first submit.
    futures: dict[Future[list[Result]], range] = {
        pool.submit(task, [items[i] for i in chunk]): chunk
        for chunk in chunks(total, workers.count, largest)
    }
    progress(0, total)
    ready: dict[int, Result] = {}
    taken = done = 0
    for future in as_completed(futures):
        chunk = futures[future]
        try:
            results = future.result()
        except Exception as err:
            results = [crashed(items[i], err) for i in chunk]
        ready.update(zip(chunk, results, strict=True))
        while taken in ready:
            take(taken, ready.pop(taken))
            taken += 1
        done += len(chunk)
        progress(done, total)
